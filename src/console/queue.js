// The queue pane: my conversations, citizens waiting (oldest first, the wait amber then red past
// the limits, counted in office hours) and those colleagues hold. Cards show the channel, the
// citizen's name, their first question and their last message on two lines. Only a page of the
// waiting citizens is read (more on demand); live events carry each change (the ticket's new
// state and the totals), applied here without reading the queue again.
import { emit, state } from './state.js';
import { $, CHANNELS, REASONS, api, channelIcon, citizenName, debounce, el, staffName, waitClass, waitText } from './util.js';

/** Waiting citizens shown at first, and added by "show more". */
export const WAITING_PAGE = 50;
/** Waiting tickets the server gives in one read at most (QUEUE_PAGE_MAX). */
const READ_MAX = 200;

const byWait = (a, b) => a.waitingSinceMs - b.waitingSinceMs || (a.id < b.id ? -1 : 1);
const byClaim = (a, b) => (a.claimedAtMs || 0) - (b.claimedAtMs || 0) || (a.id < b.id ? -1 : 1);
const readQueue = (offset, limit) => api('GET', `/api/staff/queue?offset=${offset}&limit=${limit}`);
const validPage = ({ status, data }) => status === 200 && data && data.waiting && data.active;

/** Live events that arrived while the queue was being read (applied again on what was read). */
let arrivedDuringRead = null;

/**
 * Reads the queue — the waiting shown so far (a page at a time), every active one, the totals —
 * and shows it. Deltas that arrive meanwhile are applied again on what was read.
 */
export async function loadQueue() {
  const during = [];
  arrivedDuringRead = during;
  try {
    const first = await readQueue(0, Math.min(state.waitingShown, READ_MAX));
    if (!validPage(first)) return;
    const waiting = new Map(first.data.waiting.tickets.map((t) => [t.id, t]));
    let total = first.data.waiting.total;
    // Further pages when more than one read's worth is shown ("show more" several times).
    for (let read = READ_MAX; read < Math.min(state.waitingShown, total); read += READ_MAX) {
      const next = await readQueue(read, Math.min(state.waitingShown - read, READ_MAX));
      if (!validPage(next) || next.data.waiting.tickets.length === 0) break;
      for (const t of next.data.waiting.tickets) waiting.set(t.id, t);
      total = next.data.waiting.total;
    }
    state.tickets = [...[...waiting.values()].sort(byWait), ...first.data.active.tickets];
    state.counts = { waiting: total, active: first.data.active.total };
    state.ticketsAtMs = Date.now();
  } finally {
    if (arrivedDuringRead === during) arrivedDuringRead = null;
  }
  for (const ev of during) place(ev);
  renderQueue();
  emit('queue-loaded');
}

/** Shows the next page of waiting citizens (only that page is read). */
export async function moreWaiting() {
  const shown = queueGroups().waiting.length;
  const { status, data } = await readQueue(shown, WAITING_PAGE);
  if (!validPage({ status, data })) return;
  const readAtMs = Date.now();
  const known = new Set(state.tickets.map((t) => t.id));
  const added = data.waiting.tickets.filter((t) => !known.has(t.id)).map((t) => ({ ...t, readAtMs }));
  state.waitingShown = shown + WAITING_PAGE;
  state.counts = { waiting: data.waiting.total, active: data.active.total };
  state.tickets = [...queueGroups().waiting, ...added].sort(byWait).concat(state.tickets.filter((t) => t.status === 'active'));
  renderQueue();
}

/**
 * Applies a live event's delta: the conversation's ticket now (null: out of the queue) and the
 * queue's totals. A waiting ticket is shown when it falls within the waiting shown so far; when
 * one leaves them and more wait, the page is read again (one page, not the queue).
 */
export function applyDelta(ev) {
  if (arrivedDuringRead) arrivedDuringRead.push(ev);
  place(ev);
  renderQueue();
  const shown = queueGroups().waiting.length;
  if (shown < Math.min(state.waitingShown, state.counts.waiting)) debounce('queue', 300, loadQueue);
}

