// Two app instances on one Redis, as behind a load balancer: accounts and sessions are shared,
// a console streaming events from instance A sees what citizens send through instance B, and a
// claim race across instances has exactly one winner.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { addStaff, eventually, login, sessionId, testServer, type WebCitizen } from './helpers.ts';
import { openEventStream, type EventStream } from './sse-client.ts';

const prefix = `test:${randomUUID()}:`;
let a: Server;
let b: Server;
let baseA: string;
let baseB: string;
let stream: EventStream | undefined;

async function citizenVia(base: string, citizen: WebCitizen, text: string): Promise<void> {
  await citizen.fetchPost(base, { text });
}

async function claimVia(base: string, cookie: string, id: string): Promise<number> {
  const res = await fetch(`${base}/api/staff/handoffs/${encodeURIComponent(id)}/claim`, { method: 'POST', headers: { cookie } });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix };
  a = await testServer(env);
  b = await testServer(env);
  baseA = await a.start();
  baseB = await b.start();
  await addStaff(a, 'lan');
  await addStaff(a, 'minh');
});

afterAll(async () => {
  stream?.close();
  await a?.stop();
  await b?.stop();
  const admin = createRedisClient(inject('redisUrl'));
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await closeRedisClient(admin);
});

describe('two instances on one Redis', () => {
  it('a console on A sees, live, the hand-off and the messages citizens send through B', async () => {
    const cookie = await login(a.app, 'lan');
    stream = await openEventStream(`${baseA}/api/staff/events`, { cookie });
    expect(stream.status).toBe(200);
    await eventually(() => expect(stream!.events).toContainEqual({ type: 'ready' }));

    const sid = sessionId();
    await citizenVia(baseB, sid, 'cho tôi gặp cán bộ');
    const id = sid.id;
    await eventually(() => expect(stream!.events).toContainEqual(expect.objectContaining({ type: 'queue', conversationId: id })));

    await citizenVia(baseB, sid, 'Tôi bị mất giấy khai sinh, làm lại thế nào?');
    await eventually(() =>
      expect(stream!.events).toContainEqual(
        expect.objectContaining({ type: 'message', conversationId: id, entry: expect.objectContaining({ role: 'citizen', text: 'Tôi bị mất giấy khai sinh, làm lại thế nào?' }) }),
      ),
    );
    // The queue view on A shows it too (one queue in Redis).
    const list = (await (await fetch(`${baseA}/api/staff/handoffs`, { headers: { cookie } })).json()) as { id: string; lastMessage?: string }[];
    expect(list.find((t) => t.id === id)?.lastMessage).toBe('Tôi bị mất giấy khai sinh, làm lại thế nào?');
  });

  it('a session made on A works on B', async () => {
    const cookie = await login(a.app, 'minh');
    const me = await fetch(`${baseB}/api/staff/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: 'minh' });
  });

  it('two staff claiming at once on different instances: one 200, one 409', async () => {
    const sid = sessionId();
    await citizenVia(baseA, sid, 'gặp cán bộ');
    const [lanCookie, minhCookie] = [await login(a.app, 'lan'), await login(b.app, 'minh')];
    const statuses = await Promise.all([claimVia(baseA, lanCookie, sid.id), claimVia(baseB, minhCookie, sid.id)]);
    expect(statuses.sort()).toEqual([200, 409]);
  });
});
