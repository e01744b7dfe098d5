// The control console page, /control: sign in with a named account (its session token is kept) or with
// the facilitator secret (the server prints a link with #secret=… that fills it in); either is kept in
// this tab's sessionStorage, never in a URL query. Then the start page or one exercise
// (#exercise=<id>, so a reload reopens it).

import { byId, h, fill, field } from '../dom.js';
import { icon } from '../icons.js';
import { t, initLanguage, bindLanguageSwitch, onLanguageChange } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { fragmentParams, setFragment, takeFromFragment, tabStore } from '../storage.js';
import { captureDrafts, restoreDrafts } from '../drafts.js';
import { watchChineseFont } from '../fonts.js';
import { createApi, signInWithAccount } from './api.js';
import { HomePage } from './home.js';
import { ExerciseView } from './exercise-view.js';

const SECRET_KEY = 'hotline.secret';

class ControlPage {
  constructor() {
    this.main = byId('main');
    this.view = null;
    byId('nav-home').addEventListener('click', () => this.showHome());
    byId('nav-signout').addEventListener('click', () => this.signOut());
    onLanguageChange(() => this.relabel());
    this.takeSecret();
    this.route();
    // Another control link opened in this tab changes only the fragment: follow it.
    window.addEventListener('hashchange', () => {
      this.takeSecret();
      this.route();
    });
  }

  /** After a language switch: the same page in the new language, with nothing typed or received lost. */
  relabel() {
    const drafts = captureDrafts(this.main);
    if (this.view?.rebuild) {
      this.view.rebuild();
      fill(this.main, this.view.element);
      if (!fragmentParams().get('exercise')) document.title = t('control.page_title');
    } else {
      this.route();
    }
    restoreDrafts(this.main, drafts);
    if (this.api) this.showWho(this.api);
  }

  takeSecret() {
    const fromLink = takeFromFragment('secret');
    if (fromLink) tabStore.set(SECRET_KEY, fromLink);
  }

  get secret() {
    return tabStore.get(SECRET_KEY);
  }

  route() {
    this.view?.close?.();
    this.view = null;
    byId('clock-slot').replaceChildren();
    byId('connection-slot').replaceChildren();
    byId('banners').replaceChildren();
    byId('exercise-title').textContent = '';
    const signedIn = Boolean(this.secret);
    byId('nav').hidden = !signedIn;
    if (!signedIn) {
      this.showSignIn();
      return;
    }
    const api = createApi(this.secret, () => this.signOut(t('signin.wrong_secret')));
    this.api = api;
    this.showWho(api);
    const exerciseId = fragmentParams().get('exercise');
    byId('nav-home').hidden = !exerciseId;
    if (exerciseId) {
      this.view = new ExerciseView({
        api,
        secret: this.secret,
        exerciseId,
        onUnauthorized: () => this.signOut(t('signin.wrong_secret')),
        onHome: () => this.showHome(),
      });
    } else {
      this.view = new HomePage({ api, openExercise: (id) => this.openExercise(id) });
      document.title = t('control.page_title');
    }
    fill(this.main, this.view.element);
  }

  openExercise(id) {
    setFragment('exercise', id);
    this.route();
    this.main.focus();
  }

  showHome() {
    setFragment('exercise', null);
    this.route();
  }

  /** Say who is signed in; an evaluator account is told what it may do before it tries. */
  async showWho(api) {
    const slot = byId('nav-who');
    slot.textContent = '';
    document.getElementById('evaluator-banner')?.remove();
    const who = await api.whoami().catch(() => null);
    if (!who || api !== this.api) return;
    slot.textContent = who.name ? t(`signin.as_${who.role}`, { name: who.name }) : '';
    if (who.role === 'evaluator') {
      const text = t('signin.evaluator_banner');
      byId('banners').append(h('div', { class: 'banner info', id: 'evaluator-banner', role: 'status', text }));
    }
  }

  signOut(message = '') {
    if (!message && this.api) this.api.signOut().catch(() => {}); // ends an account's session on the server
    this.api = null;
    tabStore.remove(SECRET_KEY);
    this.route();
    if (message) this.signInStatus.textContent = message;
  }

  showSignIn(message = '') {
    document.title = t('control.page_title');
    const account = h('input', { type: 'text', autocomplete: 'username', spellcheck: 'false', maxlength: 64 });
    const secret = h('input', { type: 'password', autocomplete: 'current-password', required: true });
    this.signInStatus = h('p', { class: 'form-status error', role: 'alert', text: message });
    const submit = h(
      'button',
      { type: 'submit', class: 'button primary' },
      icon('lock'),
      h('span', { text: t('signin.submit') }),
    );
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('p', { text: t('signin.help') }),
      field(t('signin.account'), account, t('signin.account_help')).wrapper,
      field(t('signin.secret'), secret, t('signin.secret_help')).wrapper,
      h('div', { class: 'form-actions' }, submit, this.signInStatus),
    );
    form.addEventListener('submit', async (submitted) => {
      submitted.preventDefault();
      const name = account.value.trim();
      const value = secret.value.trim();
      if (!value) {
        this.signInStatus.textContent = t(name ? 'signin.empty_password' : 'signin.empty');
        secret.focus();
        return;
      }
      let credential = value;
      const check = async () => {
        if (name) credential = (await signInWithAccount(name, secret.value)).token;
        return createApi(credential).whoami();
      };
      const ok = await runWithStatus(check, this.signInStatus, { busyElement: submit });
      if (ok) {
        tabStore.set(SECRET_KEY, credential);
        this.route();
      }
    });
    fill(
      this.main,
      h(
        'section',
        { class: 'panel narrow signin', 'aria-labelledby': 'signin-title' },
        h('h1', { id: 'signin-title', text: t('signin.title') }),
        form,
      ),
    );
    account.focus();
  }
}

async function start() {
  await initLanguage();
  bindLanguageSwitch(byId('language'));
  watchChineseFont(byId('banners'));
  new ControlPage();
}

start();
