// H1: nobody can fill Redis through the web chat. New conversations are budgeted per client
// address and overall, the server issues the session ids (a made-up one is never adopted), and
// a conversation that never got past the greeting lives hours, not the conversation lifetime.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';
import { WebCitizen } from '../support/web-citizen.ts';

const HOUR_MS = 3_600_000;
const admin = createRedisClient(inject('redisUrl'), { connectionName: 'test-admin-budgets' });

afterAll(async () => {
  await closeRedisClient(admin);
});

/** Every key under `prefix`, with its type, lifetime (ms; -1 = none) and size in bytes. */
async function keysOf(prefix: string): Promise<{ key: string; pttl: number; bytes: number }[]> {
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  return Promise.all(keys.map(async (key) => ({ key: key.slice(prefix.length), pttl: await admin.pttl(key), bytes: Number(await admin.call('MEMORY', 'USAGE', key)) })));
}

const forged = () => `${1 + (randomBytes(1)[0]! % 200)}.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

describe('new web chat conversations from one address (Redis)', () => {
  let s: StartedServer;
  const prefix = `budget:${randomUUID()}:`;
  beforeAll(async () => {
    s = await startTestServer({
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: prefix,
      WEB_NEW_CHATS_PER_IP_PER_MINUTE: '10',
      WEB_NEW_CHATS_PER_IP_PER_DAY: '300',
      WEB_NEW_CHATS_PER_MINUTE: '120',
      WEB_NEW_CHATS_PER_DAY: '10000',
    });
  });
  afterAll(async () => {
    await s?.stop();
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
  });

  it('200 new chats in a minute: 10 get a conversation, the rest 429 (forged X-Forwarded-For or not); Redis grows by those 10 only, for hours', async () => {
    const statuses: number[] = [];
    let retryAfter = '';
    for (let i = 0; i < 200; i++) {
      // Half of them claim another address: without TRUST_PROXY the header is not believed.
      const headers: Record<string, string> = i % 2 ? { 'x-forwarded-for': forged() } : {};
      const res = await new WebCitizen().post(s.server.app, { start: true }, headers);
      statuses.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = String(res.headers['retry-after']);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.json()).toMatchObject({ error: 'too_many_new_chats' });
      }
    }
    expect(statuses.filter((c) => c === 200)).toHaveLength(10);
    expect(statuses.filter((c) => c === 429)).toHaveLength(190);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    const keys = await keysOf(prefix);
    const states = keys.filter((k) => /^conv:\{web:[0-9a-f]{32}\}:state$/.test(k.key));
    expect(states).toHaveLength(10);
    // What the 10 conversations keep (state, transcript, outbox) lives the greeting lifetime, 2 hours.
    for (const k of keys.filter((k) => /^(conv|web):/.test(k.key) && !k.key.includes(':seen:'))) {
      expect(k.pttl, k.key).toBeGreaterThan(0);
      expect(k.pttl, k.key).toBeLessThanOrEqual(2 * HOUR_MS);
    }
    // Bounded: a handful of keys and a few KB per conversation, plus the budgets' own counters.
    expect(keys.length).toBeLessThanOrEqual(10 * 6 + 4);
    expect(keys.reduce((sum, k) => sum + k.bytes, 0)).toBeLessThan(10 * 12_000);
    expect((await s.server.app.inject({ url: '/metrics' })).body).toMatch(/^dvcbot_web_chats_refused_total\{budget="ip-minute"\} 190$/m);
  });

  it('another address still gets in; the conversation lives the full lifetime once the citizen writes', async () => {
    expect((await new WebCitizen().post(s.server.app, { start: true })).statusCode).toBe(429); // the first address is still over
    const other = new WebCitizen();
    const inject2 = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: '203.0.113.7', payload: { start: true } });
    expect(inject2.statusCode).toBe(200);
    other.take(inject2.headers['set-cookie']);
    const state = `${prefix}conv:{${other.id}}:state`;
    expect(await admin.pttl(state)).toBeLessThanOrEqual(2 * HOUR_MS);
    // The citizen writes: the conversation, its transcript and its outbox now live 30 days.
    const asked = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: '203.0.113.7', headers: other.headers(), payload: { text: 'làm căn cước cho con' } });
    expect(asked.statusCode).toBe(200);
    expect(asked.headers['set-cookie']).toBeUndefined(); // the same session
    for (const key of [state, `${prefix}conv:{${other.id}}:transcript`, `${prefix}web:{${other.chatId}}:outbox`]) {
      expect(await admin.pttl(key), key).toBeGreaterThan(29 * 24 * HOUR_MS);
    }
    // A reload greets again without shortening that life.
    await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: '203.0.113.7', headers: other.headers(), payload: { start: true } });
    expect(await admin.pttl(`${prefix}web:{${other.chatId}}:outbox`)).toBeGreaterThan(29 * 24 * HOUR_MS);
    expect(await admin.pttl(state)).toBeGreaterThan(29 * 24 * HOUR_MS);
  });

  it('never adopts a session id the client made up', async () => {
    const madeUp = randomBytes(32).toString('base64url');
    const res = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: '198.51.100.9', headers: { cookie: `dvc_chat=${madeUp}` }, payload: { text: 'xin chào' } });
    expect(res.statusCode).toBe(200);
    const issued = String(res.headers['set-cookie']);
    expect(issued).toMatch(/^dvc_chat=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=2592000$/);
    expect(issued).not.toContain(madeUp);
    // A session id in the body (as pages before this version sent) is ignored too.
    const body = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: '198.51.100.10', payload: { sessionId: 'chosen-by-the-client-0001', text: 'xin chào' } });
    expect(body.statusCode).toBe(200);
    expect((await admin.keys(`${prefix}*chosen-by-the-client*`))).toEqual([]);
  });
});

describe('new web chat conversations overall', () => {
  let s: StartedServer;
  beforeAll(async () => {
    s = await startTestServer({ WEB_NEW_CHATS_PER_IP_PER_MINUTE: '10', WEB_NEW_CHATS_PER_MINUTE: '15' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('many addresses together get at most the overall budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', remoteAddress: `192.0.2.${i + 1}`, payload: { start: true } });
      statuses.push(res.statusCode);
    }
    expect(statuses.filter((c) => c === 200)).toHaveLength(15);
    expect(statuses.slice(15).every((c) => c === 429)).toBe(true);
    expect((await s.server.app.inject({ url: '/metrics' })).body).toMatch(/^dvcbot_web_chats_refused_total\{budget="all-minute"\} 15$/m);
  });

  it('the page shows the "too many new chats" message when refused', async () => {
    const strings = (await s.server.app.inject({ url: '/api/web/strings?lang=vi' })).json();
    expect(strings.busy).toContain('quá nhiều cuộc trò chuyện mới');
    // The page shows `busy` on a 429 (the browser test web-session.browser.test.ts sees it happen),
    // and no script of the page handles a session id: the session is the HttpOnly cookie.
    const script = (await s.server.app.inject({ url: '/web/chat.js' })).body;
    expect(script).toContain("'HTTP 429'");
    expect(script).toContain('labels().busy');
    for (const file of ['chat.js', 'chat-api.js', 'chat-view.js', 'chat-strings.js']) {
      expect((await s.server.app.inject({ url: `/web/${file}` })).body, file).not.toContain('sessionId');
    }
  });
});
