// The web chat page: sends what the citizen types or taps, shows the bot's replies, and never
// drops a message: one message at a time (the send button and the choices wait, a typing
// indicator shows), a failed send keeps its text and offers to send it again, each reply is
// shown once, and a server that forgot the conversation (a restart without its store) is said
// so. An ES module (strict, deferred); the log, the buttons and the links are built in
// chat-view.js, the labels in chat-strings.js, the calls in chat-api.js.
import { newId, pollMessages, postMessage } from './chat-api.js';
import { currentLang, labels, rememberedLang, useLang } from './chat-strings.js';
import { addBotItem, addBubble, markUsed, revealFrom, setChoicesEnabled, setTyping } from './chat-view.js';

const log = document.getElementById('log');
const form = document.getElementById('composer');
const input = document.getElementById('input');
const sendButton = document.getElementById('send');
const errorBox = document.getElementById('error');
const status = document.getElementById('status');

/**
 * `cursor`: the highest message number shown. `gen`: bumped when the server's numbering started
 * again; an answer to a request made before that is stale and dropped (the poll refetches).
 * `turnFirst`: the first bot message of the answer on its way (part of it may come by the poll).
 */
const state = { cursor: 0, gen: 0, busy: false, polling: false, turnFirst: null };

/** While a message is on its way: no second send, no choice taps, a typing indicator. */
function setBusy(on) {
  state.busy = on;
  sendButton.disabled = on;
  setChoicesEnabled(log, !on);
  setTyping(log, on);
  status.textContent = on ? labels().typing : '';
}

/** Shows bot messages, follows their language, and scrolls to the first one's top when long. */
function showItems(items) {
  let first = null;
  let lang = null;
  items.forEach(function (item) {
    const div = addBotItem(log, item, labels(), onChoice);
    if (!first) first = div;
    if (item.lang) lang = item.lang;
  });
  if (lang && lang !== currentLang()) void useLang(lang);
  if (state.busy && !state.turnFirst) state.turnFirst = first;
  revealFrom(log, state.turnFirst || first);
}

/**
 * Takes a server answer to a request sent with cursor `sentAfter`. Shows each message once:
 * only numbers above the cursor. A cursor below `sentAfter` means the server's numbering
 * started again (it lost the conversation): say so, then start over from its numbers. A
 * later cursor lower than ours is simply an older view (a long-poll woken by the first of two
 * messages), never a reset.
 */
function showPage(data, sentAfter, sentGen) {
  if (sentGen !== state.gen) return;
  // A new session (the old one was gone): the server's numbering starts again.
  if (data.cursor < sentAfter || (data.session === 'new' && sentAfter > 0)) {
    state.gen += 1;
    state.cursor = 0;
    if (labels().restarted) addBubble(log, 'notice', labels().restarted);
  }
  const fresh = data.items.filter(function (i) { return i.seq > state.cursor; });
  state.cursor = Math.max(state.cursor, data.cursor);
  showItems(fresh);
}

/** Marks the citizen's bubble as not sent, with a button to send it again. `busy`: too many new chats (429). */
function markFailed(bubble, payload, onRetry, busy) {
  // The labels may still be on their way (a refusal can come first): show the line once they are here.
  void stringsReady.then(function () {
    errorBox.textContent = (busy && labels().busy) || labels().error;
    errorBox.hidden = false;
  });
  if (payload.text !== undefined && input.value.trim() === '') input.value = payload.text;
  if (!bubble || bubble.classList.contains('failed')) return;
  bubble.classList.add('failed');
  const note = document.createElement('span');
  note.className = 'failed-note';
  note.textContent = labels().failed + ' ';
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'retry';
  retry.textContent = labels().retry;
  retry.addEventListener('click', function () {
    if (!state.busy) onRetry();
  });
  note.appendChild(retry);
  bubble.appendChild(note);
}

function markSent(bubble) {
  if (!bubble) return;
  bubble.classList.remove('failed');
  const note = bubble.querySelector('.failed-note');
  if (note) note.remove();
}

/**
 * Sends one message (its id is kept across retries, so the server handles it once) and shows
 * the replies. Resolves true when the server took it; false when busy or when it failed.
 */
function send(payload, bubble) {
  if (state.busy) return Promise.resolve(false);
  payload.messageId = payload.messageId || newId();
  const sentAfter = state.cursor;
  const sentGen = state.gen;
  payload.after = sentAfter;
  errorBox.hidden = true;
  setBusy(true);
  state.turnFirst = null;
  return postMessage(payload).then(function (data) {
    setBusy(false);
    markSent(bubble);
    if (payload.text !== undefined && input.value.trim() === payload.text) input.value = '';
    showPage(data, sentAfter, sentGen);
    state.turnFirst = null;
    return true;
  }, function (err) {
    setBusy(false);
    state.turnFirst = null;
    markFailed(bubble, payload, function () { void send(payload, bubble); }, err && err.message === 'HTTP 429');
    return false;
  });
}

/** A tapped choice: shown as the citizen's message, sent with its menu; the row is used up. */
function onChoice(button, item, row) {
  if (state.busy) return;
  markUsed(row);
  const bubble = addBubble(log, 'me', button.label, labels().you);
  log.scrollTop = log.scrollHeight;
  void send({ option: { index: button.index, menuSeq: item.menuSeq } }, bubble).then(function (ok) {
    if (!ok) delete row.dataset.used;
    setChoicesEnabled(log, !state.busy);
  });
}

/** Long-polls for messages sent later (staff replies), again and again; backs off after a failure. */
function poll() {
  if (state.polling) return;
  state.polling = true;
  const sentAfter = state.cursor;
  const sentGen = state.gen;
  pollMessages(sentAfter).then(function (data) {
    state.polling = false;
    showPage(data, sentAfter, sentGen);
    setTimeout(poll, 200);
  }, function () {
    state.polling = false;
    setTimeout(poll, 5000);
  });
}

form.addEventListener('submit', function (e) {
  e.preventDefault();
  if (state.busy) return;
  const text = input.value.trim();
  if (!text) return;
  log.querySelectorAll('.msg.me.failed').forEach(function (old) {
    if (old.querySelector('.text') && old.querySelector('.text').textContent === text) old.remove();
  });
  const bubble = addBubble(log, 'me', text, labels().you);
  log.scrollTop = log.scrollHeight;
  input.value = '';
  void send({ text: text }, bubble);
  input.focus();
});

/**
 * With large text (a phone's text size at 150 % or more) the header would take a third of the
 * screen: the subtitle goes, the title and the conversation stay. Watches the title's size, so
 * a change of text size is followed.
 */
function fitHeader() {
  const title = document.getElementById('title');
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize);
  title.parentElement.classList.toggle('compact', rootPx >= 24 || title.offsetHeight > window.innerHeight * 0.12);
}
if (window.ResizeObserver) new ResizeObserver(fitHeader).observe(document.getElementById('title'));
fitHeader();

const stringsReady = useLang(rememberedLang());
send({ start: true }).then(poll);
// On a phone the keyboard would hide the welcome: focus the input only with a mouse or keyboard.
if (!window.matchMedia('(pointer: coarse)').matches) input.focus();
