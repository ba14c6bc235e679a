// The web chat while Redis is down (a real redis-server, stopped and started again): the POST
// still answers 200 with the bot's stateless reply (the outbox cannot keep it, so the request
// returns it itself), nothing crashes, and once Redis is back the outbox works again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually, startProdServer, viMessage, type ProdServer } from './support.ts';

let redis: RedisServerHandle;
let s: ProdServer;
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  redis = await startRedisServer();
  s = await startProdServer({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await s?.close();
  await redis?.stop();
});

interface Page {
  readonly items: { seq: number; text: string }[];
  readonly cursor: number;
}

async function post(body: object): Promise<Page> {
  const res = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

async function ready(): Promise<number> {
  return (await s.server.app.inject({ url: '/readyz' })).statusCode;
}

it('answers the web chat statelessly while Redis is down, and recovers by itself', async () => {
  const noState = await viMessage('no_state');
  const sessionId = `fault-${randomUUID()}`;

  const welcome = await post({ sessionId, start: true });
  expect(welcome.items.length).toBeGreaterThan(0);
  expect(welcome.cursor).toBe(welcome.items.at(-1)!.seq);

  await redis.stop();
  await eventually(async () => expect(await ready()).toBe(503));

  const during = await post({ sessionId, text: 'đăng ký khai sinh cho con', after: welcome.cursor });
  expect(during.items[0]?.text).toBe(noState);
  expect(during.items.length).toBeGreaterThan(1);
  expect(during.items.every((i) => i.seq > welcome.cursor)).toBe(true);
  expect(during.cursor).toBe(welcome.cursor); // not moved: nothing was stored
  // Without a cursor from the page either.
  const fresh = await post({ sessionId: `fault-${randomUUID()}`, text: 'cấp đổi giấy phép lái xe' });
  expect(fresh.items[0]?.text).toBe(noState);

  await redis.restart(); // empty again: no persistence in this test
  await eventually(async () => expect(await ready()).toBe(200), 15_000);
  // Redis came back empty, so this session's outbox counts from 1 again.
  const after = await post({ sessionId, text: 'làm căn cước cho con dưới 14 tuổi', after: 0 });
  expect(after.items.length).toBeGreaterThan(0);
  expect(after.items.map((i) => i.text)).not.toContain(noState);
  expect(after.cursor).toBe(after.items.at(-1)!.seq);
  expect(await s.server.web.cursor(sessionId)).toBe(after.cursor);

  expect(unhandled).toEqual([]);
  const logs = s.logs.map((l) => JSON.parse(l) as { msg: string; level: number });
  expect(logs.some((l) => l.msg === 'web outbox unavailable: reply returned with the request only')).toBe(true);
  expect(logs.some((l) => l.level >= 60)).toBe(false); // no fatal
}, 40_000);
