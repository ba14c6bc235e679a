// Editors page: content status and reload, reports as tables and small SVG charts, CSV export.
// No framework and no HTML strings: every text (queries are citizens' words) goes in via textContent.
// An ES module: strict and deferred; nothing here becomes a global.

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';
const CHANNELS = { telegram: 'Telegram', 'zalo-bot': 'Zalo Bot', 'zalo-oa': 'Zalo OA', web: 'Web chat', cli: 'CLI' };
const KINDS = { fallback: 'Không trả lời được', 'not-covered': 'Chưa có hướng dẫn (chủ đề ngoài danh mục)', 'thumbs-down': '👎 Không hữu ích' };
const state = { since: '7d', statusTimer: null };

/** Calls the API; no session → back to the console's login, too small a role → a message. */
async function api(method, path) {
  const res = await fetch(path, { method, credentials: 'same-origin', headers: { 'x-requested-with': 'dvc-editors' } });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.status === 401) window.location.assign('/console');
  return { status: res.status, data };
}

/** A new element with an optional class and text (textContent, never HTML). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** A new SVG element with attributes and optional text. */
function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** A 0..1 share as a percentage with one decimal. */
const pct = (x) => `${Math.round(x * 1000) / 10}%`;
/** Date and time of `ms`, Vietnamese style. */
const when = (ms) => new Date(ms).toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' });
/** A duration in seconds, minutes or hours and minutes; a dash when unknown. */
function duration(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} giây`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} phút ${s % 60} giây`;
  return `${Math.floor(m / 60)} giờ ${m % 60} phút`;
}

/** Fills a table: columns are {label, value(row), num?}; rows may carry a class via rowClass. */
function renderTable(table, columns, rows, emptyText, rowClass) {
  table.replaceChildren();
  const head = el('thead');
  const tr = el('tr');
  for (const c of columns) tr.append(el('th', c.num ? 'num' : '', c.label));
  head.append(tr);
  const body = el('tbody');
  if (rows.length === 0) {
    const empty = el('tr');
    const td = el('td', 'empty', emptyText);
    td.colSpan = columns.length;
    empty.append(td);
    body.append(empty);
  }
  for (const row of rows) {
    const line = el('tr', rowClass ? rowClass(row) : '');
    for (const c of columns) line.append(el('td', c.num ? 'num' : '', c.value(row)));
    body.append(line);
  }
  table.append(head, body);
}

// ── Content status and reload ──────────────────────────────────────────────
/** Shows the live content version and the last reload's outcome with its problems. */
function renderStatus(s) {
  $('content-version').textContent = s.loaded
    ? `Phiên bản ${s.version} · ${s.guides} hướng dẫn · nạp lúc ${when(s.loadedAtMs)}`
    : 'Chưa có nội dung hợp lệ.';
  const last = s.lastReload;
  const result = $('reload-result');
  const list = $('problems');
  list.replaceChildren();
  if (!last) {
    result.textContent = '';
    return;
  }
  if (last.ok) {
    result.className = 'ok';
    result.textContent = `Lần nạp gần nhất (${when(last.atMs)}) thành công${last.warnings ? `, ${last.warnings} cảnh báo` : ''}.`;
  } else {
    result.className = 'bad';
    result.textContent = `Lần nạp gần nhất (${when(last.atMs)}) bị từ chối: ${last.errors} lỗi. Nội dung cũ vẫn đang phục vụ người dân. Sửa các lỗi dưới đây rồi lưu lại tệp.`;
  }
  for (const p of last.problems) list.append(el('li', p.severity, p.text));
}

/** Reads the content status and shows it. */
async function loadStatus() {
  const { status, data } = await api('GET', '/api/editor/content-status');
  if (status === 200 && data) renderStatus(data);
  else if (status === 403) $('content-version').textContent = 'Tài khoản này không có quyền biên tập (editor).';
}

$('reload').addEventListener('click', async () => {
  $('reload').disabled = true;
  try {
    await api('POST', '/api/admin/reload');
    await loadStatus();
    await loadReport();
  } finally {
    $('reload').disabled = false;
  }
});

