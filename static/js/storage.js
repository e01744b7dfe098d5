// Credentials live in the URL fragment only until the page reads them: they are then kept in this
// tab's sessionStorage and removed from the address bar, and never sent in a query string.

export function fragmentParams() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

/** Read `name` from the fragment and remove it from the address bar (keeping other fragment keys). */
export function takeFromFragment(name) {
  const params = fragmentParams();
  const value = params.get(name);
  if (value === null) return null;
  params.delete(name);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
  return value;
}

/** Set (or remove, with null) a key in the fragment without reloading. */
export function setFragment(name, value) {
  const params = fragmentParams();
  if (value === null || value === undefined) params.delete(name);
  else params.set(name, value);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

export const tabStore = {
  get(key) {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      sessionStorage.setItem(key, value);
    } catch {
      // Storage disabled: the value lasts as long as the page.
    }
  },
  remove(key) {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Nothing stored.
    }
  },
  getJson(key, fallback) {
    const raw = this.get(key);
    if (!raw) return fallback;
    try {
      return JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  setJson(key, value) {
    this.set(key, JSON.stringify(value));
  },
};
