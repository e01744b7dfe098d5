// Every event in words, for the control timeline and the observers' watch view. Returns a one-line
// summary, optional detail lines [label, text], and the team the event belongs to (for colour and
// filtering). Text from players and the scenario is returned as plain strings, never as markup.

import { t } from './i18n.js';
import { bandName, formatWeight, injectText, translationFor } from './scenario.js';
import { formatDuration, formatScenario, scenarioSeconds } from './time.js';

/**
 * @param {object} event  an event as the server sent it
 * @param {ScenarioView} scenario
 * @param {(seatId: string) => string} seatLabel  a seat's label, when known
 */
export function describeEvent(event, scenario, seatLabel = (id) => id) {
  const p = event.payload || {};
  const actor = scenario.actorName(event.actor);
  const channel = (id) => scenario.channelName(id);
  const team = event.actor?.team || null;
  const details = [];
  let summary;
  switch (event.type) {
    case 'exercise_created':
      summary = t('event.exercise_created', { title: p.title });
      break;
    case 'lobby_opened':
    case 'exercise_resumed':
    case 'hotwash_submitted':
      summary = t(`event.${event.type}`);
      break;
    case 'exercise_started':
      summary = t('event.exercise_started');
      break;
    case 'exercise_paused':
      summary = t('event.exercise_paused', { reason: p.reason });
      break;
    case 'clock_jumped':
      summary = t('event.clock_jumped', { from: formatScenario(p.from_time), to: formatScenario(p.to_time) });
      break;
    case 'compression_changed':
      summary = t('event.compression_changed', { compression: p.compression });
      break;
    case 'exercise_ended':
      summary = t('event.exercise_ended', { reason: p.reason || 'ENDEX' });
      break;
    case 'inject_released': {
      const local = injectText(p);
      summary = t(p.cause === 'adhoc' ? 'event.inject_adhoc' : 'event.inject_released', {
        title: local.title,
        audience: scenario.audienceText(event.audience),
        channel: channel(p.channel),
      });
      if (p.late) details.push([t('inject.late'), t('inject.late_detail')]);
      details.push([local.originator, local.text]);
      if (event.internal?.attribution) details.push([t('adhoc.attribution'), attributionText(event.internal.attribution, scenario)]);
      return { summary, details, team: singleTeam(event.audience), kind: 'inject' };
    }
    case 'inject_held':
    case 'inject_unheld':
    case 'inject_skipped': {
      const inject = scenario.inject(p.inject_id);
      summary = t(`event.${event.type}`, { title: inject ? inject.title : p.inject_id });
      break;
    }
    case 'seat_issued':
      summary = t('event.seat_issued', { label: scenario.seatName(p) });
      break;
    case 'seat_revoked':
      summary = t('event.seat_revoked', { label: seatLabel(p.seat_id) });
      break;
    case 'presence_changed':
      summary = t(p.online ? 'event.joined' : 'event.left', { label: seatLabel(p.seat_id) });
      return { summary, details, team: p.team || null, kind: 'presence' };
    case 'chat_message':
      summary = t('event.chat_message', { actor });
      details.push(['', p.text]);
      break;
    case 'action_taken':
      summary = t('event.action_taken', { actor, label: scenario.actionLabel(p.action_id, p.label) });
      details.push([
        '',
        t('action.facts', {
          band: p.band,
          band_name: bandName(p.band),
          weight: formatWeight(p.weight),
          visibility: t(`visibility.${p.visibility}`),
        }),
      ]);
      if (p.text) details.push([t('action.text_label'), p.text]);
      if (event.internal?.rationale) details.push([t('action.rationale_label'), event.internal.rationale]);
      return { summary, details, team, kind: 'action', band: p.band, weight: p.weight };
    case 'statement_published':
      summary = t('event.statement_published', { actor });
      details.push(['', p.text]);
      break;
    case 'cable_sent':
      summary = t('event.cable_sent', { actor, team: scenario.teamName(p.to_team), subject: p.subject });
      details.push(['', p.text]);
      break;
    case 'call_requested':
      summary = t('event.call_requested', { actor, channel: channel(p.channel), team: scenario.teamName(p.to_team) });
      break;
    case 'call_accepted':
    case 'call_declined':
      summary = t(`event.${event.type}`, { actor, channel: channel(p.channel) });
      break;
    case 'call_missed':
    case 'call_ended':
      summary = t(`event.${event.type}`, { channel: channel(p.channel) });
      break;
    case 'call_message':
    case 'letter_sent':
    case 'letter_delivered':
      summary = t(`event.${event.type}`, {
        actor,
        channel: channel(p.channel),
        medium: p.medium ? t(`letters.medium.${p.medium}`) : '',
        team: scenario.teamName(p.from_team),
        to: scenario.teamName(p.to_team),
        arrives: formatScenario(event.scenario_time + (p.delay || 0)),
      });
      if (p.subject) details.push([t('letters.subject'), p.subject]);
      for (const part of ['facts', 'intent', 'proposal']) if (p[part]) details.push([t(`call.${part}`), p[part]]);
      if (p.text) details.push(['', p.text]);
      break;
    case 'channel_suspended':
    case 'channel_restored':
      summary = t(`event.${event.type}`, { channel: channel(p.channel) });
      if (p.reason) details.push(['', p.reason]);
      break;
    case 'channel_refused':
      summary = t('event.channel_refused', { actor, channel: channel(p.channel) });
      break;
    case 'observation_added':
      summary = t('event.observation_added', { author: p.author });
      details.push(['', p.text]);
      if (p.rating) details.push([t('observation.rating'), t(`rating.${p.rating}`)]);
      if (p.linked_seqs?.length) details.push([t('observation.linked'), p.linked_seqs.map((s) => `#${s}`).join(' ')]);
      break;
    case 'task_rated':
      summary = t('event.task_rated', { task: p.task_id, rating: p.rating });
      details.push(['', p.rationale]);
      break;
    case 'endex_extended':
      summary = t('event.endex_extended', { from: formatScenario(p.from_time), to: formatScenario(p.to_time) });
      break;
    case 'auto_end_changed':
      summary = t(p.enabled ? 'event.auto_end_changed_on' : 'event.auto_end_changed_off');
      break;
    case 'injects_seen':
      summary = t('event.injects_seen', { label: seatLabel(event.actor?.seat_id), count: (p.inject_ids || []).length });
      return { summary, details, team, kind: 'presence' };
    case 'media_published': {
      const local = translationFor(p.translations) || {};
      summary = t('event.media_published', { name: local.name || p.name, text: local.headline || p.headline || local.text || p.text });
      break;
    }
    case 'pressure_changed':
      summary = t('event.pressure_changed', { team: scenario.teamName(p.team), from: Math.round(p.previous), to: Math.round(p.value) });
      break;
    case 'scores_visibility_changed':
      summary = t(p.visible ? 'event.scores_shown' : 'event.scores_hidden');
      break;
    default:
      summary = event.type;
  }
  return { summary, details, team, kind: kindOf(event.type) };
}

