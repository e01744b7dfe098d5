// Names and lookups in a scenario as the console received it in hello (a player's view holds its own
// side's catalog and no MSEL; control and observers get the whole scenario).

import { t } from './i18n.js';

export class ScenarioView {
  constructor(scenario) {
    this.data = scenario;
    this.teams = scenario.teams || [];
    this.channels = scenario.channels || [];
    this.actions = scenario.actions || [];
    this.injects = scenario.injects || [];
    this.objectives = scenario.objectives || [];
  }

  get title() {
    return this.data.title;
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
    if (actor.kind === 'facilitator') return t('actor.facilitator');
    if (actor.kind === 'system') return t('actor.system');
    if (actor.kind === 'observer') return t('actor.observer');
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

/** DESIGN §7: an action with weight ≤ −4 is escalatory. */
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
