// Names and lookups in a scenario as the console received it in hello (a player's view holds its own
// side's catalog and no MSEL; control and observers get the whole scenario). Names, labels and inject
// texts come in the language the console shows when the scenario has a translation for it (the
// scenario's `translations`), else as the file wrote them.

import { t, currentLanguage } from './i18n.js';

/** The entry of a `translations` map ({"zh-CN": {...}}) for the language shown now, or null. */
export function translationFor(translations) {
  if (!translations) return null;
  const language = currentLanguage();
  if (translations[language]) return translations[language];
  const base = language.split('-')[0];
  const near = Object.keys(translations).find((code) => code.split('-')[0] === base);
  return near ? translations[near] : null;
}

/** An inject_released payload's title, text and originator in the language shown now. */
export function injectText(payload) {
  const local = translationFor(payload.translations) || {};
  return {
    title: local.title || payload.title,
    text: local.text || payload.text,
    originator: local.originator || payload.originator,
  };
}

/** The scenario's parts with every name the translation gives replaced (copies; `data` is untouched). */
function localize(data, tr) {
  const teams = (data.teams || []).map((team) => {
    const text = tr?.teams?.[team.id] || {};
    return {
      ...team,
      name: text.name || team.name,
      description: text.description || team.description,
      roles: (team.roles || []).map((role) => ({ ...role, name: text.roles?.[role.id] || role.name })),
    };
  });
  const channels = (data.channels || []).map((channel) => {
    const text = tr?.channels?.[channel.id];
    const local = typeof text === 'string' ? { name: text } : text || {};
    return { ...channel, name: local.name || channel.name, description: local.description || channel.description };
  });
  const actions = (data.actions || []).map((action) => {
    const text = tr?.actions?.[action.id] || {};
    return { ...action, label: text.label || action.label, description: text.description || action.description };
  });
  const injects = (data.injects || []).map((inject) => {
    const text = tr?.injects?.[inject.id] || {};
    return {
      ...inject,
      title: text.title || inject.title,
      text: text.text || inject.text,
      originator: text.originator || inject.originator,
    };
  });
  const objectives = (data.objectives || []).map((objective) => {
    const text = tr?.objectives?.[objective.id] || {};
    return {
      ...objective,
      title: text.title || objective.title,
      description: text.description || objective.description,
      tasks: (objective.tasks || []).map((task) => ({ ...task, title: tr?.tasks?.[task.id] || task.title })),
    };
  });
  const briefings = Object.fromEntries(
    Object.entries(data.briefings || {}).map(([teamId, briefing]) => [teamId, localBriefing(briefing, tr?.briefings?.[teamId])]),
  );
  return {
    title: tr?.title || data.title,
    summary: tr?.summary || data.summary,
    briefings,
    teams,
    channels,
    actions,
    injects,
    objectives,
  };
}

/** A briefing with the translated texts laid over it (reading items by position, as the format says). */
function localBriefing(briefing, text = {}) {
  const reading = (items, local) =>
    (items || []).map((item, index) => ({
      ...item,
      title: local?.[index]?.title || item.title,
      text: local?.[index]?.text || item.text,
    }));
  const roles = Object.fromEntries(
    Object.entries(briefing.roles || {}).map(([roleId, role]) => {
      const local = text.roles?.[roleId] || {};
      return [
        roleId,
        {
          brief: local.brief || role.brief,
          objectives: local.objectives || role.objectives,
          reading: reading(role.reading, local.reading),
        },
      ];
    }),
  );
  return {
    situation: text.situation || briefing.situation,
    objectives: text.objectives || briefing.objectives,
    reading: reading(briefing.reading, text.reading),
    roles,
  };
}

export class ScenarioView {
  constructor(scenario) {
    this.data = scenario;
    this.cache = null;
  }

  /** The localized parts for the language shown now (made once per language). */
  get local() {
    const language = currentLanguage();
    if (this.cache?.language !== language) {
      const tr = translationFor(this.data.translations);
      this.cache = { language, tr, ...localize(this.data, tr) };
    }
    return this.cache;
  }

  get title() {
    return this.local.title;
  }

  get summary() {
    return this.local.summary;
  }

  get teams() {
    return this.local.teams;
  }

  get channels() {
    return this.local.channels;
  }

  get actions() {
    return this.local.actions;
  }

  get injects() {
    return this.local.injects;
  }

  get objectives() {
    return this.local.objectives;
  }

