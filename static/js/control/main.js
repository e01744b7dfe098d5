// The control console page, /control: sign in with the facilitator secret (the server prints a link
// with #secret=… that fills it in; it is then kept in this tab's sessionStorage, never in a URL
// query), then the start page or one exercise (#exercise=<id>, so a reload reopens it).

import { byId, h, fill, field } from '../dom.js';
import { icon } from '../icons.js';
import { t, initLanguage, bindLanguageSwitch, onLanguageChange } from '../i18n.js';
import { runWithStatus } from '../feedback.js';
import { fragmentParams, setFragment, takeFromFragment, tabStore } from '../storage.js';
import { captureDrafts, restoreDrafts } from '../drafts.js';
import { watchChineseFont } from '../fonts.js';
import { createApi } from './api.js';
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

  signOut(message = '') {
    tabStore.remove(SECRET_KEY);
    this.route();
    if (message) this.signInStatus.textContent = message;
  }

  showSignIn(message = '') {
    document.title = t('control.page_title');
    const secret = h('input', { type: 'password', autocomplete: 'current-password', required: true, minlength: 16 });
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
      field(t('signin.secret'), secret, t('signin.secret_help')).wrapper,
      h('div', { class: 'form-actions' }, submit, this.signInStatus),
    );
    form.addEventListener('submit', async (submitted) => {
      submitted.preventDefault();
      const value = secret.value.trim();
      if (!value) {
        this.signInStatus.textContent = t('signin.empty');
        secret.focus();
        return;
      }
      const ok = await runWithStatus(() => createApi(value).scenarios(), this.signInStatus, { busyElement: submit });
      if (ok) {
        tabStore.set(SECRET_KEY, value);
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
    secret.focus();
  }
}

async function start() {
  await initLanguage();
  bindLanguageSwitch(byId('language'));
  watchChineseFont(byId('banners'));
  new ControlPage();
}

start();
