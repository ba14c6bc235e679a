// A long queue and several consoles open (a real server on Redis): 10,000 citizens waiting, 5
// consoles on the live channel. The console's queue read is one page whatever the queue's
// length (50 waiting by default, the totals beside them), and each queue event reaches every
// console with its delta — the ticket's new state and the totals — in the events' order, so no
// console has to read the queue again. (Before, every console refetched the whole queue, 1.9 MB,
// after every event.) The /healthz latency meanwhile is measured by `npm run bench:queue`.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import type { ConversationId } from '../../src/core/types.ts';
import { addStaff, eventually, login, testServer } from './helpers.ts';
import { openEventStream, type EventStream } from './sse-client.ts';

const WAITING = 10_000;
let server: Server;
let base: string;
let cookie: string;

beforeAll(async () => {
  server = await testServer({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `scale:${randomUUID()}:` });
  base = await server.start();
  await addStaff(server, 'lan', 'staff', 'Chị Lan');
  cookie = await login(server.app, 'lan');
  const t0 = Date.now() - WAITING * 1_000;
  const queue = server.stores.handoffs;
  for (let i = 0; i < WAITING; i += 500) {
    await Promise.all(
      Array.from({ length: 500 }, (_, k) => queue.enqueue({ id: `telegram:${8_000_000_000 + i + k}`, channel: 'telegram', waitingSinceMs: t0 + (i + k) * 1_000, reason: 'asked', title: 'làm căn cước cho con dưới 14 tuổi' })),
    );
  }
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

it('reads one page of a 10,000-long queue, with the totals', async () => {
  const res = await fetch(`${base}/api/staff/queue`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const body = await res.text();
  const page = JSON.parse(body) as { waiting: { total: number; tickets: { id: string; waitingSinceMs: number }[] }; active: { total: number } };
  expect(page.waiting.total).toBe(WAITING);
  expect(page.waiting.tickets).toHaveLength(50);
  expect(page.waiting.tickets[0]!.id).toBe('telegram:8000000000'); // the longest waiting first
  expect(body.length).toBeLessThan(50_000);
  const next = (await (await fetch(`${base}/api/staff/queue?offset=50&limit=200`, { headers: { cookie } })).json()) as typeof page;
  expect(next.waiting.tickets).toHaveLength(200);
  expect(next.waiting.tickets[0]!.id).toBe('telegram:8000000050');
  expect((await fetch(`${base}/api/staff/queue?limit=100000`, { headers: { cookie } })).status).toBe(400);
  expect((await fetch(`${base}/api/staff/queue`)).status).toBe(401);
});

it('tells 5 consoles each change with its delta, in order, so none reads the queue again', async () => {
  const consoles: EventStream[] = await Promise.all(Array.from({ length: 5 }, () => openEventStream(`${base}/api/staff/events`, { cookie })));
  try {
    await eventually(() => consoles.forEach((c) => expect(c.events[0]).toEqual({ type: 'ready' })));
    const id: ConversationId = 'telegram:8000000000';
    // As the desk does it (the seeded citizens have no conversation to lock): claim, then tell.
    expect((await server.stores.handoffs.claim(id, 'lan', Date.now())).ok).toBe(true);
    await server.stores.events.publish({ type: 'status', conversationId: id, atMs: Date.now(), by: 'lan' });
    const fresh: ConversationId = 'telegram:8100000000';
    await server.stores.handoffs.enqueue({ id: fresh, channel: 'telegram', waitingSinceMs: Date.now(), reason: 'asked' });
    await server.stores.events.publish({ type: 'queue', conversationId: fresh, atMs: Date.now() });
    for (const c of consoles) {
      await eventually(() => expect(c.events.filter((e) => e.type !== 'ready').length).toBeGreaterThanOrEqual(2), 10_000);
      const [claimed, queued] = c.events.filter((e) => e.type !== 'ready');
      // Each delta says how things stand when it is read: the totals of the last one are the queue's.
      expect(claimed).toMatchObject({ conversationId: id, ticket: { id, status: 'active', owner: 'lan' } });
      expect(queued).toMatchObject({ conversationId: fresh, ticket: { id: fresh, status: 'waiting' }, counts: { waiting: WAITING, active: 1 } });
      expect(JSON.stringify(queued).length).toBeLessThan(2_000);
    }
  } finally {
    for (const c of consoles) c.close();
  }
});
