// The web chat while Redis is down (a real redis-server, stopped and started again): the POST
// still answers 200 with the bot's stateless reply (the outbox cannot keep it, so the request
// returns it itself), nothing crashes, and once Redis is back the outbox works again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { WebCitizen } from '../support/web-citizen.ts';
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

async function post(body: object, citizen = new WebCitizen()): Promise<Page> {
  const res = await citizen.post(s.server.app, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

async function ready(): Promise<number> {
  return (await s.server.app.inject({ url: '/readyz' })).statusCode;
}

it('answers the web chat statelessly while Redis is down, and recovers by itself', async () => {
  const noState = await viMessage('no_state');
  const citizen = new WebCitizen();
  const welcome = await post({ start: true }, citizen);
  expect(welcome.items.length).toBeGreaterThan(0);
  expect(welcome.cursor).toBe(welcome.items.at(-1)!.seq);

  await redis.stop();
  await eventually(async () => expect(await ready()).toBe(503));

  const during = await post({ text: 'đăng ký khai sinh cho con', after: welcome.cursor }, citizen);
  expect(during.items[0]?.text).toBe(noState);
  expect(during.items.length).toBeGreaterThan(1);
  expect(during.items.every((i) => i.seq > welcome.cursor)).toBe(true);
  expect(during.cursor).toBe(welcome.cursor); // not moved: nothing was stored
  // Without a cursor from the page either, and from a new browser (its session is issued without the budgets' store).
  const newcomer = new WebCitizen();
  const fresh = await post({ text: 'cấp đổi giấy phép lái xe' }, newcomer);
  expect(fresh.items[0]?.text).toBe(noState);
  expect(newcomer.sessions).toBe(1);

  await redis.restart(); // empty again: no persistence in this test
  await eventually(async () => expect(await ready()).toBe(200), 15_000);
  // Redis came back empty: the session's conversation is gone, so a new one starts (its outbox counts from 1).
  const after = await post({ text: 'làm căn cước cho con dưới 14 tuổi', after: welcome.cursor }, citizen);
  expect(after.items.length).toBeGreaterThan(0);
  expect(after.items.map((i) => i.text)).not.toContain(noState);
  expect(after.items[0]!.seq).toBe(1);
  expect(after.cursor).toBe(after.items.at(-1)!.seq);
  expect(citizen.sessions).toBe(2);
  expect(await s.server.web.cursor(citizen.chatId!)).toBe(after.cursor);

  expect(unhandled).toEqual([]);
  const logs = s.logs.map((l) => JSON.parse(l) as { msg: string; level: number });
  expect(logs.some((l) => l.msg === 'web outbox unavailable: reply returned with the request only')).toBe(true);
  expect(logs.some((l) => l.level >= 60)).toBe(false); // no fatal
}, 40_000);