// ── Report ─────────────────────────────────────────────────────────────────
/** Shows the period's totals as cards. */
function renderTotals(t) {
  const items = [
    ['Tin nhắn', t.messages],
    ['Câu hỏi', t.questions],
    ['Trả lời được', pct(t.answeredShare)],
    ['Chuyển cán bộ', pct(t.handoffShare)],
    ['Chờ cán bộ (trung vị)', duration(t.medianWaitMs)],
    ['👍 / 👎', `${t.thumbsUp} / ${t.thumbsDown}`],
    ['Đánh giá sau hỗ trợ', t.ratingAvg === null ? '—' : `${t.ratingAvg} / 5 (${t.ratings})`],
  ];
  const box = $('totals');
  box.replaceChildren();
  for (const [label, value] of items) {
    const card = el('div', 'total');
    card.append(el('div', 'value', value), el('div', 'label', label));
    box.append(card);
  }
}

/** Stacked bars per day (all channels): answered, clarified, unanswered, other. */
function renderDayChart(days) {
  const byDay = new Map();
  for (const d of days) {
    const v = byDay.get(d.day) || { answered: 0, clarified: 0, unanswered: 0, other: 0 };
    v.answered += d.answered;
    v.clarified += d.clarified;
    v.unanswered += d.unanswered;
    v.other += d.messages - d.answered - d.clarified - d.unanswered;
    byDay.set(d.day, v);
  }
  const entries = [...byDay.entries()];
  const box = $('chart-days');
  box.replaceChildren();
  if (entries.length === 0) return;
  const width = Math.max(320, entries.length * 36 + 40);
  const height = 180;
  const plot = height - 30;
  const max = Math.max(1, ...entries.map(([, v]) => v.answered + v.clarified + v.unanswered + v.other));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': 'Tin nhắn theo ngày' });
  chart.append(svg('text', { x: 0, y: 10 }, String(max)));
  entries.forEach(([day, v], i) => {
    const x = 30 + i * 36;
    let y = plot;
    for (const part of ['other', 'unanswered', 'clarified', 'answered']) {
      const h = (v[part] / max) * (plot - 14);
      if (h <= 0) continue;
      y -= h;
      const rect = svg('rect', { x, y, width: 26, height: h, class: `bar ${part}` });
      rect.append(svg('title', {}, `${day}: ${v[part]}`));
      chart.append(rect);
    }
    chart.append(svg('text', { x: x + 13, y: height - 12, 'text-anchor': 'middle' }, day.slice(5)));
  });
  box.append(chart);
}