/** Puts the event's ticket where it belongs in `state.tickets` (or takes it out). */
function place(ev) {
  const others = state.tickets.filter((t) => t.id !== ev.conversationId);
  const t = ev.ticket ? { ...ev.ticket, readAtMs: Date.now() } : null;
  if (ev.counts) state.counts = { waiting: ev.counts.waiting, active: ev.counts.active };
  const waiting = others.filter((x) => x.status === 'waiting');
  const active = others.filter((x) => x.status === 'active');
  if (t && t.status === 'active') active.push(t);
  if (t && t.status === 'waiting') {
    // Shown when every waiting citizen is, or when it waits longer than the last one shown.
    const last = waiting[waiting.length - 1];
    if (waiting.length + 1 >= state.counts.waiting || (last && byWait(t, last) < 0)) waiting.push(t);
  }
  state.tickets = [...waiting.sort(byWait).slice(0, state.waitingShown), ...active.sort(byClaim)];
}

/** The queue split as the pane shows it. */
export function queueGroups() {
  const me = state.me ? state.me.username : '';
  return {
    mine: state.tickets.filter((t) => t.status === 'active' && t.owner === me),
    waiting: state.tickets.filter((t) => t.status === 'waiting'),
    others: state.tickets.filter((t) => t.status === 'active' && t.owner !== me),
  };
}

/** Shows the three lists, their counts, the tab's badge (waiting + mine) and the page title. */
export function renderQueue() {
  const { mine, waiting, others } = queueGroups();
  fill('queue-mine', mine);
  fill('queue-waiting', waiting);
  fill('queue-others', others);
  // The totals, not what is shown: a long queue is read a page at a time.
  const waitingTotal = Math.max(state.counts.waiting, waiting.length);
  const othersTotal = Math.max(state.counts.active - mine.length, others.length);
  $('mine-count').textContent = String(mine.length);
  $('waiting-count').textContent = String(waitingTotal);
  $('others-count').textContent = String(othersTotal);
  const more = $('queue-more');
  more.hidden = waiting.length >= waitingTotal;
  more.textContent = `Xem thêm (còn ${waitingTotal - waiting.length} người đang chờ)`;
  const badge = $('queue-count');
  badge.textContent = String(waitingTotal + mine.length);
  badge.title = `${waitingTotal} người đang chờ, ${mine.length} cuộc của bạn`;
  badge.classList.toggle('hot', waiting.some((t) => waitClass(t) === 'wait-red'));
  $('queue-empty').hidden = waitingTotal > 0;
  document.title = `${waitingTotal > 0 ? `(${waitingTotal}) ` : ''}Bàn cán bộ · Trợ lý DVC Cần Thơ`;
}

function fill(listId, tickets) {
  const list = $(listId);
  list.replaceChildren(...tickets.map(ticketCard));
}

/** One queue card (a button opening the conversation). */
function ticketCard(t) {
  const li = el('li');
  const btn = el('button', `ticket ${t.status} ${waitClass(t)}${t.reason === 'scam' ? ' scam' : ''}${t.id === state.openId ? ' selected' : ''}`);
  btn.type = 'button';
  btn.dataset.id = t.id;
  const head = el('div', 'line1');
  head.append(channelIcon(t.channel), el('span', 'name', citizenName(t.channel, t.displayName)));
  const question = el('div', 'title', t.title ? `“${t.title}”` : 'Chưa có câu hỏi');
  btn.append(head, question);
  if (t.lastMessage && t.lastMessage !== t.title) btn.append(el('div', 'last', t.lastMessage));
  const meta = el('div', 'meta');
  const me = state.me ? state.me.username : '';
  const status = t.status === 'waiting' ? waitText(t) : `${t.owner === me ? 'Bạn' : staffName(t.owner)} đang xử lý`;
  meta.append(el('span', 'chan', CHANNELS[t.channel] || t.channel), el('span', 'waited', status));
  const extra = [REASONS[t.reason] || t.reason, t.guideTitle].filter(Boolean).join(' · ');
  if (extra) meta.append(el('span', 'extra', extra));
  btn.append(meta);
  btn.addEventListener('click', () => emit('open-conversation', t.id));
  li.append(btn);
  return li;
}

/** Updates the waits on the cards (between reads of the queue). */
export function tickQueue() {
  for (const node of document.querySelectorAll('#queue-waiting .ticket')) {
    const t = state.tickets.find((x) => x.id === node.dataset.id);
    if (!t) continue;
    const span = node.querySelector('.waited');
    if (span) span.textContent = waitText(t);
    node.classList.remove('wait-ok', 'wait-amber', 'wait-red');
    node.classList.add(waitClass(t));
  }
}
