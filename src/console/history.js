// The history pane: past and present hand-offs found by words, status, channel, label, staff
// and dates, newest first, a page at a time ("Xem thêm"). A click opens the case on the right.
import { emit, state } from './state.js';
import { $, CHANNELS, STATUSES, api, channelIcon, citizenName, el, staffName, when } from './util.js';

const page = { next: null, query: '' };

/** Wires the filters (once). */
export function initHistory() {
  $('history-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void searchHistory(true);
  });
  for (const id of ['h-status', 'h-channel', 'h-staff']) $(id).addEventListener('change', () => searchHistory(true));
  $('h-more').addEventListener('click', () => searchHistory(false));
}

/** The local day of a date input as epoch ms (start of the day, or of the next day for "to"). */
function dayMs(value, next) {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + (next ? 1 : 0)).getTime();
}

function queryString() {
  const params = new URLSearchParams();
  const add = (k, v) => {
    if (v !== undefined && v !== '') params.set(k, String(v));
  };
  add('q', $('h-q').value.trim());
  add('status', $('h-status').value);
  add('channel', $('h-channel').value);
  add('label', $('h-label').value.trim());
  add('staff', $('h-staff').value);
  add('from', dayMs($('h-from').value, false));
  add('to', dayMs($('h-to').value, true));
  return params.toString();
}

/** Searches (`fresh`: from the first page with the current filters; else the next page). */
export async function searchHistory(fresh) {
  if (fresh) {
    page.query = queryString();
    page.next = null;
  }
  const cursor = !fresh && page.next ? `&cursor=${encodeURIComponent(page.next)}` : '';
  const { status, data } = await api('GET', `/api/staff/conversations?${page.query}${cursor}`);
  if (status !== 200 || !data) {
    $('h-total').textContent = 'Không tìm được. Vui lòng thử lại.';
    return;
  }
  const list = $('history-list');
  if (fresh) list.replaceChildren();
  list.append(...data.items.map(caseCard));
  page.next = data.next || null;
  $('h-more').hidden = !page.next;
  $('h-total').textContent = data.total === 0 ? 'Không có cuộc trò chuyện nào khớp.' : `${data.total} cuộc trò chuyện`;
}

function caseCard(r) {
  const li = el('li');
  const btn = el('button', `ticket case ${r.status}`);
  btn.type = 'button';
  btn.dataset.caseId = r.caseId;
  const head = el('div', 'line1');
  head.append(channelIcon(r.channel), el('span', 'name', citizenName(r.channel, r.displayName)));
  btn.append(head, el('div', 'title', r.title ? `“${r.title}”` : 'Chưa có câu hỏi'));
  const meta = el('div', 'meta');
  meta.append(el('span', 'chan', CHANNELS[r.channel] || r.channel), el('span', `status ${r.status}`, STATUSES[r.status] || r.status), el('span', '', when(r.startedAtMs)));
  if (r.staff.length > 0) meta.append(el('span', '', r.staff.map(staffName).join(', ')));
  if (r.closedAtMs && r.lastCitizenAtMs && r.lastCitizenAtMs > r.closedAtMs) meta.append(el('span', 'wrote-again', '✉️ nhắn lại'));
  btn.append(meta);
  if (r.labels.length > 0) {
    const labels = el('div', 'labels');
    labels.append(...r.labels.map((l) => el('span', 'label', l)));
    btn.append(labels);
  }
  btn.addEventListener('click', () => emit('open-case', r.caseId));
  li.append(btn);
  return li;
}

/** Fills the staff filter and the label suggestions. */
export function renderHistoryChoices() {
  const staff = $('h-staff');
  const current = staff.value;
  const all = el('option', '', 'Mọi cán bộ');
  all.value = '';
  staff.replaceChildren(all, ...state.colleagues.map((c) => Object.assign(el('option', '', c.displayName), { value: c.username })));
  staff.value = current;
  $('known-labels').replaceChildren(...state.labels.map((l) => Object.assign(el('option'), { value: l })));
}
