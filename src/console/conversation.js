// The right pane: a live conversation of the queue (claim, transfer, labels, resolve, reopen)
// or a past case from the history (read-only, labels, reopen). Private notes show in yellow
// with a lock; they are never sent to the citizen.
import { renderComposer } from './composer.js';
import { emit, state } from './state.js';
import { $, CHANNELS, REASONS, STATUSES, api, channelIcon, citizenName, el, staffName, waitText, when } from './util.js';

const ROLES = { citizen: 'Người dân', bot: 'Bot', system: 'Hệ thống', staff: 'Cán bộ', note: '🔒 Ghi chú riêng' };
const ERRORS = {
  not_owner: 'Bạn không phụ trách cuộc trò chuyện này.',
  not_found: 'Cuộc trò chuyện không còn trong hàng chờ.',
  not_reopenable: 'Chỉ mở lại được khi người dân nhắn lại trong vòng một ngày sau khi kết thúc.',
  bad_request: 'Nội dung chưa hợp lệ.',
};

/** Opens a conversation of the queue. */
export async function openConversation(id) {
  state.openId = id;
  state.caseView = null;
  $('conv-error').textContent = '';
  showDetail();
  emit('selection');
  await loadConversation();
}

/** Opens a past case of the history. */
export async function openCase(caseId) {
  const { status, data } = await api('GET', `/api/staff/conversations/${encodeURIComponent(caseId)}`);
  if (status !== 200) return;
  state.openId = null;
  state.open = null;
  state.caseView = data;
  $('conv-error').textContent = '';
  showDetail();
  emit('selection');
  renderCase();
}

/** Reads the open conversation again and shows it (the placeholder when it is gone). */
export async function loadConversation() {
  const id = state.openId;
  if (!id) return;
  const { status, data } = await api('GET', `/api/staff/handoffs/${encodeURIComponent(id)}`);
  if (id !== state.openId) return;
  if (status !== 200) {
    state.open = null;
    $('conversation').hidden = true;
    $('placeholder').hidden = false;
    return;
  }
  state.open = data;
  renderConversation();
}

function showDetail() {
  $('placeholder').hidden = true;
  $('conversation').hidden = false;
  document.querySelector('.app').classList.add('show-detail');
  $('transfer-form').hidden = true;
  $('labels-form').hidden = true;
}

/** The conversation id the actions work on (live, or the case's). */
function currentId() {
  return state.openId || (state.caseView && state.caseView.record.conversationId) || null;
}

/** Who holds the open conversation: true when it is this clerk. */
export function isMine() {
  const t = state.open && state.open.ticket;
  return Boolean(t && t.status === 'active' && state.me && t.owner === state.me.username);
}

/** Shows the live conversation: who, what they asked and read, the actions allowed, the lines. */
function renderConversation() {
  const c = state.open;
  const t = c.ticket;
  const r = c.record;
  const channel = (t && t.channel) || state.openId.split(':')[0];
  renderHead(channel, (t && t.displayName) || (r && r.displayName), (t && t.title) || (r && r.title));
  const meta = [];
  if (t) meta.push(t.status === 'waiting' ? `Đang chờ · ${waitText(t)}` : `Cán bộ ${staffName(t.owner)} đang xử lý`);
  else meta.push(r ? STATUSES[r.status] || r.status : 'Đã kết thúc hoặc người dân đã hủy');
  if (t) meta.push(REASONS[t.reason] || t.reason);
  meta.push(c.lang === 'en' ? 'English' : 'Tiếng Việt');
  if (c.unreachable) meta.push('⚠️ Không gửi được tin cho người dân (đã chặn bot?)');
  $('conv-meta').textContent = meta.join(' · ');
  $('conv-read').textContent = readLine(c.guideId, c.step);
  renderLabels(r ? r.labels : []);
  const mine = isMine();
  $('claim').hidden = !(t && t.status === 'waiting');
  $('reopen').hidden = !c.canReopen;
  $('transfer-open').hidden = !mine;
  $('resolve').hidden = !mine;
  $('labels-open').hidden = !r;
  renderLines(c.transcript, state.openId);
  renderComposer({ reply: mine, note: Boolean(r) });
}

/** Shows a past case: its record and its lines; no composer. */
function renderCase() {
  const { record: r, lines } = state.caseView;
  renderHead(r.channel, r.displayName, r.title);
  const meta = [STATUSES[r.status] || r.status, `bắt đầu ${when(r.startedAtMs)}`, REASONS[r.reason] || r.reason];
  if (r.staff.length > 0) meta.push(`cán bộ: ${r.staff.map(staffName).join(', ')}`);
  if (r.closedAtMs) meta.push(`kết thúc ${when(r.closedAtMs)}${r.closedBy && r.closedBy !== 'citizen' ? ` (${staffName(r.closedBy)})` : ''}`);
  if (r.closedAtMs && r.lastCitizenAtMs && r.lastCitizenAtMs > r.closedAtMs) meta.push(`✉️ người dân nhắn lại ${when(r.lastCitizenAtMs)}`);
  $('conv-meta').textContent = meta.join(' · ');
  $('conv-read').textContent = readLine(r.guideId);
  renderLabels(r.labels);
  $('claim').hidden = true;
  $('reopen').hidden = !state.caseView.canReopen;
  $('transfer-open').hidden = true;
  $('resolve').hidden = true;
  $('labels-open').hidden = false;
  renderLines(lines, `case:${r.caseId}`);
  renderComposer(null);
}

