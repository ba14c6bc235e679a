// The web chat's two calls to the server: send a message (POST) and wait for later ones
// (long-poll GET), for this browser's chat session. An ES module; no DOM here.

/** A random id for a session or a message. */
export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'x' + Date.now().toString(36) + Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 14);
}

/** This browser's chat session id, kept in localStorage (a new one when missing or malformed). */
function loadSessionId() {
  let id = localStorage.getItem('dvcbot.session');
  if (!id || !/^[A-Za-z0-9-]{16,64}$/.test(id)) {
    id = newId();
    localStorage.setItem('dvcbot.session', id);
  }
  return id;
}
const sessionId = loadSessionId();

/**
 * Sends one message (`text`, `option` or `start`, with its `messageId` and the `after` cursor)
 * and resolves the server's page `{items, cursor}`; rejects on a network error or a non-2xx.
 */
export function postMessage(payload) {
  return fetch('/api/web/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Object.assign({ sessionId: sessionId }, payload)),
  }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  });
}

/** Waits for messages after `after` (up to the server's long-poll time); rejects on failure. */
export function pollMessages(after) {
  return fetch('/api/web/messages?sessionId=' + encodeURIComponent(sessionId) + '&after=' + after).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  });
}

/** The page's own labels in a language (`vi` or `en`), from content/messages (`web.*`). */
export function fetchStrings(lang) {
  return fetch('/api/web/strings?lang=' + lang).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  });
}
