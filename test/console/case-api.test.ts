// The console's case tools through app.inject on a composed server (memory stores, real
// content), citizens on the web chat API: notes never reach the citizen, transfer alerts the
// colleague, labels and the history search, reopening, canned replies, every route 401 without a
// session and audited, and "delete my data" taking the history with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/ports.ts';
import type { Server } from '../../src/server.ts';
import { addStaff, citizenSays, login, outbox, sessionId, testServer, type WebCitizen } from './helpers.ts';

let server: Server;
let lan: string;
let hoa: string;
const events: LiveEvent[] = [];

const post = (url: string, cookie: string, payload?: unknown) =>
  server.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
const get = (url: string, cookie: string) => server.app.inject({ method: 'GET', url, headers: { cookie } });

/** A web citizen who asked a question, then for a person; resolves the ids. */
async function waitingCitizen(question = 'làm căn cước cho con dưới 14 tuổi ở đâu'): Promise<{ sid: WebCitizen; id: string; path: string }> {
  const sid = sessionId();
  await citizenSays(server.app, sid, question);
  expect((await citizenSays(server.app, sid, 'cho tôi gặp cán bộ')).join('\n')).toContain('vị trí số');
  const id = sid.id;
  return { sid, id, path: `/api/staff/handoffs/${encodeURIComponent(id)}` };
}

async function claimed(cookie = lan, question?: string) {
  const c = await waitingCitizen(question);
  expect((await post(`${c.path}/claim`, cookie)).statusCode).toBe(200);
  return c;
}

const search = async (query: string, cookie = lan) => {
  const res = await get(`/api/staff/conversations?${query}`, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { caseId: string; conversationId: string; labels: string[]; status: string }[]; total: number; next?: string };
};

beforeAll(async () => {
  server = await testServer();
  await addStaff(server, 'lan', 'staff', 'Lan');
  await addStaff(server, 'hoa', 'staff', 'Hoa');
  lan = await login(server.app, 'lan');
  hoa = await login(server.app, 'hoa');
  await server.stores.events.subscribe((e) => events.push(e));
});

afterAll(async () => {
  await server?.stop();
});