/** Two bars per channel: answered share and hand-off share. */
function renderChannelChart(channels) {
  const box = $('chart-channels');
  box.replaceChildren();
  if (channels.length === 0) return;
  const rowH = 40;
  const width = 520;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${channels.length * rowH + 10}`, width, height: channels.length * rowH + 10, role: 'img', 'aria-label': 'Tỉ lệ theo kênh' });
  channels.forEach((c, i) => {
    const y = 5 + i * rowH;
    chart.append(svg('text', { x: 0, y: y + 14 }, CHANNELS[c.channel] || c.channel));
    const bars = [['answered', c.answeredShare, 'trả lời được'], ['handoff', c.handoffShare, 'chuyển cán bộ']];
    bars.forEach(([cls, value, label], j) => {
      const w = Math.max(1, value * 300);
      const bar = svg('rect', { x: 90, y: y + j * 16, width: w, height: 12, class: `bar ${cls}` });
      bar.append(svg('title', {}, `${label}: ${pct(value)}`));
      chart.append(bar, svg('text', { x: 96 + w, y: y + j * 16 + 10 }, `${pct(value)} ${label}`));
    });
  });
  box.append(chart);
}

const activityColumns = [
  { label: 'Tin nhắn', value: (r) => r.messages, num: true },
  { label: 'Câu hỏi', value: (r) => r.questions, num: true },
  { label: 'Trả lời được', value: (r) => pct(r.answeredShare), num: true },
  { label: 'Chưa trả lời được', value: (r) => r.unanswered, num: true },
  { label: 'Chuyển cán bộ', value: (r) => `${r.handoffs} (${pct(r.handoffShare)})`, num: true },
  { label: 'Chờ (trung vị)', value: (r) => duration(r.medianWaitMs), num: true },
  { label: 'Đánh giá', value: (r) => (r.ratingAvg === null ? '—' : `${r.ratingAvg} (${r.ratings})`), num: true },
];

/** Shows a report: totals, charts, tables, and CSV links for its period. */
function renderReport(r) {
  renderTotals(r.totals);
  renderDayChart(r.days);
  renderChannelChart(r.channels);
  renderTable($('table-days'), [{ label: 'Ngày', value: (d) => d.day }, { label: 'Kênh', value: (d) => CHANNELS[d.channel] || d.channel }, ...activityColumns], r.days, 'Chưa có dữ liệu trong khoảng này.');
  renderTable($('table-channels'), [{ label: 'Kênh', value: (c) => CHANNELS[c.channel] || c.channel }, ...activityColumns], r.channels, 'Chưa có dữ liệu trong khoảng này.');
  renderTable(
    $('table-unanswered'),
    [
      { label: 'Loại', value: (u) => KINDS[u.kind] || u.kind },
      { label: 'Câu hỏi (chuẩn hoá)', value: (u) => u.query || '—' },
      { label: 'Số lần', value: (u) => u.count, num: true },
      { label: 'Hướng dẫn gần nhất', value: (u) => u.guideTitle || u.guideId || '—' },
      { label: 'Lần cuối', value: (u) => when(u.lastAtMs) },
    ],
    r.unanswered,
    'Không có câu hỏi nào chưa được trả lời. 🎉',
  );
  renderTable(
    $('table-guides'),
    [
      { label: 'Hướng dẫn', value: (g) => (g.removed ? `${g.id} (đã xoá)` : g.title) },
      { label: 'Hiển thị', value: (g) => g.shown, num: true },
      { label: 'Được gợi ý', value: (g) => g.offered, num: true },
      { label: '👍', value: (g) => g.thumbsUp, num: true },
      { label: '👎', value: (g) => g.thumbsDown, num: true },
      { label: 'Chuyển cán bộ sau đó', value: (g) => g.handoffs, num: true },
      { label: 'Rà soát lần cuối', value: (g) => g.reviewed || '—' },
      { label: 'Số ngày', value: (g) => (g.daysSinceReview === null ? '—' : `${g.daysSinceReview}${g.stale ? ' ⚠️ quá hạn' : ''}`), num: true },
    ],
    r.guides,
    'Chưa có hướng dẫn.',
    (g) => (g.stale ? 'stale' : ''),
  );
  for (const a of document.querySelectorAll('a.csv')) {
    a.setAttribute('href', `/api/editor/report.csv?since=${encodeURIComponent(state.since)}&table=${encodeURIComponent(a.dataset.table)}`);
    a.setAttribute('download', '');
  }
}

/** Reads the report of the chosen period and shows it. */
async function loadReport() {
  $('report-status').textContent = 'Đang tải…';
  const { status, data } = await api('GET', `/api/editor/report?since=${encodeURIComponent(state.since)}`);
  if (status === 200 && data) {
    renderReport(data);
    $('report-status').textContent = `Cập nhật lúc ${when(Date.now())}`;
  } else {
    $('report-status').textContent = status === 403 ? 'Không có quyền xem báo cáo.' : 'Không tải được báo cáo.';
  }
}

$('period').addEventListener('change', () => {
  state.since = $('period').value;
  void loadReport();
});

/** Shows who is signed in, loads status and report, and keeps the status fresh. */
async function boot() {
  const { status, data } = await api('GET', '/api/staff/me');
  if (status === 200 && data) $('me').textContent = `${data.displayName} (${data.role})`;
  await Promise.all([loadStatus(), loadReport()]);
  // Editors save files while the page is open: keep the content status fresh.
  state.statusTimer = setInterval(() => void loadStatus(), 15_000);
}

void boot();
