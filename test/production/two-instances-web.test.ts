// Two instances on one Redis, without sticky sessions: a web citizen talks to instance A and
// asks for a person; a staff member works in the console on instance B (login, claim, reply).
// The citizen's long-poll held by A returns the staff reply appended through B, and a GET on B
// shows the same history as A (one outbox in Redis).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { WebOutboxItem } from '../../src/core/ports.ts';
import type { Server } from '../../src/server.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import type { RedisWebOutbox } from '../../src/stores/redis/redis-web-outbox.ts';
import { addStaff, eventually, login, sessionId, testServer, type WebCitizen } from '../console/helpers.ts';

const prefix = `two-web:${randomUUID()}:`;
let a: Server;
let b: Server;
let baseA: string;
let baseB: string;

beforeAll(async () => {
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix };
  a = await testServer(env);
  b = await testServer(env);
  baseA = await a.start();
  baseB = await b.start();
  await addStaff(b, 'lan', 'staff', 'Chị Lan');
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  const admin = createRedisClient(inject('redisUrl'));
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await closeRedisClient(admin);
});

interface Page {
  readonly items: WebOutboxItem[];
  readonly cursor: number;
}

async function citizenSays(base: string, citizen: WebCitizen, text: string, after: number): Promise<Page> {
  return citizen.fetchPost<Page>(base, { text, after });
}

async function longPoll(base: string, citizen: WebCitizen, after: number): Promise<Page> {
  const res = await citizen.fetchPoll(base, after);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

async function staffPost(path: string, cookie: string, payload?: object): Promise<void> {
  const res = await fetch(`${baseB}${path}`, {
    method: 'POST',
    headers: { cookie, ...(payload ? { 'content-type': 'application/json' } : {}) },
    ...(payload ? { body: JSON.stringify(payload) } : {}),
  });
  expect(res.status, await res.text()).toBe(200);
}

it('a long-poll on A returns the staff reply sent through B; B shows the same history', async () => {
  const sid = sessionId();
  const asked = await citizenSays(baseA, sid, 'cho tôi gặp cán bộ', 0);
  expect(asked.items.map((i) => i.text).join('\n')).toContain('vị trí số');
  const handoff = `/api/staff/handoffs/${encodeURIComponent(sid.id)}`;

  const cookie = await login(b.app, 'lan');
  await staffPost(`${handoff}/claim`, cookie);
  // The claim notice reached the outbox (through B); the page on A would have it by now.
  const claimed = await eventually(async () => {
    const page = await a.web.read(sid.chatId!, asked.cursor);
    expect(page.items.map((i) => i.text).join('\n')).toContain('Chị Lan');
    return page;
  });

  // The page on A waits for what comes next; A's outbox is listening before staff reply on B.
  const outboxA = a.stores.webOutbox as RedisWebOutbox;
  const pending = longPoll(baseA, sid, claimed.cursor);
  await eventually(() => expect(outboxA.waitingCount).toBe(1));
  await staffPost(`${handoff}/messages`, cookie, { text: 'Chào anh, anh mang CCCD cũ nhé.' });

  const woken = await pending;
  expect(woken.items.map((i) => i.text)).toEqual(['👤 Cán bộ Chị Lan: Chào anh, anh mang CCCD cũ nhé.']);
  expect(woken.cursor).toBe(claimed.cursor + 1);

  // The same history, read through either instance.
  const onA = await longPoll(baseA, sid, 0);
  const onB = await longPoll(baseB, sid, 0);
  expect(onB).toEqual(onA);
  expect(onB.cursor).toBe(woken.cursor);
  expect(onB.items.map((i) => i.seq)).toEqual(Array.from({ length: woken.cursor }, (_, i) => i + 1));
  expect(onB.items.at(-1)?.text).toBe('👤 Cán bộ Chị Lan: Chào anh, anh mang CCCD cũ nhé.');
});