  /** An action's label as the console shows it: translated if it can be, else as the event carried it. */
  actionLabel(actionId, fallback) {
    return this.local.tr?.actions?.[actionId]?.label || fallback || this.action(actionId)?.label || actionId;
  }

  /**
   * A seat's name ({kind, team, role, label} from the server, or hello's `you` with its roles): the
   * server's label, which is in the scenario's language, unless a translation is shown.
   */
  seatName(seat) {
    if (!seat) return '';
    if (!this.local.tr) return seat.label || '';
    if (seat.kind === 'observer') return t('play.observer_seat');
    let role = seat.role;
    if (role === undefined && seat.roles) {
      const all = this.team(seat.team)?.roles.length || 0;
      role = seat.roles.length === 1 && all > 1 ? seat.roles[0] : null;
    }
    if (!role) return t('seats.team_label', { team: this.teamName(seat.team) });
    return `${this.teamName(seat.team)} — ${this.roleName(seat.team, role)}`;
  }

  /** A team's briefing in the language shown now, or null (a player receives only its own team's). */
  briefing(teamId) {
    return this.local.briefings[teamId] || null;
  }

  team(teamId) {
    return this.teams.find((team) => team.id === teamId) || null;
  }

  teamName(teamId) {
    return this.team(teamId)?.name || teamId || '';
  }

  /** 0 or 1: the team's position in the file, used for its colour. */
  teamIndex(teamId) {
    return Math.max(
      0,
      this.teams.findIndex((team) => team.id === teamId),
    );
  }

  otherTeam(teamId) {
    return this.teams.find((team) => team.id !== teamId) || null;
  }

  role(teamId, roleId) {
    return this.team(teamId)?.roles.find((role) => role.id === roleId) || null;
  }

  roleName(teamId, roleId) {
    return this.role(teamId, roleId)?.name || roleId || '';
  }

  channel(channelId) {
    return this.channels.find((channel) => channel.id === channelId) || null;
  }

  channelName(channelId) {
    return this.channel(channelId)?.name || channelId || '';
  }

  channelsOfKind(kind) {
    return this.channels.filter((channel) => channel.kind === kind);
  }

  action(actionId) {
    return this.actions.find((action) => action.id === actionId) || null;
  }

  inject(injectId) {
    return this.injects.find((inject) => inject.id === injectId) || null;
  }

  /** [team, role] pairs whose role may use the channel. */
  holders(channelId) {
    const pairs = [];
    for (const team of this.teams) {
      for (const role of team.roles) if ((role.channels || []).includes(channelId)) pairs.push([team.id, role.id]);
    }
    return pairs;
  }

  /** True when a seat of `teamId` holding `roles` may use the channel. */
  seatHolds(teamId, roles, channelId) {
    return this.holders(channelId).some(([team, role]) => team === teamId && roles.includes(role));
  }

  /** "Washington — President", or the team name alone when there is no role. */
  actorName(actor) {
    if (!actor) return '';
    if (actor.kind === 'facilitator') {
      return actor.account ? t('actor.facilitator_named', { name: actor.account }) : t('actor.facilitator');
    }
    if (actor.kind === 'system') return t('actor.system');
    if (actor.kind === 'observer') {
      return actor.account ? t('actor.evaluator_named', { name: actor.account }) : t('actor.observer');
    }
    const team = this.teamName(actor.team);
    return actor.role ? `${team} — ${this.roleName(actor.team, actor.role)}` : team;
  }

  /** Who an audience list names, in words: "Everyone", "Beijing", "Washington — President". */
  audienceText(audience) {
    if (!audience || audience.includes('all')) return t('audience.all');
    const parts = audience.map((entry) => {
      const [kind, team, role] = entry.split(':');
      if (kind === 'control') return t('audience.control');
      if (kind === 'team') return this.teamName(team);
      return `${this.teamName(team)} — ${this.roleName(team, role)}`;
    });
    return parts.join(', ');
  }
}

/** The escalation band's name ("force posture"). */
export function bandName(band) {
  return t(`band.${band}`);
}

/** An action with weight ≤ −4 is escalatory (docs/scoring.md). */
export const ESCALATORY_WEIGHT = -4;

export function isEscalatory(action) {
  return Number(action.weight) <= ESCALATORY_WEIGHT;
}

/** "−7.2" with a real minus sign, "+3.0" with a plus. */
export function formatWeight(weight) {
  const value = Number(weight);
  const text = Math.abs(value).toFixed(1);
  if (value > 0) return `+${text}`;
  if (value < 0) return `\u2212${text}`;
  return text;
}
