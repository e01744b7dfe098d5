// The team's briefing: the situation as this team knows it, its objectives, the brief of each role this
// seat holds, and optional reading. Open in the lobby, where players read it before STARTEX; folded
// during play, one click away (the "Briefing" button in the header opens it too).

import { h, fill } from '../dom.js';
import { icon } from '../icons.js';
import { t } from '../i18n.js';

export class BriefingPanel {
  constructor({ model }) {
    this.model = model;
    this.body = h('div', { class: 'briefing-body' });
    this.summary = h('summary', {}, icon('flag'), h('span', { text: t('briefing.title', { team: '' }) }));
    this.element = h('details', { class: 'panel briefing-panel', id: 'briefing' }, this.summary, this.body);
    this.wasLobby = null;
    model.subscribe(() => this.sync());
    this.render();
    this.sync();
  }

  get briefing() {
    return this.model.scenario.briefing(this.model.you.team);
  }

  render() {
    const scenario = this.model.scenario;
    const you = this.model.you;
    const team = scenario.team(you.team);
    fill(this.summary, icon('flag'), h('span', { text: t('briefing.title', { team: team?.name || '' }) }));
    const briefing = this.briefing;
    if (!briefing) {
      fill(this.body, h('p', { class: 'empty', text: team?.description || t('briefing.none') }));
      return;
    }
    const roles = (team?.roles || []).filter((role) => you.roles.includes(role.id) && briefing.roles?.[role.id]);
    fill(
      this.body,
      h('h3', { class: 'subhead', text: t('briefing.situation') }),
      h('p', { class: 'briefing-situation', text: briefing.situation }),
      briefing.objectives?.length
        ? [
            h('h3', { class: 'subhead', text: t('briefing.objectives') }),
            h('ul', { class: 'briefing-objectives' }, briefing.objectives.map((text) => h('li', { text }))),
          ]
        : null,
      roles.map((role) => {
        const brief = briefing.roles[role.id];
        return h(
          'section',
          { class: 'role-brief', dataset: { role: role.id } },
          h('h3', { class: 'subhead', text: t('briefing.role', { role: role.name }) }),
          h('p', { text: brief.brief }),
          brief.objectives?.length ? h('ul', {}, brief.objectives.map((text) => h('li', { text }))) : null,
        );
      }),
      this.reading(briefing.reading, roles.flatMap((role) => briefing.roles[role.id].reading || [])),
    );
  }

  reading(...lists) {
    const items = lists.flat();
    if (!items.length) return null;
    return h(
      'details',
      { class: 'briefing-reading' },
      h('summary', { text: t('briefing.reading', { count: items.length }) }),
      items.map((item) =>
        h(
          'div',
          { class: 'reading-item' },
          h('h4', { text: item.title }),
          item.text ? h('p', { text: item.text }) : null,
          item.url ? h('a', { href: item.url, target: '_blank', rel: 'noopener noreferrer', text: item.url }) : null,
        ),
      ),
    );
  }

  /** Open in the lobby; fold it once, when play starts (the player may open it again). */
  sync() {
    const lobby = ['draft', 'lobby'].includes(this.model.status);
    if (this.wasLobby === null || lobby !== this.wasLobby) this.element.open = lobby;
    this.wasLobby = lobby;
  }

  open() {
    this.element.open = true;
    this.element.scrollIntoView({ block: 'start' });
    this.summary.focus();
  }
}
