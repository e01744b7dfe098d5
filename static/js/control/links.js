// Seat links are shown by the server only once, when they are issued. The control console keeps the
// ones issued in this browser tab (sessionStorage) so the facilitator can copy them again; a link
// not kept here can be replaced with "Reissue link".

import { tabStore } from '../storage.js';

function key(exerciseId) {
  return `hotline.links.${exerciseId}`;
}

export function keptLinks(exerciseId) {
  return tabStore.getJson(key(exerciseId), {});
}

/** Keep the links of issued seats ({id, url} objects from the API). */
export function keepLinks(exerciseId, seats) {
  const links = keptLinks(exerciseId);
  for (const seat of seats) if (seat.url) links[seat.id] = seat.url;
  tabStore.setJson(key(exerciseId), links);
}

export function forgetLink(exerciseId, seatId) {
  const links = keptLinks(exerciseId);
  delete links[seatId];
  tabStore.setJson(key(exerciseId), links);
}

/** Copy text to the clipboard; falls back to selecting it in `input` where the clipboard API is missing. */
export async function copyText(text, input) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Fall through to the selection copy below.
    }
  }
  if (input) {
    input.focus();
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}
