// Staff console: login, the live queue, the history, one conversation at a time. No framework
// and no HTML strings: every citizen (and staff) text reaches the page through textContent.
// An ES module (strict, deferred); the parts are modules of their own, joined by state.js.
import { alertStaff, askPermission, renderAlertsToggle, toggleAlerts, unlockAudio } from './alerts.js';
import { initComposer, setGuides } from './composer.js';
import { initConversation, loadConversation, openCase, openConversation } from './conversation.js';
import { initHistory, renderHistoryChoices, searchHistory } from './history.js';
import { applyDelta, loadQueue, moreWaiting, renderQueue, tickQueue } from './queue.js';
import { on, state } from './state.js';
import { $, api, citizenName, debounce } from './util.js';

// ── Login ────────────────────────────────────────────────────────────────
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
  askPermission(); // during the click: browsers ask only on a user action
  unlockAudio();
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

// ── Views ────────────────────────────────────────────────────────────────
function showView(view) {
  state.view = view;
  $('queue-pane').hidden = view !== 'queue';
  $('history-pane').hidden = view !== 'history';
  for (const [id, v] of [['tab-queue', 'queue'], ['tab-history', 'history']]) {
    $(id).classList.toggle('on', v === view);
    $(id).setAttribute('aria-pressed', String(v === view));
  }
  document.querySelector('.app').classList.remove('show-detail');
  if (view === 'history') void searchHistory(true);
}

$('tab-queue').addEventListener('click', () => showView('queue'));
$('queue-more').addEventListener('click', () => void moreWaiting());
$('tab-history').addEventListener('click', () => showView('history'));
$('alerts-toggle').addEventListener('click', toggleAlerts);
// The first click anywhere lets the page play sound, and asks for notifications once.
document.addEventListener('click', () => {
  unlockAudio();
  if (state.me) askPermission();
}, { capture: true });

on('unauthorized', showLogin);
on('open-conversation', (id) => openConversation(id));
on('open-case', (caseId) => openCase(caseId));
on('selection', renderQueue);
on('changed', () => Promise.all([loadQueue(), loadConversation()]));
on('labels-saved', async () => {
  const { status, data } = await api('GET', '/api/staff/labels');
  if (status === 200) state.labels = data;
  renderHistoryChoices();
});

// ── Live events and alerts ───────────────────────────────────────────────
/** Alerts the clerk about what concerns them; never about their own actions. */
async function alertFor(ev) {
  const me = state.me && state.me.username;
  if (!me || ev.by === me) return;
  const open = () => {
    showView('queue');
    void openConversation(ev.conversationId);
  };
  // The event's own delta when the server sent one; else the queue read again.
  const ticketOf = async () => {
    if ('ticket' in ev) return ev.ticket;
    await loadQueue();
    return state.tickets.find((t) => t.id === ev.conversationId);
  };
  if (ev.assignedTo === me) {
    const t = await ticketOf();
    alertStaff('Cuộc trò chuyện được chuyển cho bạn', `${ev.by || 'Đồng nghiệp'} chuyển: ${t ? citizenName(t.channel, t.displayName) : ''}`, ev.conversationId, open);
  } else if (ev.type === 'queue') {
    const t = await ticketOf();
    if (t && t.status === 'waiting') alertStaff('Người dân đang chờ', `${citizenName(t.channel, t.displayName)}${t.title ? `: “${t.title}”` : ''}`, ev.conversationId, open);
  } else if (ev.type === 'message' && ev.entry && ev.entry.role === 'citizen') {
    const t = 'ticket' in ev ? ev.ticket : state.tickets.find((x) => x.id === ev.conversationId);
    if (t && t.status === 'active' && t.owner === me) alertStaff('Tin nhắn mới', citizenName(t.channel, t.displayName), ev.conversationId, open);
  }
}

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
    // A delta updates the queue in place; an event without one (older server) reads it again.
    if ('ticket' in ev) applyDelta(ev);
    else debounce('queue', 100, loadQueue);
    if (ev.conversationId === state.openId) debounce('conversation', 100, loadConversation);
    void alertFor(ev);
  };
  es.onerror = async () => {
    live.textContent = '● Mất kết nối, đang thử lại…';
    live.className = 'live off';
    const { status } = await api('GET', '/api/staff/me');
    if (status === 401) es.close();
  };
}

// ── Start ────────────────────────────────────────────────────────────────
/** Reads what the desk needs besides the queue: settings, guides, canned replies, colleagues, labels. */
async function loadDesk() {
  const [settings, guides, replies, colleagues, labels] = await Promise.all(
    ['/api/staff/settings', '/api/staff/guides', '/api/staff/replies', '/api/staff/colleagues', '/api/staff/labels'].map((p) => api('GET', p)),
  );
  if (settings.status === 200) state.settings = settings.data;
  if (guides.status === 200) setGuides(guides.data);
  if (replies.status === 200) state.replies = replies.data;
  if (colleagues.status === 200) state.colleagues = colleagues.data;
  if (labels.status === 200) state.labels = labels.data;
  renderHistoryChoices();
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
  renderAlertsToggle();
  await Promise.all([loadDesk(), loadQueue()]);
  connectEvents();
}

initComposer();
initConversation();
initHistory();
setInterval(() => {
  if (state.me) tickQueue();
}, 15_000);
// Office-hours waits are computed by the server: read them again now and then.
setInterval(() => {
  if (state.me) void loadQueue();
}, 60_000);

void boot();
