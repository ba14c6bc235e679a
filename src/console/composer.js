// The composer: a reply to the citizen or a private note (never sent), with canned replies
// inserted by typing "/" and a few letters (↑ ↓ to choose, Enter or Tab to insert, Esc to
// close), and the guide picker: every guide, sorted by title, with a search box.
import { emit, state } from './state.js';
import { $, api, el, fold, matchesWords } from './util.js';

/** Canned replies shown at once in the "/" list. */
const SLASH_MAX = 8;
const slash = { items: [], index: 0, start: -1 };
/** What the clerk may write in the open conversation (the last renderComposer call). */
let allowedNow = null;
/** The mode the clerk picked last ('reply' or 'note'). */
let chosenMode = 'reply';

/** Enables what the clerk may write: `reply` (they hold it), `note` (a handed-off conversation); null hides the composer. */
export function renderComposer(allowed) {
  allowedNow = allowed;
  $('reply-form').hidden = allowed === null;
  $('guide-box').hidden = allowed === null;
  if (allowed === null) return;
  $('mode-reply').disabled = !allowed.reply;
  $('mode-note').disabled = !allowed.note;
  // The clerk's choice where allowed; else the other mode (a note on a colleague's conversation).
  const wantNote = chosenMode === 'note' ? allowed.note || !allowed.reply : !allowed.reply && allowed.note;
  $(wantNote ? 'mode-note' : 'mode-reply').checked = true;
  const can = (noteMode() && allowed.note) || (!noteMode() && allowed.reply);
  $('reply-text').disabled = !can;
  $('reply-send').disabled = !can;
  $('guide-search').disabled = !allowed.reply;
  for (const b of document.querySelectorAll('#guide-list button')) b.disabled = !allowed.reply;
  showMode();
}

const noteMode = () => $('mode-note').checked;

function showMode() {
  const note = noteMode();
  $('reply-form').classList.toggle('note-mode', note);
  $('reply-send').textContent = note ? 'Lưu ghi chú' : 'Gửi';
  $('reply-text').placeholder = note
    ? 'Ghi chú riêng cho cán bộ — người dân không thấy · Ctrl+Enter để lưu'
    : 'Gõ / để chèn câu trả lời mẫu · Ctrl+Enter để gửi';
}

/** Wires the composer and the guide picker (once). */
export function initComposer() {
  for (const id of ['mode-reply', 'mode-note']) {
    $(id).addEventListener('change', () => {
      chosenMode = noteMode() ? 'note' : 'reply';
      renderComposer(allowedNow);
    });
  }
  $('reply-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send();
  });
  const box = $('reply-text');
  box.addEventListener('input', updateSlash);
  box.addEventListener('click', updateSlash);
  box.addEventListener('keydown', onKey);
  box.addEventListener('blur', () => setTimeout(closeSlash, 150));
  $('guide-search').addEventListener('input', renderGuides);
}

async function send() {
  const text = $('reply-text').value.trim();
  if (!text || !state.openId) return;
  const note = noteMode();
  $('reply-send').disabled = true;
  const id = state.openId;
  const { status } = await api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/${note ? 'notes' : 'messages'}`, { text });
  $('reply-send').disabled = false;
  if (status === 200) {
    $('reply-text').value = '';
    $('conv-error').textContent = '';
  } else {
    $('conv-error').textContent = status === 409 ? 'Bạn không phụ trách cuộc trò chuyện này.' : 'Không gửi được. Vui lòng thử lại.';
  }
  emit('changed', id);
}

function onKey(ev) {
  if (!$('slash-menu').hidden) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      const n = slash.items.length;
      slash.index = (slash.index + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
      renderSlash();
      return;
    }
    if (ev.key === 'Enter' || ev.key === 'Tab') {
      ev.preventDefault();
      insertReply(slash.items[slash.index]);
      return;
    }
    if (ev.key === 'Escape') {
      ev.preventDefault();
      closeSlash();
      return;
    }
  }
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) $('reply-form').requestSubmit();
}

/** Opens, filters or closes the "/" list from the word before the caret. */
function updateSlash() {
  const box = $('reply-text');
  const before = box.value.slice(0, box.selectionStart);
  const m = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!m || state.replies.length === 0) return closeSlash();
  const q = m[2];
  slash.start = before.length - q.length - 1;
  const fq = fold(q);
  const hits = state.replies.filter((r) => fold(r.id).includes(fq) || matchesWords(r.title, q));
  hits.sort((a, b) => Number(!fold(a.id).startsWith(fq)) - Number(!fold(b.id).startsWith(fq)));
  slash.items = hits.slice(0, SLASH_MAX);
  slash.index = 0;
  if (slash.items.length === 0) return closeSlash();
  renderSlash();
}

function renderSlash() {
  const menu = $('slash-menu');
  menu.replaceChildren(
    ...slash.items.map((r, i) => {
      const li = el('li', i === slash.index ? 'on' : '');
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === slash.index));
      li.append(el('strong', '', `/${r.id}`), el('span', '', ` ${r.title}`), el('div', 'preview', textOf(r)));
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        insertReply(r);
      });
      return li;
    }),
  );
  menu.hidden = false;
}

function closeSlash() {
  $('slash-menu').hidden = true;
  slash.items = [];
}

/** The reply's text in the citizen's language. */
function textOf(r) {
  const lang = state.open && state.open.lang === 'en' ? 'en' : 'vi';
  return r.text[lang];
}

/** Puts the reply where "/…" was typed; the clerk can still edit it before sending. */
function insertReply(r) {
  if (!r) return;
  const box = $('reply-text');
  const caret = box.selectionStart;
  const text = textOf(r);
  box.value = box.value.slice(0, slash.start) + text + box.value.slice(caret);
  const at = slash.start + text.length;
  box.setSelectionRange(at, at);
  closeSlash();
  box.focus();
}

/** Shows the guides matching the search box, sorted by title. */
export function renderGuides() {
  const q = $('guide-search').value;
  const list = $('guide-list');
  const hits = state.guides.filter((g) => matchesWords(`${g.title} ${g.id} ${g.category}`, q));
  const disabled = $('guide-search').disabled;
  list.replaceChildren(
    ...hits.map((g) => {
      const li = el('li');
      const btn = el('button', 'guide-item', g.title);
      btn.type = 'button';
      btn.disabled = disabled;
      btn.title = `Gửi hướng dẫn “${g.title}” cho người dân`;
      btn.addEventListener('click', () => insertGuide(g));
      li.append(btn);
      return li;
    }),
  );
  if (hits.length === 0) list.append(el('li', 'muted small', 'Không có hướng dẫn nào khớp.'));
}

async function insertGuide(g) {
  const id = state.openId;
  if (!id) return;
  const { status } = await api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/guide`, { guideId: g.id });
  $('conv-error').textContent = status === 200 ? '' : 'Không gửi được hướng dẫn.';
  if (status === 200) $('guide-box').open = false;
  emit('changed', id);
}

/** Keeps the guides sorted by their Vietnamese title. */
export function setGuides(guides) {
  state.guides = [...guides].sort((a, b) => a.title.localeCompare(b.title, 'vi'));
  renderGuides();
}