describe('case routes: sessions and audit', () => {
  it('answers 401 on every route without a valid session', async () => {
    const { path } = await waitingCitizen();
    const routes: [string, string][] = [
      ['GET', '/api/staff/replies'],
      ['GET', '/api/staff/colleagues'],
      ['GET', '/api/staff/labels'],
      ['GET', '/api/staff/settings'],
      ['GET', '/api/staff/conversations?q=can'],
      ['GET', '/api/staff/conversations/abc-def'],
      ['POST', `${path}/notes`],
      ['POST', `${path}/transfer`],
      ['POST', `${path}/labels`],
      ['POST', `${path}/reopen`],
    ];
    for (const cookie of [undefined, 'dvc_staff=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      for (const [method, url] of routes) {
        const res = await server.app.inject({ method: method as 'GET', url, headers: cookie ? { cookie } : {}, ...(method === 'POST' ? { payload: { text: 'x', to: 'hoa', labels: ['x'] } } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
  });

  it('writes an audit line for every route, reads included, without the words searched', async () => {
    const { path, id } = await claimed();
    const reads = ['/api/staff/replies', '/api/staff/colleagues', '/api/staff/labels', '/api/staff/settings', '/api/staff/conversations?q=bí%20mật&label=VNeID'];
    for (const url of reads) expect((await get(url, hoa)).statusCode, url).toBe(200);
    const caseId = (await search('status=active')).items.find((c) => c.conversationId === id)!.caseId;
    expect((await get(`/api/staff/conversations/${caseId}`, hoa)).statusCode).toBe(200);
    expect((await post(`${path}/notes`, hoa, { text: 'gọi lại sau 15h' })).statusCode).toBe(200);
    expect((await post(`${path}/labels`, hoa, { labels: ['VNeID'] })).statusCode).toBe(200);
    expect((await post(`${path}/transfer`, lan, { to: 'hoa' })).statusCode).toBe(200);
    const audit = await server.stores.audit.recent(50);
    const lines = audit.filter((e) => e.actor === 'hoa' || e.action === 'transfer').map((e) => `${e.actor} ${e.action} ${e.detail ?? ''}`.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'hoa view replies',
        'hoa view colleagues',
        'hoa view labels',
        'hoa view settings',
        'hoa search text,label=VNeID',
        `hoa view case:${caseId}`,
        'hoa note',
        'hoa label VNeID',
        'lan transfer to:hoa',
      ]),
    );
    expect(JSON.stringify(audit)).not.toContain('bí mật');
    expect(JSON.stringify(audit)).not.toContain('gọi lại sau 15h');
  });
});

describe('case routes: the desk', () => {
  it('shows the first question (masked) as the title and the office-hours wait in the queue', async () => {
    const { id } = await waitingCitizen('số căn cước 012345678901 của tôi bị khóa VNeID');
    const list = (await get('/api/staff/handoffs', lan)).json() as Record<string, unknown>[];
    const t = list.find((x) => x.id === id);
    expect(t).toMatchObject({ title: 'số căn cước [cccd] của tôi bị khóa VNeID', status: 'waiting' });
    expect(typeof t?.caseId).toBe('string');
    expect(typeof t?.officeWaitMs).toBe('number');
    // The history outlives the hand-off and is searched: personal numbers are masked in it.
    const kase = (await get(`/api/staff/conversations/${String(t?.caseId)}`, lan)).json() as { lines: { text: string }[] };
    expect(JSON.stringify(kase.lines)).not.toContain('012345678901');
    expect(kase.lines.map((l) => l.text)).toContain('số căn cước [cccd] của tôi bị khóa VNeID');
  });

  it('marks a staff reply as a person in English too', async () => {
    const sid = sessionId();
    await citizenSays(server.app, sid, 'english');
    await citizenSays(server.app, sid, 'I want to talk to a human');
    const path = `/api/staff/handoffs/${encodeURIComponent(sid.id)}`;
    expect((await post(`${path}/claim`, lan)).statusCode).toBe(200);
    expect((await outbox(server, sid)).at(-1)).toBe('👤 Staff member Lan has taken your request. Write to them right here.');
    await post(`${path}/messages`, lan, { text: 'Hello, how can I help?' });
    expect((await outbox(server, sid)).at(-1)).toBe('👤 Staff member Lan: Hello, how can I help?');
    const items = (await server.web.read(sid.chatId!, 0)).items;
    expect(items.at(-1)?.fromStaff).toBe(true);
    expect(items.filter((i) => i.fromStaff).map((i) => i.text)).toEqual(['👤 Staff member Lan: Hello, how can I help?']);
  });

  it('keeps private notes with the transcript and the case, and never sends them', async () => {
    const { sid, path, id } = await claimed();
    const before = (await outbox(server, sid)).length;
    const note = await post(`${path}/notes`, hoa, { text: 'Người này đã gọi tổng đài hôm qua' }); // any staff member may add one
    expect(note.statusCode, note.body).toBe(200);
    expect(note.json()).toMatchObject({ entry: { role: 'note', by: 'hoa', text: 'Người này đã gọi tổng đài hôm qua' } });
    expect((await outbox(server, sid)).length).toBe(before);
    expect((await outbox(server, sid)).join('\n')).not.toContain('tổng đài hôm qua');
    const view = (await get(path, lan)).json() as { transcript: { role: string; text: string }[]; record: { caseId: string } };
    expect(view.transcript.at(-1)).toMatchObject({ role: 'note', text: 'Người này đã gọi tổng đài hôm qua' });
    const kase = (await get(`/api/staff/conversations/${view.record.caseId}`, lan)).json() as { lines: { role: string; text: string }[] };
    expect(kase.lines.filter((l) => l.role === 'note').map((l) => l.text)).toEqual(['Người này đã gọi tổng đài hôm qua']);
    expect((await post(`${path}/notes`, lan, { text: '   ' })).statusCode).toBe(400);
    expect(events.some((e) => e.conversationId === id && e.entry?.role === 'note' && e.by === 'hoa')).toBe(true);
  });

  it('transfers to a named colleague (alerted, the citizen told) or back to the queue with a note', async () => {
    const { sid, path, id } = await claimed();
    expect((await post(`${path}/transfer`, lan, { to: 'lan' })).statusCode).toBe(400);
    expect((await post(`${path}/transfer`, lan, { to: 'nobody' })).statusCode).toBe(404);
    expect((await post(`${path}/transfer`, hoa, { to: 'lan' })).statusCode).toBe(409); // not the owner
    const res = await post(`${path}/transfer`, lan, { to: 'hoa', note: 'Anh ấy cần hỏi thêm về lệ phí' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ owner: 'hoa' });
    expect((await outbox(server, sid)).at(-1)).toBe('👤 Cán bộ Hoa sẽ tiếp tục hỗ trợ bạn. Bạn nhắn trực tiếp ở đây nhé.');
    expect((await outbox(server, sid)).join('\n')).not.toContain('lệ phí');
    expect(events.some((e) => e.conversationId === id && e.assignedTo === 'hoa' && e.by === 'lan')).toBe(true);
    expect((await get(path, hoa)).json()).toMatchObject({ ticket: { owner: 'hoa' }, record: { staff: ['lan', 'hoa'], owner: 'hoa' } });

    const back = await post(`${path}/transfer`, hoa, { to: null, note: 'Chờ chị Lan quay lại' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ position: expect.any(Number) });
    const view = (await get(path, lan)).json() as { ticket: { status: string }; transcript: { role: string; text: string }[] };
    expect(view.ticket.status).toBe('waiting');
    expect(view.transcript.filter((e) => e.role === 'note').map((e) => e.text)).toEqual(['Anh ấy cần hỏi thêm về lệ phí', 'Chờ chị Lan quay lại']);
    expect(events.some((e) => e.conversationId === id && e.type === 'queue' && e.by === 'hoa')).toBe(true);
  });

  it('labels cases and finds them by word, label, status, staff and page', async () => {
    const a = await claimed(lan, 'quên mật khẩu VNeID phải làm sao');
    const b = await claimed(hoa, 'đóng học phí cho con bằng điện thoại');
    expect((await post(`${a.path}/labels`, lan, { labels: ['VNeID', ' khiếu   nại '] })).json()).toMatchObject({ record: { labels: ['VNeID', 'khiếu nại'] } });
    expect((await post(`${a.path}/labels`, lan, { labels: ['x'.repeat(31)] })).statusCode).toBe(400);
    expect((await get('/api/staff/labels', lan)).json()).toEqual(expect.arrayContaining(['VNeID', 'khiếu nại']));
    const ids = (page: Awaited<ReturnType<typeof search>>) => page.items.map((c) => c.conversationId);
    expect(ids(await search('q=mat%20khau%20vneid'))).toEqual([a.id]);
    expect(ids(await search('label=khieu%20nai'))).toEqual([a.id]);
    expect(ids(await search(`staff=hoa&q=${encodeURIComponent('học phí')}`))).toEqual([b.id]);
    expect(ids(await search('q=012345678901'))).toEqual([]);
    expect((await get('/api/staff/conversations?status=nope', lan)).statusCode).toBe(400);
    expect((await get('/api/staff/conversations?limit=500', lan)).statusCode).toBe(400);
    const first = await search('limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next).toMatch(/^\d+\.\d+$/);
    const second = await search(`limit=2&cursor=${first.next}`);
    expect(second.items.map((c) => c.caseId)).not.toContain(first.items[0]!.caseId);
    expect(first.total).toBe(second.total);
    expect(ids(await search(`from=${Date.now() + 60_000}`))).toEqual([]);
  });

  it('reopens a resolved conversation once the citizen writes again, not before', async () => {
    const { sid, path, id } = await claimed();
    expect((await post(`${path}/resolve`, lan)).statusCode).toBe(200);
    expect((await post(`${path}/reopen`, hoa)).statusCode).toBe(409);
    await citizenSays(server.app, sid, '5'); // the rating: no reason to reopen
    expect((await get(path, hoa)).json()).toMatchObject({ canReopen: false, record: { status: 'resolved' } });
    await citizenSays(server.app, sid, 'Cán bộ ơi cho tôi hỏi thêm về lệ phí');
    const view = (await get(path, hoa)).json() as { canReopen: boolean; record: { caseId: string; status: string } };
    expect(view).toMatchObject({ canReopen: true, record: { status: 'resolved' } });
    const kase = (await get(`/api/staff/conversations/${view.record.caseId}`, hoa)).json() as { canReopen: boolean; lines: { text: string }[] };
    expect(kase.canReopen).toBe(true);
    expect(kase.lines.at(-1)?.text).toBe('Cán bộ ơi cho tôi hỏi thêm về lệ phí');
    const res = await post(`${path}/reopen`, hoa);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ticket: { id, status: 'active', owner: 'hoa' } });
    expect((await outbox(server, sid)).at(-1)).toBe('👤 Cán bộ Hoa đã mở lại cuộc trò chuyện của bạn. Bạn nhắn trực tiếp ở đây nhé.');
    expect((await get(path, hoa)).json()).toMatchObject({ canReopen: false, record: { status: 'active', owner: 'hoa', staff: ['lan', 'hoa'] } });
    expect((await post(`${path}/reopen`, lan)).statusCode).toBe(409);
  });

  it('keeps a hand-off the citizen cancelled in the history as cancelled', async () => {
    const { sid, id } = await waitingCitizen('đổi bằng lái xe trực tuyến mất bao lâu');
    await citizenSays(server.app, sid, 'hủy');
    const found = (await search('status=cancelled')).items.find((c) => c.conversationId === id);
    expect(found).toMatchObject({ status: 'cancelled' });
    const kase = (await get(`/api/staff/conversations/${found!.caseId}`, lan)).json() as { record: { closedBy: string; title: string } };
    expect(kase.record).toMatchObject({ closedBy: 'citizen', title: 'đổi bằng lái xe trực tuyến mất bao lâu' });
  });

  it('lists canned replies by title with the guide link filled in, and the wait limits', async () => {
    const replies = (await get('/api/staff/replies', lan)).json() as { id: string; title: string; text: { vi: string; en: string }; guide?: { link?: string } }[];
    expect(replies.length).toBeGreaterThan(3);
    const titles = replies.map((r) => r.title);
    expect(titles).toEqual([...titles].sort((x, y) => x.localeCompare(y, 'vi')));
    const vneid = replies.find((r) => r.id === 'vneid-quen-mat-khau')!;
    expect(vneid.guide?.link).toMatch(/^https:\/\//);
    expect(vneid.text.vi).toContain(vneid.guide!.link!);
    expect(vneid.text.en).toContain(vneid.guide!.link!);
    expect(vneid.text.vi).not.toContain('{link}');
    expect((await get('/api/staff/settings', lan)).json()).toMatchObject({ waitAmberMs: 5 * 60_000, waitRedMs: 15 * 60_000, office: { open: expect.any(Boolean) } });
  });

  it('erases the history of a conversation whose citizen deletes their data', async () => {
    const { sid, path, id } = await claimed(lan, 'đăng ký tạm trú cho sinh viên thuê trọ');
    await post(`${path}/notes`, lan, { text: 'ghi chú sẽ bị xóa' });
    expect((await search('q=sinh%20vien%20thue%20tro')).items.map((c) => c.conversationId)).toContain(id);
    await post(`${path}/resolve`, lan);
    await citizenSays(server.app, sid, 'xóa dữ liệu của tôi');
    await citizenSays(server.app, sid, 'có');
    expect((await search('q=sinh%20vien%20thue%20tro')).items.map((c) => c.conversationId)).not.toContain(id);
    expect(await server.stores.history.latest(id as `web:${string}`)).toBeNull();
    expect(JSON.stringify(await server.stores.conversations.transcript(id as `web:${string}`))).not.toContain('ghi chú sẽ bị xóa');
  });
});
