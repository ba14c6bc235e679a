// The web chat page: sends what the citizen types or taps, shows the bot's replies.
// Every text is inserted with textContent, never as HTML. An ES module (strict, deferred).
const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('input');
const errorBox = document.getElementById('error');
let cursor = 0;
let polling = false;

/** A random id for a message (for de-duplication). */
function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return 'x' + Date.now().toString(36) + Math.random().toString(36).slice(2, 14) + Math.random().toString(36).slice(2, 14);
}

// The session is an HttpOnly cookie the server issues with the first answer; the page never
// sees it. Forget the id earlier versions kept in localStorage.
try { localStorage.removeItem('dvcbot.session'); } catch (e) { /* storage blocked: nothing kept */ }

/** Puts the page's strings (from content/messages) in place, and keeps them for error messages. */
function applyStrings(s) {
  const set = function (id, key, attr) {
    const el = document.getElementById(id);
    if (el && s[key]) { if (attr) el.setAttribute(attr, s[key]); else el.textContent = s[key]; }
  };
  set('title', 'title'); set('subtitle', 'subtitle'); set('privacy', 'privacy'); set('send', 'send');
  set('input-label', 'input_label'); set('input', 'placeholder', 'placeholder'); set('log', 'log_label', 'aria-label');
  if (s.title) document.title = s.title;
  window.__strings = s;
}

/** Adds a message bubble (`me` or `bot`) to the log and scrolls to it. */
function addBubble(cls, text) {
  const div = document.createElement('div');
  div.className = 'msg ' + cls;
  div.textContent = text;
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
  return div;
}

/** A reply button: a link (https only) or a choice that is sent back as an option. */
function buttonFor(b, item) {
  let el;
  if (b.kind === 'url') {
    el = document.createElement('a');
    el.href = /^https:\/\//.test(b.url) ? b.url : '#';
    el.target = '_blank';
    el.rel = 'noopener noreferrer';
  } else {
    el = document.createElement('button');
    el.type = 'button';
    el.addEventListener('click', function () {
      addBubble('me', b.label);
      send({ option: { index: b.index, menuSeq: item.menuSeq } });
    });
  }
  el.textContent = b.label;
  return el;
}

/** Shows the bot's messages, each with its row of buttons; a person's (staff) replies look different. */
function showItems(items) {
  items.forEach(function (item) {
    const div = addBubble(item.fromStaff ? 'bot staff' : 'bot', item.text);
    if (item.buttons && item.buttons.length) {
      const row = document.createElement('div');
      row.className = 'buttons';
      item.buttons.forEach(function (b) { row.appendChild(buttonFor(b, item)); });
      div.appendChild(row);
    }
  });
  log.scrollTop = log.scrollHeight;
}

/** Shows the items of a server answer not shown yet, and moves the cursor past them. */
function showFresh(data) {
  if (data.session === 'new') cursor = 0; // the server started a new session: its numbering is new
  if (data.cursor < cursor) cursor = 0; // the server's numbering started again (its store was reset)
  const fresh = data.items.filter(function (i) { return i.seq > cursor; });
  cursor = Math.max(cursor, data.cursor);
  showItems(fresh);
}

/** Sends a message (text, option or start) and shows the replies; a failure shows the error line. */
function send(payload) {
  payload.messageId = newId();
  payload.after = cursor;
  errorBox.hidden = true;
  return fetch('/api/web/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(payload),
  }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    return r.json();
  }).then(showFresh).catch(function (err) {
    // The page's strings may still be on their way (a refusal can come first): wait for them.
    return stringsReady.then(function () {
      const s = window.__strings || {};
      errorBox.textContent = (err.message === 'HTTP 429' && s.busy) || s.error || 'Error';
      errorBox.hidden = false;
    });
  });
}

/** Long-polls for messages sent later (staff replies), again and again; backs off after a failure. */
function poll() {
  if (polling) return;
  polling = true;
  fetch('/api/web/messages?after=' + cursor, { credentials: 'same-origin' })
    .then(function (r) { return r.ok ? r.json() : { items: [], cursor: cursor }; })
    .then(function (data) {
      showFresh(data);
      polling = false;
      setTimeout(poll, 200);
    })
    .catch(function () { polling = false; setTimeout(poll, 5000); });
}

form.addEventListener('submit', function (e) {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  addBubble('me', text);
  input.value = '';
  send({ text: text });
  input.focus();
});

const stringsReady = fetch('/api/web/strings?lang=' + (document.documentElement.lang === 'en' ? 'en' : 'vi'))
  .then(function (r) { return r.json(); }).then(applyStrings).catch(function () {});
send({ start: true }).then(poll);
input.focus();
