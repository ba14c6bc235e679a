// The web chat's two calls to the server: send a message (POST) and wait for later ones
// (long-poll GET), for this browser's chat session. An ES module; no DOM here.

/** A random id for a session or a message. */
export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'x' + Date.now().toString(36) + Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 14);
}

// The session is an HttpOnly cookie the server issues with the first answer; the page never
// sees it, and it never travels in a URL. Forget the id earlier versions kept in localStorage.
try {
  localStorage.removeItem('dvcbot.session');
} catch (e) {
  /* storage blocked: nothing kept */
}

/**
 * Sends one message (`text`, `option` or `start`, with its `messageId` and the `after` cursor)
 * and resolves the server's page `{items, cursor}`; rejects on a network error or a non-2xx.
 */
export function postMessage(payload) {
  return fetch('/api/web/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(payload),
  }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  });
}

/** Waits for messages after `after` (up to the server's long-poll time); rejects on failure. */
export function pollMessages(after) {
  return fetch('/api/web/messages?after=' + after, { credentials: 'same-origin' }).then(function (r) {
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
