// Staff console: login, live queue, conversation view. No framework and no HTML strings:
// every citizen (and staff) text reaches the page through textContent only.
// An ES module: strict and deferred; nothing here becomes a global.

const $ = (id) => document.getElementById(id);
const CHANNELS = { telegram: 'Telegram', 'zalo-bot': 'Zalo Bot', 'zalo-oa': 'Zalo OA', web: 'Web chat', cli: 'CLI' };
const REASONS = { asked: 'Tự yêu cầu', fallbacks: 'Bot không trả lời được', feedback: 'Đánh giá 👎', scam: '⚠️ Bị lừa / mất tiền' };
const ROLES = { citizen: 'Người dân', bot: 'Bot', system: 'Hệ thống', staff: 'Cán bộ' };

const state = { me: null, tickets: [], openId: null, open: null, events: null, timers: {} };

/** Calls the staff API; a 401 anywhere sends the user back to the login form. */
async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { 'x-requested-with': 'dvc-console' } : { 'content-type': 'application/json', 'x-requested-with': 'dvc-console' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.status === 401 && path !== '/api/staff/login') showLogin();
  return { status: res.status, data };
}

/** A new element with an optional class and text (textContent, never HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** How long ago `ms` was, in Vietnamese (seconds, minutes, hours and minutes). */
function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} phút`;
  const h = Math.floor(m / 60);
  return `${h} giờ ${m % 60} phút`;
}

/** The time of day of `ms`, hours and minutes. */
const clock = (ms) => new Date(ms).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });

/** Runs `fn` once after `ms` however often it is asked for meanwhile. */
function debounce(key, ms, fn) {
  clearTimeout(state.timers[key]);
  state.timers[key] = setTimeout(fn, ms);
}

// ── Login ────────────────────────────────────────────────────────────────
/** Shows the login form (closing the live events), hides the desk. */
function showLogin() {
  if (state.events) state.events.close();
  state.events = null;
  state.me = null;
  $('app').hidden = true;
  $('login').hidden = false;
  $('username').focus();
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('login-error').textContent = '';
  $('login-submit').disabled = true;
  try {
    const { status } = await api('POST', '/api/staff/login', { username: $('username').value, password: $('password').value });
    if (status === 200) {
      $('password').value = '';
      await boot();
    } else if (status === 429) {
      $('login-error').textContent = 'Quá nhiều lần thử sai. Vui lòng đợi 15 phút.';
    } else {
      $('login-error').textContent = 'Sai tên đăng nhập hoặc mật khẩu.';
    }
  } catch {
    $('login-error').textContent = 'Không kết nối được máy chủ.';
  } finally {
    $('login-submit').disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/staff/logout');
  showLogin();
});

// ── Queue ────────────────────────────────────────────────────────────────
/** Reads the hand-off queue and shows it. */
async function loadQueue() {
  const { status, data } = await api('GET', '/api/staff/handoffs');
  if (status !== 200 || !Array.isArray(data)) return;
  state.tickets = data;
  renderQueue();
}

/** Shows the queue: one button per ticket, the waiting count in the heading and the title. */
function renderQueue() {
  const list = $('queue');
  list.replaceChildren();
  const waiting = state.tickets.filter((t) => t.status === 'waiting').length;
  $('queue-count').textContent = String(waiting);
  $('queue-empty').hidden = state.tickets.length > 0;
  document.title = `${waiting > 0 ? `(${waiting}) ` : ''}Bàn cán bộ · Trợ lý DVC Cần Thơ`;
  for (const t of state.tickets) {
    const li = el('li');
    const btn = el('button', `ticket ${t.status}${t.reason === 'scam' ? ' scam' : ''}${t.id === state.openId ? ' selected' : ''}`);
    btn.type = 'button';
    btn.dataset.id = t.id;
    const line1 = el('div', 'line1');
    line1.append(
      el('span', 'badge', CHANNELS[t.channel] || t.channel),
      el('span', `badge ${t.status}`, t.status === 'waiting' ? 'Đang chờ' : `Đang xử lý: ${t.owner || ''}`),
      el('span', 'muted waited', `chờ ${ago(t.waitingSinceMs)}`),
    );
    btn.append(line1, el('div', 'last', t.lastMessage || '—'));
    const extra = [REASONS[t.reason] || t.reason, t.guideTitle].filter(Boolean).join(' · ');
    if (extra) btn.append(el('div', 'guide-title', extra));
    btn.addEventListener('click', () => openConversation(t.id));
    li.append(btn);
    list.append(li);
  }
}

// ── Conversation ─────────────────────────────────────────────────────────
/** Opens a conversation of the queue. */
async function openConversation(id) {
  state.openId = id;
  $('conv-error').textContent = '';
  renderQueue();
  await loadConversation();
}

/** Reads the open conversation and shows it (the placeholder when it is gone). */
async function loadConversation() {
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

/** Shows the open conversation: its state, the actions allowed to this staff member, its transcript. */
function renderConversation() {
  const c = state.open;
  $('placeholder').hidden = true;
  $('conversation').hidden = false;
  const t = c.ticket;
  $('conv-title').textContent = `${CHANNELS[state.openId.split(':')[0]] || ''} · ${state.openId}`;
  const meta = [];
  if (t) meta.push(t.status === 'waiting' ? `Đang chờ ${ago(t.waitingSinceMs)}` : `Cán bộ ${t.owner} đang xử lý`);
  else meta.push('Đã kết thúc hoặc người dân đã hủy');
  if (t && t.guideTitle) meta.push(`Hướng dẫn: ${t.guideTitle}`);
  meta.push(`Ngôn ngữ: ${c.lang === 'en' ? 'English' : 'Tiếng Việt'}`);
  if (c.unreachable) meta.push('⚠️ Không gửi được tin cho người dân (đã chặn bot?)');
  $('conv-meta').textContent = meta.join(' · ');

  const mine = t && t.status === 'active' && state.me && t.owner === state.me.username;
  $('claim').hidden = !(t && t.status === 'waiting');
  $('release').hidden = !mine;
  $('resolve').hidden = !mine;
  $('reply-text').disabled = !mine;
  $('reply-send').disabled = !mine;
  $('guide-select').disabled = !mine;
  $('guide-send').disabled = !mine;

  const list = $('transcript');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 20;
  list.replaceChildren();
  for (const e of c.transcript) {
    const li = el('li', `entry ${e.role}`);
    const who = e.role === 'staff' && e.by ? `${ROLES.staff} ${e.by}` : ROLES[e.role] || e.role;
    li.append(el('div', 'who', `${who} · ${clock(e.atMs)}`), el('div', 'text', e.text));
    list.append(li);
  }
  if (atBottom || list.dataset.id !== state.openId) list.scrollTop = list.scrollHeight;
  list.dataset.id = state.openId;
}

/** Posts a desk action on the open conversation and shows what went wrong, if anything. */
async function act(path, body) {
  const id = state.openId;
  if (!id) return false;
  $('conv-error').textContent = '';
  const { status, data } = await api('POST', `/api/staff/handoffs/${encodeURIComponent(id)}/${path}`, body);
  if (status === 409) {
    $('conv-error').textContent = data && data.owner ? `Cán bộ ${data.owner} đã nhận cuộc trò chuyện này.` : 'Bạn không phụ trách cuộc trò chuyện này.';
  } else if (status === 404) {
    $('conv-error').textContent = 'Cuộc trò chuyện không còn trong hàng chờ.';
  } else if (status !== 200) {
    $('conv-error').textContent = 'Không thực hiện được. Vui lòng thử lại.';
  }
  await Promise.all([loadQueue(), loadConversation()]);
  return status === 200;
}

$('claim').addEventListener('click', () => act('claim'));
$('release').addEventListener('click', () => act('release'));
// Resolving asks for a second click (no modal dialogs: they block the page).
$('resolve').addEventListener('click', () => {
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
});
$('reply-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const text = $('reply-text').value.trim();
  if (!text) return;
  $('reply-send').disabled = true;
  if (await act('messages', { text })) $('reply-text').value = '';
  $('reply-send').disabled = false;
});
$('reply-text').addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) $('reply-form').requestSubmit();
});
$('guide-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const guideId = $('guide-select').value;
  if (guideId) await act('guide', { guideId });
});

/** Fills the guide picker with the live content's guides. */
async function loadGuides() {
  const { status, data } = await api('GET', '/api/staff/guides');
  if (status !== 200 || !Array.isArray(data)) return;
  const select = $('guide-select');
  select.replaceChildren(el('option', '', '— Chọn hướng dẫn —'));
  select.firstChild.value = '';
  for (const g of data) {
    const o = el('option', '', g.title);
    o.value = g.id;
    select.append(o);
  }
}

// ── Live events ──────────────────────────────────────────────────────────
/** Listens to live events: the queue and the open conversation are read again when they change. */
function connectEvents() {
  if (state.events) state.events.close();
  const es = new EventSource('/api/staff/events');
  state.events = es;
  const live = $('live-status');
  es.onmessage = (msg) => {
    let ev;
    try {
      ev = JSON.parse(msg.data);
    } catch {
      return;
    }
    if (ev.type === 'ready') {
      live.textContent = '● Trực tiếp';
      live.className = 'live on';
      void loadQueue();
      void loadConversation();
      return;
    }
    debounce('queue', 100, loadQueue);
    if (ev.conversationId === state.openId) debounce('conversation', 100, loadConversation);
  };
  es.onerror = async () => {
    live.textContent = '● Mất kết nối, đang thử lại…';
    live.className = 'live off';
    const { status } = await api('GET', '/api/staff/me');
    if (status === 401) es.close();
  };
}

/** Starts the desk when the session is valid, else shows the login form. */
async function boot() {
  const { status, data } = await api('GET', '/api/staff/me');
  if (status !== 200) return showLogin();
  state.me = data;
  $('me').textContent = `${data.displayName} (${data.role === 'editor' ? 'biên tập viên' : 'cán bộ'})`;
  $('editors-link').hidden = data.role !== 'editor';
  $('login').hidden = true;
  $('app').hidden = false;
  await Promise.all([loadGuides(), loadQueue()]);
  connectEvents();
}

setInterval(() => {
  if (!state.me) return;
  for (const node of document.querySelectorAll('.ticket')) {
    const t = state.tickets.find((x) => x.id === node.dataset.id);
    const span = node.querySelector('.waited');
    if (t && span) span.textContent = `chờ ${ago(t.waitingSinceMs)}`;
  }
}, 15_000);

void boot();
