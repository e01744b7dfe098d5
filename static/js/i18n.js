// Every string the consoles show comes from one dictionary per language in /static/i18n/<code>.js.
// `t(key, params)` looks a string up and fills `{name}` placeholders; `setLanguage` loads another
// dictionary and tells every registered view to re-render. Adding a language: add its file and one
// line to LANGUAGES.

import en from '../i18n/en.js';

/** Languages the switch offers: code → the language's own name. */
export const LANGUAGES = { en: 'English' };

const STORAGE_KEY = 'hotline.language';
const listeners = new Set();
let strings = en;
let language = 'en';

export function t(key, params = {}) {
  let text = strings[key] ?? en[key];
  if (text === undefined) {
    console.error(`i18n: no string for "${key}"`);
    return key;
  }
  for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** True when the dictionary has `key` (for optional texts such as per-code error hints). */
export function has(key) {
  return key in strings || key in en;
}

export function currentLanguage() {
  return language;
}

/** Call `listener(code)` after every language change; returns a function that unsubscribes. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function setLanguage(code) {
  const wanted = code in LANGUAGES ? code : 'en';
  strings = wanted === 'en' ? en : (await import(`../i18n/${wanted}.js`)).default;
  language = wanted;
  try {
    localStorage.setItem(STORAGE_KEY, wanted);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
  document.documentElement.lang = wanted;
  translateStatic(document);
  for (const listener of listeners) listener(wanted);
}

/** The stored choice, else the browser's language if we have it, else English. */
export async function initLanguage() {
  let wanted = 'en';
  try {
    wanted = localStorage.getItem(STORAGE_KEY) || '';
  } catch {
    wanted = '';
  }
  if (!(wanted in LANGUAGES)) {
    const browser = navigator.languages || [navigator.language];
    wanted = browser.map((tag) => matchLanguage(tag)).find(Boolean) || 'en';
  }
  await setLanguage(wanted);
}

function matchLanguage(tag) {
  if (!tag) return null;
  if (tag in LANGUAGES) return tag;
  const base = tag.split('-')[0];
  return Object.keys(LANGUAGES).find((code) => code.split('-')[0] === base) || null;
}

/**
 * Fill the page's fixed texts: `data-i18n` sets textContent; `data-i18n-placeholder`,
 * `data-i18n-label` (aria-label) and `data-i18n-title` set those attributes.
 */
export function translateStatic(root) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder));
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  }
  for (const element of root.querySelectorAll('[data-i18n-title]')) element.title = t(element.dataset.i18nTitle);
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
}

/** Fill a <select> with the languages and switch on change; hidden while there is only one. */
export function bindLanguageSwitch(select) {
  select.replaceChildren();
  for (const [code, name] of Object.entries(LANGUAGES)) {
    const option = document.createElement('option');
    option.value = code;
    option.textContent = name;
    option.selected = code === language;
    select.append(option);
  }
  const wrapper = select.closest('.language-switch') || select;
  wrapper.hidden = Object.keys(LANGUAGES).length < 2;
  select.addEventListener('change', () => setLanguage(select.value));
  onLanguageChange((code) => {
    select.value = code;
  });
}
