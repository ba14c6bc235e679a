// The queue pane: my conversations, citizens waiting (oldest first, the wait amber then red past
// the limits, counted in office hours) and those colleagues hold. Cards show the channel, the
// citizen's name, their first question and their last message on two lines.
import { emit, state } from './state.js';
import { $, CHANNELS, REASONS, api, channelIcon, citizenName, el, staffName, waitClass, waitText } from './util.js';

/** Reads the queue and shows it. */
export async function loadQueue() {
  const { status, data } = await api('GET', '/api/staff/handoffs');
  if (status !== 200 || !Array.isArray(data)) return;
  state.tickets = data;
  state.ticketsAtMs = Date.now();
  renderQueue();
  emit('queue-loaded');
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
  $('mine-count').textContent = String(mine.length);
  $('waiting-count').textContent = String(waiting.length);
  $('others-count').textContent = String(others.length);
  const badge = $('queue-count');
  badge.textContent = String(waiting.length + mine.length);
  badge.title = `${waiting.length} người đang chờ, ${mine.length} cuộc của bạn`;
  badge.classList.toggle('hot', waiting.some((t) => waitClass(t) === 'wait-red'));
  $('queue-empty').hidden = waiting.length > 0;
  document.title = `${waiting.length > 0 ? `(${waiting.length}) ` : ''}Bàn cán bộ · Trợ lý DVC Cần Thơ`;
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
