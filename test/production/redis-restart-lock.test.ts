// Redis restarts with persistence while a turn holds its conversation's lock: the lock key
// comes back from the append-only file, but its turn is over. The next message of that
// conversation must be answered, with its state, not left waiting and then dropped.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationKeys } from '../../src/stores/redis/redis-conversation-store.ts';
import { telegramOk } from '../support/fake-telegram.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

let redis: RedisServerHandle;
let s: ProdServer;

beforeAll(async () => {
  redis = await startRedisServer({ persistent: true });
  s = await startProdServer({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await s?.close();
  await redis?.stop();
});

async function ready(): Promise<number> {
  return (await s.server.app.inject({ url: '/readyz' })).statusCode;
}

it('answers the next message after a restart that kept a stale lock, with the conversation state', async () => {
  const chat = 6400000001;
  const id = `telegram:${chat}`;
  expect((await s.postUpdate(textUpdate(chat, 'làm căn cước cho con dưới 14 tuổi'))).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(0));
  await sleep(150);

  // Redis goes away while a turn is sending (it holds the lock); its release is lost.
  const before = s.repliesTo(chat).length;
  s.telegram.replyOnce('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id }, text: call.body.text }, 600));
  expect((await s.postUpdate(textUpdate(chat, 'đăng ký thường trú'))).statusCode).toBe(200);
  await eventually(() => expect(s.telegram.callsTo('sendMessage').length).toBeGreaterThan(before));
  await redis.halt();
  await eventually(async () => expect(await ready()).toBe(503));
  await sleep(800); // the turn finishes its sends and fails to release the lock
  await redis.restart();
  await eventually(async () => expect(await ready()).toBe(200), 15_000);
  const admin = new Redis(redis.url, { keyPrefix: s.keyPrefix });
  try {
    expect(await admin.exists(conversationKeys(id).lock)).toBe(1); // the stale lock is back
  } finally {
    admin.disconnect();
  }

  // The next message is answered from the kept state (no "cannot keep your place").
  const transcriptBefore = (await s.server.stores.conversations.transcript(id)).length;
  const sent = s.repliesTo(chat).length;
  expect((await s.postUpdate(textUpdate(chat, 'đăng ký khai sinh cho con'))).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(sent), 20_000);
  await sleep(150);
  expect(s.repliesTo(chat).slice(sent)).not.toContain(await viMessage('no_state'));
  await eventually(async () => expect((await s.server.stores.conversations.transcript(id)).length).toBeGreaterThan(transcriptBefore));
  const logs = s.logs.map((l) => JSON.parse(l) as { msg: string });
  expect(logs.some((l) => l.msg.startsWith('stale conversation lock of this instance taken over'))).toBe(true);
  expect(logs.some((l) => l.msg === 'inbound message failed')).toBe(false);
}, 60_000);
