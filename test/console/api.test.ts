// The staff API through app.inject on a composed server (memory stores, real content), with
// citizens talking through the web chat API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { PASSWORD, addStaff, citizenSays, login, outbox, sessionId, testServer, type WebCitizen } from './helpers.ts';

let server: Server;
let lan: string;
let minh: string;

/** Asks for a person from a new web chat session; resolves the conversation id. */
async function waitingCitizen(): Promise<{ sid: WebCitizen; id: string; path: string }> {
  const sid = sessionId();
  const replies = await citizenSays(server.app, sid, 'cho tôi gặp cán bộ');
  expect(replies.join('\n')).toContain('vị trí số');
  const id = sid.id;
  return { sid, id, path: `/api/staff/handoffs/${encodeURIComponent(id)}` };
}

const post = (url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url, headers: { cookie, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });
const get = (url: string, cookie: string) => server.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  server = await testServer();
  await addStaff(server, 'lan', 'staff', 'Chị Lan');
  await addStaff(server, 'minh', 'editor');
  await addStaff(server, 'khoa');
  lan = await login(server.app, 'lan');
  minh = await login(server.app, 'minh');
});

afterAll(async () => {
  await server?.stop();
});

describe('staff API: sessions', () => {
  it('answers 401 on every route without a valid session', async () => {
    const { path } = await waitingCitizen();
    const routes: [string, string][] = [
      ['GET', '/api/staff/me'],
      ['GET', '/api/staff/handoffs'],
      ['GET', path],
      ['POST', `${path}/claim`],
      ['POST', `${path}/messages`],
      ['POST', `${path}/guide`],
      ['POST', `${path}/release`],
      ['POST', `${path}/resolve`],
      ['GET', '/api/staff/guides'],
      ['GET', '/api/staff/events'],
      ['GET', '/api/staff/audit'],
    ];
    for (const cookie of [undefined, 'dvc_staff=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'dvc_staff=<script>']) {
      for (const [method, url] of routes) {
        const res = await server.app.inject({ method: method as 'GET', url, headers: cookie ? { cookie } : {}, ...(method === 'POST' ? { payload: { text: 'x', guideId: 'x' } } : {}) });
        expect(res.statusCode, `${method} ${url} with ${cookie}`).toBe(401);
      }
    }
  });

  it('logs in with a HttpOnly SameSite=Strict cookie, and out again', async () => {
    const res = await server.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'Khoa', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ username: 'khoa', role: 'staff', displayName: 'khoa' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^dvc_staff=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure'); // plain http in tests; Secure with COOKIE_SECURE / https PUBLIC_URL
    const cookie = setCookie.split(';')[0]!;
    expect((await get('/api/staff/me', cookie)).json()).toMatchObject({ username: 'khoa', role: 'staff' });
    expect((await post('/api/staff/logout', cookie)).statusCode).toBe(200);
    expect((await get('/api/staff/me', cookie)).statusCode).toBe(401);
  });

  it('refuses a wrong password or an unknown user with 401, and a malformed body with 400', async () => {
    const bad = { method: 'POST' as const, url: '/api/staff/login', remoteAddress: '10.0.0.2' };
    expect((await server.app.inject({ ...bad, payload: { username: 'lan', password: 'wrong-password-1' } })).statusCode).toBe(401);
    expect((await server.app.inject({ ...bad, payload: { username: 'nobody', password: PASSWORD } })).statusCode).toBe(401);
    expect((await server.app.inject({ ...bad, payload: { username: 'lan' } })).statusCode).toBe(400);
  });

  it('rate-limits failed logins per IP and username (429 even with the right password), not other users', async () => {
    const attempt = (username: string, password: string) =>
      server.app.inject({ method: 'POST', url: '/api/staff/login', remoteAddress: '10.0.0.7', payload: { username, password } });
    for (let i = 0; i < 5; i++) expect((await attempt('lan', `wrong-password-${i}`)).statusCode).toBe(401);
    const blocked = await attempt('lan', PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('minh', PASSWORD)).statusCode).toBe(200);
    // Another address is not affected.
    expect((await server.app.inject({ method: 'POST', url: '/api/staff/login', remoteAddress: '10.0.0.8', payload: { username: 'lan', password: PASSWORD } })).statusCode).toBe(200);
  });

  it('ends the sessions of a removed account', async () => {
    await addStaff(server, 'tam');
    const cookie = await login(server.app, 'tam');
    await server.stores.staff.removeAccount('tam');
    expect((await get('/api/staff/handoffs', cookie)).statusCode).toBe(401);
  });

  it('refuses state-changing requests from another site', async () => {
    const { path } = await waitingCitizen();
    expect((await post(`${path}/claim`, lan, undefined, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(`${path}/claim`, lan, undefined, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post('/api/staff/login', '', { username: 'lan', password: PASSWORD }, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await post(`${path}/claim`, lan, undefined, { origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('keeps the audit log for editors only', async () => {
    expect((await get('/api/staff/audit', lan)).statusCode).toBe(403);
    const res = await get('/api/staff/audit?limit=50', minh);
    expect(res.statusCode).toBe(200);
    const actions = (res.json() as { actor: string; action: string }[]).map((e) => `${e.actor}:${e.action}`);
    expect(actions).toContain('lan:login');
    expect(actions).toContain('lan:claim');
  });
});

describe('staff API: hand-offs', () => {
  it('lists, claims, replies, releases and resolves; the citizen hears each step', async () => {
    const { sid, id, path } = await waitingCitizen();
    await citizenSays(server.app, sid, 'Tôi cần làm lại căn cước');
    const list = (await get('/api/staff/handoffs', lan)).json() as Record<string, unknown>[];
    const mine = list.find((t) => t.id === id);
    expect(mine).toMatchObject({ id, channel: 'web', status: 'waiting', lastMessage: 'Tôi cần làm lại căn cước' });
    expect(typeof mine?.waitingSinceMs).toBe('number');

    const claim = await post(`${path}/claim`, lan, undefined, { 'content-type': 'application/json' }); // empty JSON body is fine
    expect(claim.statusCode, claim.body).toBe(200);
    expect(claim.json()).toMatchObject({ ticket: { id, status: 'active', owner: 'lan' } });
    expect((await outbox(server, sid)).at(-1)).toContain('Chị Lan');

    const other = await post(`${path}/claim`, minh);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toEqual({ error: 'taken', owner: 'lan' });
    expect((await post(`${path}/messages`, minh, { text: 'xen vào' })).statusCode).toBe(409);
    expect((await post(`${path}/messages`, lan, { text: '' })).statusCode).toBe(400);

    const reply = await post(`${path}/messages`, lan, { text: 'Chào anh, anh mang CCCD cũ nhé.' });
    expect(reply.statusCode, reply.body).toBe(200);
    expect((await outbox(server, sid)).at(-1)).toBe('👤 Cán bộ Chị Lan: Chào anh, anh mang CCCD cũ nhé.');

    const guide = await post(`${path}/guide`, lan, { guideId: 'id-card-issue' });
    expect(guide.statusCode, guide.body).toBe(200);
    expect((await post(`${path}/guide`, lan, { guideId: 'no-such-guide' })).statusCode).toBe(404);

    const view = (await get(path, lan)).json() as { ticket: { owner: string }; transcript: { role: string; text: string }[] };
    expect(view.ticket.owner).toBe('lan');
    expect(view.transcript.map((e) => e.role)).toEqual(expect.arrayContaining(['citizen', 'bot', 'system', 'staff']));

    const released = await post(`${path}/release`, lan);
    expect(released.statusCode).toBe(200);
    expect((await outbox(server, sid)).at(-1)).toContain('hàng chờ');
    expect((await post(`${path}/claim`, minh)).statusCode).toBe(200);
    expect((await post(`${path}/resolve`, lan)).statusCode).toBe(409);
    const resolved = await post(`${path}/resolve`, minh);
    expect(resolved.statusCode).toBe(200);
    expect((await outbox(server, sid)).at(-1)).toContain('chấm mấy điểm');
    expect((await get('/api/staff/handoffs', lan)).json()).not.toContainEqual(expect.objectContaining({ id }));
    expect((await post(`${path}/claim`, lan)).statusCode).toBe(404);
  });

  it('two staff claiming at once: one 200, one 409', async () => {
    const { path } = await waitingCitizen();
    const [a, b] = await Promise.all([post(`${path}/claim`, lan), post(`${path}/claim`, minh)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
  });

  it('release puts the conversation back at its old place', async () => {
    const first = await waitingCitizen();
    const second = await waitingCitizen();
    const order = async () =>
      ((await get('/api/staff/handoffs', lan)).json() as { id: string; status: string }[]).filter((t) => t.status === 'waiting').map((t) => t.id);
    const before = await order();
    expect(before.indexOf(first.id)).toBeLessThan(before.indexOf(second.id));
    expect((await post(`${first.path}/claim`, lan)).statusCode).toBe(200);
    expect(await order()).not.toContain(first.id);
    const released = await post(`${first.path}/release`, lan);
    expect(released.json()).toEqual({ position: before.indexOf(first.id) + 1 });
    expect(await order()).toEqual(before);
  });

  it('unknown or malformed conversation ids are 404', async () => {
    expect((await post('/api/staff/handoffs/web%3Anobody-here/claim', lan)).statusCode).toBe(404);
    expect((await post('/api/staff/handoffs/not-an-id/claim', lan)).statusCode).toBe(404);
    expect((await get('/api/staff/handoffs/web%3Anobody-here', lan)).statusCode).toBe(404);
  });

  it('lists the guides staff can insert', async () => {
    const guides = (await get('/api/staff/guides', lan)).json() as { id: string; title: string }[];
    expect(guides.length).toBeGreaterThan(10);
    expect(guides.find((g) => g.id === 'scam-warning')?.title).toBeTruthy();
  });
});

describe('console page', () => {
  it('is served with a strict CSP and no inline script', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.body).not.toMatch(/<script>(?!<)/);
    const js = await server.app.inject({ method: 'GET', url: '/console/console.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).not.toMatch(/\.(inner|outer)HTML|insertAdjacentHTML|document\.write/);
  });
});
