// Every string the consoles and report pages show comes from one dictionary per language in
// /static/i18n/<code>.js. `t(key, params)` looks a string up and fills `{name}` placeholders;
// `setLanguage` loads another dictionary and tells every registered view to re-render. Adding a
// language: add its file (the same keys as en.js) and one line to LANGUAGES.

import en from '../i18n/en.js';

/** Languages the switch offers: code → the language's own name. */
export const LANGUAGES = { en: 'English', 'zh-CN': '中文' };

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
  if (/^zh-(TW|HK|MO|Hant)/i.test(tag)) return null; // Traditional Chinese readers: not Simplified by default
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

/**
 * Fill the header's language switch (an element with role=group) with one button per language,
 * "English / 中文", the current one pressed; a click switches at once. Hidden while there is only one.
 */
export function bindLanguageSwitch(group) {
  const buttons = Object.entries(LANGUAGES).map(([code, name]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'language-option';
    button.lang = code;
    button.dataset.language = code;
    button.textContent = name;
    button.addEventListener('click', () => {
      if (code !== language) setLanguage(code);
    });
    return button;
  });
  const parts = [];
  buttons.forEach((button, index) => {
    if (index) {
      const slash = document.createElement('span');
      slash.className = 'language-divider';
      slash.setAttribute('aria-hidden', 'true');
      slash.textContent = '/';
      parts.push(slash);
    }
    parts.push(button);
  });
  group.replaceChildren(...parts);
  group.hidden = buttons.length < 2;
  const mark = () => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.language === language));
    group.setAttribute('aria-label', t('common.language'));
  };
  mark();
  onLanguageChange(mark);
}
