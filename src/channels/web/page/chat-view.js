// The web chat's conversation log: bubbles, reply buttons, tappable links, the typing indicator
// and where the log scrolls to. Every text is inserted with textContent, never as HTML.
// An ES module; it knows nothing of the network (chat.js drives it).

/** Web addresses (with or without https://) and Vietnamese phone numbers written in a message. */
const LINK = /(https?:\/\/[^\s<>"']+|www\.[^\s<>"']+|\b(?:[a-z0-9-]+\.)+(?:gov\.vn|com\.vn|edu\.vn|org\.vn|vn|com|org|net)(?:\/[^\s<>"']*)?|(?:\b0\d{2,3}[ .]?\d{3}[ .]?\d{3,4}\b|\b1[89]00[ .]?\d{4}(?:[ .]?\d{2})?\b))/gi;
/** Punctuation that ends a sentence rather than an address. */
const TRAILING = /[.,;:!?)\]'"»”]+$/;

/** How long freshly shown buttons ignore taps, ms: a finger still on the screen must not press them. */
const ARM_DELAY_MS = 500;

/**
 * Appends `text` to `parent`, turning web addresses into links (new tab, https for bare
 * domains) and phone numbers into tel: links. Only http(s) and tel: links are ever made.
 */
export function appendLinkified(parent, text) {
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    const start = m.index ?? 0;
    if (start > 0 && text[start - 1] === '@') continue; // part of an e-mail address
    let found = m[0];
    const tail = TRAILING.exec(found);
    if (tail) found = found.slice(0, -tail[0].length);
    if (found.length === 0) continue;
    parent.appendChild(document.createTextNode(text.slice(last, start)));
    parent.appendChild(linkFor(found));
    last = start + found.length;
  }
  parent.appendChild(document.createTextNode(text.slice(last)));
}

function linkFor(found) {
  const a = document.createElement('a');
  const digits = found.replace(/[ .]/g, '');
  if (/^\d+$/.test(digits)) {
    a.href = 'tel:' + digits;
  } else {
    a.href = /^https?:\/\//i.test(found) ? found : 'https://' + found;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
  }
  a.textContent = found;
  return a;
}

/** A bubble (`me`, `bot` or `notice`) in the log, with a hidden "who says it" for screen readers. */
export function addBubble(log, cls, text, who) {
  const div = document.createElement('div');
  div.className = 'msg ' + cls;
  if (who) {
    const label = document.createElement('span');
    label.className = 'visually-hidden';
    label.textContent = who + ' ';
    div.appendChild(label);
  }
  const body = document.createElement('span');
  body.className = 'text';
  if (cls === 'me') body.textContent = text;
  else appendLinkified(body, text);
  div.appendChild(body);
  log.insertBefore(div, log.querySelector('.typing')); // the typing indicator stays last
  return div;
}

/**
 * A bot message with its row of buttons: links (https only) open a new tab; a choice calls
 * `onChoice(button, item, row)` unless its row is used or has just appeared (aria-disabled for
 * half a second: a second tap of a finger must not land on the next message's buttons).
 */
export function addBotItem(log, item, labels, onChoice) {
  // A person's (staff) reply looks different: the citizen sees a person took over.
  // (Its text names the person, "👤 Cán bộ Lan: …": no "Assistant:" for screen readers before it.)
  const div = addBubble(log, item.fromStaff ? 'bot staff' : 'bot', item.text, item.fromStaff ? '' : labels.bot);
  div.dataset.seq = String(item.seq);
  if (item.lang) div.lang = item.lang;
  if (!item.buttons || item.buttons.length === 0) return div;
  const row = document.createElement('div');
  row.className = 'buttons';
  row.setAttribute('role', 'group');
  row.setAttribute('aria-label', labels.choices);
  // Just shown: a tap meant for the button that was here a moment ago must not press these.
  row.setAttribute('aria-disabled', 'true');
  setTimeout(function () { row.removeAttribute('aria-disabled'); }, ARM_DELAY_MS);
  item.buttons.forEach(function (b) {
    row.appendChild(buttonFor(b, item, row, onChoice));
  });
  div.appendChild(row);
  return div;
}

function buttonFor(b, item, row, onChoice) {
  if (b.kind === 'url') {
    const a = document.createElement('a');
    a.href = /^https:\/\//.test(b.url) ? b.url : '#';
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    a.className = 'link-button';
    a.textContent = b.label;
    return a;
  }
  const el = document.createElement('button');
  el.type = 'button';
  el.textContent = b.label;
  el.addEventListener('click', function () {
    if (row.dataset.used === 'true' || row.getAttribute('aria-disabled') === 'true') return;
    onChoice(b, item, row);
  });
  return el;
}

/** Marks a row of buttons as used (its choice was sent): they no longer react. */
export function markUsed(row) {
  row.dataset.used = 'true';
  row.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
}

/** Enables or disables every unused choice button while a message is on its way. */
export function setChoicesEnabled(log, enabled) {
  log.querySelectorAll('.buttons').forEach(function (row) {
    const off = !enabled || row.dataset.used === 'true';
    row.querySelectorAll('button').forEach(function (b) { b.disabled = off; });
  });
}

/** Shows or hides the "bot is typing" bubble (hidden from screen readers: the status line says it). */
export function setTyping(log, on) {
  let el = log.querySelector('.typing');
  if (on && !el) {
    el = document.createElement('div');
    el.className = 'msg bot typing';
    el.setAttribute('aria-hidden', 'true');
    for (let i = 0; i < 3; i++) el.appendChild(document.createElement('span')).className = 'dot';
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
  } else if (!on && el) {
    el.remove();
  }
}

/**
 * Scrolls to new bot messages: when they are taller than the log, the first one opens at its
 * top (its title and summary under the header, not its end); otherwise to the bottom.
 */
export function revealFrom(log, first) {
  if (!first) return;
  const below = log.scrollHeight - first.offsetTop;
  log.scrollTop = below > log.clientHeight ? first.offsetTop - 8 : log.scrollHeight;
}
