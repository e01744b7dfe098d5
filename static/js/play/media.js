// The media world's two panes beside the inject stream: a social feed and a news site. Injects on the
// scenario's social channel read as posts and those on its news channel as articles, next to what the
// media publish in reaction to the teams' moves (media_published). Likes and reposts grow with scenario
// time: each post carries the numbers it will reach and how fast (half of them in `half_life` seconds),
// the same for every console. A scenario without a media world gets neither pane.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { injectText, translationFor } from '../scenario.js';
import { formatScenario } from '../time.js';

/** What a post has gathered `age` scenario seconds after it appeared. */
export function grown(total, age, halfLife) {
  if (!total || age <= 0) return 0;
  return Math.round(total * (1 - 0.5 ** (age / (halfLife || 1800))));
}

function mediaText(payload) {
  const local = translationFor(payload.translations) || {};
  return { name: local.name || payload.name, headline: local.headline || payload.headline, text: local.text || payload.text };
}

function avatar(handle, name) {
  if (!handle) return h('span', { class: 'avatar avatar-tag', 'aria-hidden': 'true', text: '#' });
  return h('img', { class: 'avatar', src: `/api/avatars/${encodeURIComponent(handle)}.svg`, alt: '', width: '40', height: '40', title: name });
}

export class SocialFeed {
  constructor({ model }) {
    this.model = model;
    this.media = model.scenario.data.media;
    this.posts = []; // {event, likes, reposts}
    this.list = h('ol', { class: 'social-posts', 'aria-live': 'polite' });
    this.empty = h('p', { class: 'empty', text: t('media.no_posts') });
    this.trending = h('div', { class: 'trending' });
    this.element = h('div', { class: 'social-feed' }, this.trending, this.empty, this.list);
    this.renderTrending();
    this.timer = setInterval(() => this.tick(), 5000);
    model.subscribe(() => this.tick());
  }

  renderTrending() {
    const rows = Object.entries(this.media?.trending || {}).map(([team, tags]) =>
      h(
        'li',
        {},
        h('span', { class: 'trending-where', text: t('media.trending_in', { team: this.model.scenario.teamName(team) }) }),
        ' ',
        tags.map((tag) => h('span', { class: 'hashtag', text: tag.startsWith('#') ? tag : `#${tag}` })),
      ),
    );
    this.trending.replaceChildren(rows.length ? h('ul', { class: 'trending-list', 'aria-label': t('media.trending') }, rows) : '');
  }

  /** An inject on the social channel, or a post the media published. */
  add(event) {
    if (event.type === 'inject_released' && event.payload.channel !== this.media.social_channel) return;
    if (event.type === 'media_published' && event.payload.kind !== 'post') return;
    const item = event.type === 'media_published' ? this.post(event) : this.injectPost(event);
    this.posts.push(item);
    this.list.prepend(item.element);
    this.empty.hidden = true;
    this.tick();
  }

  post(event) {
    const payload = event.payload;
    const { name, text } = mediaText(payload);
    const likes = h('span', { class: 'likes' });
    const reposts = h('span', { class: 'reposts' });
    const element = h(
      'li',
      { class: `social-post stance-${payload.stance || 'none'}`, dataset: { seq: String(event.seq), mediaId: payload.media_id } },
      avatar(payload.handle, name),
      h(
        'div',
        { class: 'post-body' },
        h(
          'p',
          { class: 'post-author' },
          h('strong', { class: 'display-name', text: name }),
          payload.verified ? h('span', { class: 'verified', title: t('media.verified'), 'aria-label': t('media.verified'), text: '✔' }) : null,
          payload.handle ? h('span', { class: 'handle', text: `@${payload.handle}` }) : null,
          h('time', { class: 'post-time', text: formatScenario(event.scenario_time) }),
        ),
        h('p', { class: 'post-text', lang: payload.language || null, text }),
        payload.hashtags?.length ? h('p', { class: 'post-tags' }, payload.hashtags.map((tag) => h('span', { class: 'hashtag', text: tag }))) : null,
        h('p', { class: 'post-counts' }, reposts, likes),
      ),
    );
    return { element, at: event.scenario_time, payload, likes, reposts };
  }

  injectPost(event) {
    const { title, text, originator } = injectText(event.payload);
    const element = h(
      'li',
      { class: 'social-post from-inject', dataset: { seq: String(event.seq) } },
      avatar(null, originator),
      h(
        'div',
        { class: 'post-body' },
        h('p', { class: 'post-author' }, h('strong', { class: 'display-name', text: originator }), h('time', { class: 'post-time', text: formatScenario(event.scenario_time) })),
        h('p', { class: 'post-text' }, h('strong', { text: title }), ' ', text),
      ),
    );
    return { element, at: event.scenario_time, payload: null };
  }

  tick() {
    if (!this.element.isConnected && this.posts.length) return;
    const now = this.model.clock.now();
    for (const post of this.posts) {
      if (!post.payload) continue;
      const age = now - post.at;
      post.likes.textContent = t('media.likes', { count: grown(post.payload.likes, age, post.payload.half_life) });
      post.reposts.textContent = t('media.reposts', { count: grown(post.payload.reposts, age, post.payload.half_life) });
    }
  }
}

export class NewsSite {
  constructor({ model }) {
    this.model = model;
    this.media = model.scenario.data.media;
    this.fronts = new Map(); // outlet name → {section, list}
    this.empty = h('p', { class: 'empty', text: t('media.no_news') });
    this.element = h('div', { class: 'news-site' }, this.empty);
    for (const outlet of this.media.outlets || []) this.front(this.outletName(outlet));
  }

  /** The outlet's name in the language shown now (its `names`: language → name). */
  outletName(outlet) {
    return translationFor(outlet.names) || outlet.name;
  }

  front(name) {
    if (!this.fronts.has(name)) {
      const list = h('ol', { class: 'headlines' });
      const section = h('section', { class: 'news-front', 'aria-label': name }, h('h3', { class: 'masthead-name', text: name }), list);
      section.hidden = true;
      this.fronts.set(name, { section, list });
      this.element.append(section);
    }
    return this.fronts.get(name);
  }

  /** An inject on the news channel, or an article the media published. */
  add(event) {
    let outlet, headline, text;
    if (event.type === 'inject_released') {
      if (event.payload.channel !== this.media.news_channel) return;
      ({ originator: outlet, title: headline, text } = injectText(event.payload));
    } else if (event.type === 'media_published' && event.payload.kind === 'article') {
      ({ name: outlet, headline, text } = mediaText(event.payload));
    } else {
      return;
    }
    const { section, list } = this.front(outlet);
    section.hidden = false;
    this.empty.hidden = true;
    list.prepend(
      h(
        'li',
        { class: 'article', dataset: { seq: String(event.seq) } },
        h('details', {}, h('summary', {}, h('span', { class: 'headline', text: headline }), ' ', h('time', { text: formatScenario(event.scenario_time) })), h('p', { class: 'article-text', text })),
      ),
    );
  }
}

/** Add the social feed and the news site to an inject feed; returns a router for media events, or null. */
export function mountMediaPanes(feed, model) {
  if (!model.scenario.data.media) return null;
  const social = new SocialFeed({ model });
  const news = new NewsSite({ model });
  feed.addPane({ key: 'social', label: t('media.social'), element: social.element, add: (event) => social.add(event) });
  feed.addPane({ key: 'news', label: t('media.news'), element: news.element, add: (event) => news.add(event) });
  return (event) => {
    social.add(event);
    news.add(event);
  };
}