function renderHead(channel, displayName, title) {
  $('conv-icon').replaceWith(Object.assign(channelIcon(channel), { id: 'conv-icon' }));
  const name = citizenName(channel, displayName);
  $('conv-title').textContent = title ? `${name} · “${title}”` : name;
  $('conv-title').title = CHANNELS[channel] || channel;
}

/** "What the citizen already read": the guide the bot had open, and how far. */
function readLine(guideId, step) {
  if (!guideId) return '';
  const g = state.guides.find((x) => x.id === guideId);
  const title = g ? g.title : guideId;
  return step && g ? `📖 Đã xem: ${title} — bước ${step}/${g.steps}` : `📖 Hướng dẫn đang mở: ${title}`;
}

function renderLabels(labels) {
  const box = $('conv-labels');
  box.replaceChildren(...labels.map((l) => el('span', 'label', l)));
}

/** The transcript: the citizen on the left, the bot, staff and notes on the right. */
function renderLines(lines, key) {
  const list = $('transcript');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren();
  for (const e of lines) {
    const li = el('li', `entry ${e.role}`);
    const who = (e.role === 'staff' || e.role === 'note') && e.by ? `${ROLES[e.role]} · ${staffName(e.by)}` : ROLES[e.role] || e.role;
    li.append(el('div', 'who', `${who} · ${when(e.atMs)}`), el('div', 'text', e.text));
    list.append(li);
  }
  if (atBottom || list.dataset.key !== key) list.scrollTop = list.scrollHeight;
  list.dataset.key = key;
}

/** Posts an action on the current conversation; shows what went wrong; reads everything again. */
export async function act(path, body) {
  const id = currentId();
  if (!id) return false;
  $('conv-error').textContent = '';
  const { status, data } = await api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/${path}`, body);
  if (status !== 200) {
    const code = data && data.error;
    $('conv-error').textContent =
      code === 'taken' ? `Cán bộ ${data.owner || 'khác'} đã nhận cuộc trò chuyện này.` : ERRORS[code] || 'Không thực hiện được. Vui lòng thử lại.';
  }
  emit('changed', id);
  return status === 200;
}

/** Wires the action buttons and the transfer and label panels (once). */
export function initConversation() {
  $('claim').addEventListener('click', () => act('claim'));
  $('reopen').addEventListener('click', async () => {
    const id = currentId();
    if (await act('reopen')) await openConversation(id);
  });
  $('resolve').addEventListener('click', armResolve);
  $('back').addEventListener('click', () => {
    document.querySelector('.app').classList.remove('show-detail');
  });
  initTransfer();
  initLabels();
}

/** Resolving asks for a second click (no modal dialogs: they block the page). */
function armResolve() {
  const btn = $('resolve');
  if (btn.dataset.armed === '1') {
    btn.dataset.armed = '';
    btn.textContent = 'Kết thúc';
    void act('resolve');
    return;
  }
  btn.dataset.armed = '1';
  btn.textContent = 'Bấm lần nữa để kết thúc';
  setTimeout(() => {
    btn.dataset.armed = '';
    btn.textContent = 'Kết thúc';
  }, 4000);
}

function initTransfer() {
  $('transfer-open').addEventListener('click', () => {
    const select = $('transfer-to');
    const me = state.me ? state.me.username : '';
    const queue = el('option', '', '↩ Trả lại hàng chờ (ai rảnh sẽ nhận)');
    queue.value = '';
    const people = state.colleagues
      .filter((c) => c.username !== me)
      .map((c) => Object.assign(el('option', '', c.displayName === c.username ? c.username : `${c.displayName} (${c.username})`), { value: c.username }));
    select.replaceChildren(...people, queue);
    $('transfer-note').value = '';
    $('transfer-form').hidden = false;
    select.focus();
  });
  $('transfer-cancel').addEventListener('click', () => {
    $('transfer-form').hidden = true;
  });
  $('transfer-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const to = $('transfer-to').value || null;
    const note = $('transfer-note').value.trim();
    if (await act('transfer', { to, ...(note ? { note } : {}) })) $('transfer-form').hidden = true;
  });
}

function initLabels() {
  $('labels-open').addEventListener('click', () => {
    const r = state.caseView ? state.caseView.record : state.open && state.open.record;
    $('labels-input').value = r ? r.labels.join(', ') : '';
    $('labels-form').hidden = false;
    $('labels-input').focus();
  });
  $('labels-cancel').addEventListener('click', () => {
    $('labels-form').hidden = true;
  });
  $('labels-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const labels = $('labels-input').value.split(',').map((s) => s.trim()).filter(Boolean);
    const caseId = state.caseView ? state.caseView.record.caseId : undefined;
    if (!(await act('labels', { labels, ...(caseId ? { caseId } : {}) }))) return;
    $('labels-form').hidden = true;
    emit('labels-saved');
    if (state.caseView) await openCase(state.caseView.record.caseId);
  });
}
