// The exercise state a console shows, loaded from hello's snapshot and kept current by events —
// the browser's mirror of app/engine/state.py for the parts a console needs. Only events newer than
// hello.last_seq are applied; older ones are already in the snapshot.

import { ScenarioView } from './scenario.js';
import { ScenarioClock } from './time.js';

export class ExerciseModel {
  constructor() {
    this.clock = new ScenarioClock();
    this.listeners = new Set();
    this.loaded = false;
  }

  /** Call `listener(model, event|null)` after every change. */
  subscribe(listener) {
    this.listeners.add(listener);
    this.collecting?.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Run `build()` and return [its result, a function that unsubscribes every listener it added]:
   * a console rebuilt after a language change drops the listeners of the views it replaces.
   */
  collect(build) {
    const owned = new Set();
    this.collecting = owned;
    try {
      return [build(), () => owned.forEach((listener) => this.listeners.delete(listener))];
    } finally {
      this.collecting = null;
    }
  }

  changed(event = null) {
    for (const listener of this.listeners) listener(this, event);
  }

  load(hello) {
    const snapshot = hello.snapshot;
    this.exerciseId = hello.exercise_id;
    this.you = hello.you;
    this.scenario = new ScenarioView(snapshot.scenario);
    this.status = snapshot.status;
    this.pauseReason = snapshot.pause_reason || '';
    this.compression = snapshot.compression;
    this.clock.setAnchor(snapshot.clock);
    this.clock.syncScenario(snapshot.scenario_time);
    this.channels = structuredClone(snapshot.channels || {});
    this.calls = new Map((snapshot.calls || []).map((call) => [call.call_id, { ...call }]));
    this.letters = structuredClone(snapshot.letters || {}); // channel → medium → delay (seconds)
    this.injects = snapshot.injects ? structuredClone(snapshot.injects) : null;
    this.online = new Set(snapshot.online_seats || []);
    this.devices = { ...(snapshot.devices || {}) };
    this.endex = snapshot.endex ?? null;
    this.autoEnd = Boolean(snapshot.auto_end);
    this.atEndex = Boolean(snapshot.at_endex);
    this.seen = structuredClone(snapshot.seen || {});
    this.scoresVisible = Boolean(snapshot.scores_visible);
    this.pressure = { ...(snapshot.pressure || {}) }; // team → 0–100, the teams this seat may see
    this.loaded = true;
    this.changed();
  }

  apply(event) {
    const payload = event.payload || {};
    if (payload.clock) this.clock.setAnchor(payload.clock);
    switch (event.type) {
      case 'exercise_created':
      case 'compression_changed':
        this.compression = payload.compression;
        break;
      case 'lobby_opened':
        this.status = 'lobby';
        break;
      case 'exercise_started':
      case 'exercise_resumed':
        this.status = 'running';
        this.pauseReason = '';
        this.atEndex = false;
        break;
      case 'exercise_paused':
        this.status = 'paused';
        this.pauseReason = payload.reason || '';
        this.atEndex = Boolean(payload.at_endex);
        break;
      case 'endex_extended':
        this.endex = payload.to_time;
        this.atEndex = false;
        break;
      case 'auto_end_changed':
        this.autoEnd = Boolean(payload.enabled);
        break;
      case 'injects_seen':
        for (const injectId of payload.inject_ids || []) {
          this.seen[injectId] = this.seen[injectId] || {};
          const seat = event.actor?.seat_id || '';
          if (!(seat in this.seen[injectId])) this.seen[injectId][seat] = event.scenario_time;
        }
        break;
      case 'exercise_ended':
        this.status = 'ended';
        this.pauseReason = '';
        for (const channel of Object.values(this.channels)) channel.active_call = null;
        for (const call of this.calls.values())
          if (['ringing', 'connected'].includes(call.status)) call.status = 'ended';
        break;
      case 'inject_released':
        if (this.injects) {
          this.injects[payload.inject_id] = {
            status: 'released',
            released_seq: event.seq,
            released_at: event.scenario_time,
            late: Boolean(payload.late),
            cause: payload.cause,
          };
        }
        break;
      case 'inject_held':
      case 'inject_unheld':
      case 'inject_skipped':
        if (this.injects && this.injects[payload.inject_id]) {
          const status = { inject_held: 'held', inject_unheld: 'pending', inject_skipped: 'skipped' }[event.type];
          this.injects[payload.inject_id].status = status;
        }
        break;
      case 'presence_changed':
        if (payload.online) this.online.add(payload.seat_id);
        else this.online.delete(payload.seat_id);
        this.devices[payload.seat_id] = payload.online ? payload.devices ?? 1 : 0;
        break;
      case 'seat_revoked':
        this.online.delete(payload.seat_id);
        break;
      case 'call_requested':
        this.calls.set(payload.call_id, {
          call_id: payload.call_id,
          channel: payload.channel,
          from_team: payload.from_team,
          to_team: payload.to_team,
          status: 'ringing',
          requested_at: event.scenario_time,
          substantive: false,
        });
        this.channelState(payload.channel).active_call = payload.call_id;
        break;
      case 'call_accepted':
        this.updateCall(payload.call_id, { status: 'connected', accepted_at: event.scenario_time });
        break;
      case 'call_declined':
      case 'call_missed':
      case 'call_ended': {
        const status = { call_declined: 'declined', call_missed: 'missed', call_ended: 'ended' }[event.type];
        this.updateCall(payload.call_id, { status });
        const channel = this.channelState(payload.channel);
        if (channel.active_call === payload.call_id) channel.active_call = null;
        break;
      }
      case 'call_message':
        if (payload.facts || payload.intent || payload.proposal)
          this.updateCall(payload.call_id, { substantive: true });
        break;
      case 'channel_suspended':
        Object.assign(this.channelState(payload.channel), { suspended: true, reason: payload.reason || '' });
        break;
      case 'channel_restored':
        Object.assign(this.channelState(payload.channel), { suspended: false, reason: '' });
        break;
      case 'pressure_changed':
        this.pressure[payload.team] = payload.value;
        break;
      case 'scores_visibility_changed':
        this.scoresVisible = Boolean(payload.visible);
        break;
      default:
        break;
    }
    this.changed(event);
  }

  /** The server closed this seat for good (`reason`: revoked or replaced): freeze the clock, stop. */
  halt(reason) {
    const now = this.clock.now();
    if (this.clock.anchor) this.clock.setAnchor({ ...this.clock.anchor, scenario: now, running: false });
    this.halted = reason;
    this.changed();
  }

  channelState(channelId) {
    if (!this.channels[channelId]) this.channels[channelId] = { suspended: false, reason: '', active_call: null };
    return this.channels[channelId];
  }

  updateCall(callId, changes) {
    const call = this.calls.get(callId);
    if (call) Object.assign(call, changes);
  }

  /** The ringing or connected call on a channel, if any. */
  activeCall(channelId) {
    const callId = this.channels[channelId]?.active_call;
    return callId ? this.calls.get(callId) || null : null;
  }

  /** idle | ringing | connected | suspended (for call channels; open | suspended for the others). */
  channelStatus(channelId) {
    const channel = this.channels[channelId];
    if (channel?.suspended) return 'suspended';
    const call = this.activeCall(channelId);
    if (call) return call.status;
    const kind = this.scenario.channel(channelId)?.kind;
    return kind === 'call' ? 'idle' : 'open';
  }
}
