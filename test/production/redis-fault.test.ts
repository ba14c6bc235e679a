// Redis goes away in the middle of a conversation (a real redis-server, stopped and started
// again): the bot keeps answering from the index with the "cannot keep your place" notice,
// /readyz says 503, nothing crashes, and once Redis is back the client reconnects by itself,
// /readyz is 200 again and answers come without the notice.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { telegramOk } from '../support/fake-telegram.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

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

async function ready(): Promise<number> {
  return (await s.server.app.inject({ url: '/readyz' })).statusCode;
}

/** Posts a message and resolves the replies it produced (once they stop coming). */
async function ask(chat: number, text: string): Promise<string[]> {
  const before = s.repliesTo(chat).length;
  expect((await s.postUpdate(textUpdate(chat, text))).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(before), 8_000);
  await sleep(150);
  return s.repliesTo(chat).slice(before);
}

it('answers statelessly while Redis is down, reports not ready, and recovers by itself', async () => {
  const noState = await viMessage('no_state');
  const chat = 6300000001;

  // A normal conversation.
  expect(await ready()).toBe(200);
  const first = await ask(chat, 'làm căn cước cho con dưới 14 tuổi');
  expect(first.length).toBeGreaterThan(0);
  expect(first).not.toContain(noState);
  expect(await s.server.stores.conversations.get(`telegram:${chat}`)).not.toBeNull();

  // Redis dies while a turn is still sending its reply (the lock is held by then).
  s.telegram.replyOnce('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id }, text: call.body.text }, 600));
  expect((await s.postUpdate(textUpdate(chat, 'đăng ký thường trú'))).statusCode).toBe(200);
  await eventually(() => expect(s.telegram.callsTo('sendMessage').length).toBeGreaterThan(first.length));
  await redis.stop();
  await eventually(async () => expect(await ready()).toBe(503));
  const readyz = (await s.server.app.inject({ url: '/readyz' })).json() as { checks: { name: string; ok: boolean }[] };
  expect(readyz.checks.find((c) => c.name === 'store')?.ok).toBe(false);
  expect((await s.server.app.inject({ url: '/healthz' })).statusCode).toBe(200); // alive, just not ready

  // Simple questions are still answered, with the notice, and no state is pretended.
  const during = await ask(chat, 'đăng ký khai sinh cho con');
  expect(during[0]).toBe(noState);
  expect(during.length).toBeGreaterThan(1);
  const again = await ask(6300000002, 'cấp đổi giấy phép lái xe');
  expect(again[0]).toBe(noState);
  expect(again.length).toBeGreaterThan(1);
  const metrics = (await s.server.app.inject({ url: '/metrics' })).body;
  expect(metrics).toMatch(/^dvcbot_store_up 0$/m);
  // The two answers without state and the turn whose save failed after its reply are counted.
  expect(metrics).toMatch(/^dvcbot_stateless_answers_total{channel="telegram",reason="store"} 2$/m);
  expect(metrics).toMatch(/^dvcbot_unsaved_turns_total{channel="telegram"} 1$/m);
  expect(metrics).not.toMatch(/^dvcbot_store_slow_total/m); // an outage is no local lag

  // Redis comes back (empty: no persistence in this test) and the client reconnects by itself.
  await redis.restart();
  await eventually(async () => expect(await ready()).toBe(200), 15_000);
  const after = await ask(chat, 'làm căn cước cho con dưới 14 tuổi');
  expect(after.length).toBeGreaterThan(0);
  expect(after).not.toContain(noState);
  expect(await s.server.stores.conversations.get(`telegram:${chat}`)).not.toBeNull();
  expect((await s.server.stores.conversations.transcript(`telegram:${chat}`)).length).toBeGreaterThan(1);

  // Nothing crashed: no unhandled rejection, the outage logged once, the recovery logged.
  expect(unhandled).toEqual([]);
  const logs = s.logs.map((l) => JSON.parse(l) as { msg: string; level: number });
  expect(logs.filter((l) => l.msg === 'redis connection lost').length).toBeGreaterThanOrEqual(1);
  expect(logs.some((l) => l.msg === 'redis connection back')).toBe(true);
  expect(logs.some((l) => l.level >= 60)).toBe(false); // no fatal
}, 40_000);
