// Small helpers of the console page: the API call, elements built without HTML strings
// (every citizen and staff text goes in with textContent), times, folding, channel icons.
import { emit, state } from './state.js';

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** Channel names and the glyph of their icon. */
export const CHANNELS = { telegram: 'Telegram', 'zalo-bot': 'Zalo Bot', 'zalo-oa': 'Zalo OA', web: 'Web chat', cli: 'CLI' };
const ICONS = { telegram: '✈', 'zalo-bot': 'Z', 'zalo-oa': 'Z', web: '◍', cli: '›' };
/** Why the citizen asked for a person. */
export const REASONS = { asked: 'Tự yêu cầu', fallbacks: 'Bot không trả lời được', feedback: 'Đánh giá 👎', scam: '⚠️ Bị lừa / mất tiền' };
/** Case statuses, as staff read them. */
export const STATUSES = { waiting: 'Đang chờ', active: 'Đang xử lý', resolved: 'Đã kết thúc', cancelled: 'Người dân đã hủy' };

/** Calls the staff API; a 401 anywhere sends the user back to the login form. */
export async function api(method, path, body) {
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
  if (res.status === 401 && path !== '/api/staff/login') emit('unauthorized');
  return { status: res.status, data };
}

/** A new element with an optional class and text (textContent, never HTML). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A duration in Vietnamese: seconds, minutes, hours and minutes, days. */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} phút`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} giờ ${m % 60} phút`;
  return `${Math.floor(h / 24)} ngày`;
}

/** How long ago `ms` was. */
export const ago = (ms) => duration(Date.now() - ms);

/** The time of day of `ms`; with the date when it is not today. */
export function when(ms) {
  const d = new Date(ms);
  const time = d.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? time : `${time} ${d.toLocaleDateString('vi-VN')}`;
}

/** Lower case, no diacritics, `đ` → `d`: what searches compare. */
export function fold(text) {
  return String(text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
}

/** True when every word of `query` is in `text` (both folded). */
export function matchesWords(text, query) {
  const hay = fold(text);
  return fold(query).split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}

/** Runs `fn` once after `ms` however often it is asked for meanwhile. */
export function debounce(key, ms, fn) {
  clearTimeout(state.timers[key]);
  state.timers[key] = setTimeout(fn, ms);
}

/** The round icon of a channel (its name for screen readers and on hover). */
export function channelIcon(channel) {
  const icon = el('span', `ch-icon ch-${channel}`, ICONS[channel] || '?');
  icon.title = CHANNELS[channel] || channel;
  icon.setAttribute('role', 'img');
  icon.setAttribute('aria-label', CHANNELS[channel] || channel);
  return icon;
}

/** Who the citizen is: the name their app gives, else "Người dân (<channel>)". */
export function citizenName(channel, displayName) {
  return displayName || `Người dân · ${CHANNELS[channel] || channel}`;
}

/** A colleague's name as the console shows it (their display name, else the username). */
export function staffName(username) {
  const c = state.colleagues.find((x) => x.username === username);
  return c ? c.displayName : username || '';
}

/** The office-hours wait of a waiting ticket now (counting on while the office is open). */
export function officeWait(t) {
  // Each ticket's office-hours wait was computed when it was read (a delta's later than the page's).
  const extra = state.settings.office && state.settings.office.open ? Date.now() - (t.readAtMs || state.ticketsAtMs) : 0;
  return (t.officeWaitMs || 0) + Math.max(0, extra);
}

/** `wait-red`, `wait-amber` or `wait-ok` for a ticket, by its office-hours wait. */
export function waitClass(t) {
  if (t.status !== 'waiting') return 'wait-none';
  const w = officeWait(t);
  if (w >= state.settings.waitRedMs) return 'wait-red';
  if (w >= state.settings.waitAmberMs) return 'wait-amber';
  return 'wait-ok';
}

/** "chờ 12 phút" (and the office-hours part when it differs). */
export function waitText(t) {
  const total = Date.now() - t.waitingSinceMs;
  const office = officeWait(t);
  const text = `chờ ${duration(total)}`;
  return total - office > 60_000 ? `${text} · ${duration(office)} trong giờ làm việc` : text;
}