function kindOf(type) {
  if (type.startsWith('call_') || type.startsWith('channel_') || type.startsWith('letter_') || type === 'cable_sent')
    return 'comms';
  if (type === 'chat_message') return 'chat';
  if (type === 'statement_published' || type === 'media_published') return 'public';
  if (type === 'observation_added' || type === 'task_rated') return 'observation';
  if (type.startsWith('seat_') || type === 'presence_changed') return 'presence';
  return 'control';
}

/** The one team an audience addresses, or null if it addresses both or everyone. */
function singleTeam(audience) {
  const teams = new Set();
  for (const entry of audience || []) {
    if (entry === 'all') return null;
    const [kind, team] = entry.split(':');
    if (kind === 'team' || kind === 'role') teams.add(team);
  }
  return teams.size === 1 ? [...teams][0] : null;
}

/**
 * "Scored as Beijing's act: band 2 (non-military coercion), weight −6.0, in force for 6 h": an ad hoc inject's
 * attribution, in the composer and on the control timeline (players never receive it).
 */
export function attributionText(attribution, scenario) {
  const team = scenario.teamName(attribution.side);
  const duration = scenarioSeconds(attribution.duration); // "T+06:00" in an event, "06:00" in the composer
  let standing = duration ? t('adhoc.attribution_for', { duration: formatDuration(duration) }) : '';
  for (const actionId of attribution.lifted_by || []) {
    const key = standing ? 'adhoc.attribution_or_until' : 'adhoc.attribution_until';
    standing += t(key, { team, action: scenario.actionLabel(actionId) });
  }
  return t('adhoc.attribution_scored', {
    team,
    band: attribution.band,
    band_name: bandName(attribution.band),
    weight: formatWeight(attribution.weight),
    standing,
  });
}
