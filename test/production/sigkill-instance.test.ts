// Three real app processes on one Redis behind one bot, citizens writing at about 45 messages a
// second spread over the three, the Bot API slow (every send takes 300 ms, so turns are always
// in flight). One instance is SIGKILLed mid-way: no goodbye, turns cut short, messages it had
// answered 200 for still queued. Every update any instance answered 200 for — the killed one's
// included — is answered within 30 s of the kill by the others, which take over what it left
// pending in the durable inbound log. (Before the log, 17 such updates were never processed.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { APP_TG_TOKEN, startAppProcess, type AppProcess } from '../support/app-process.ts';
import { FakeTelegramServer, telegramOk } from '../support/fake-telegram.ts';
import { eventually, sentTo, sleep, textUpdate } from './support.ts';

const CHATS = 90;
const RATE_PER_S = 45;
const SECONDS = 6;
const KILL_AT_S = 3;
const QUESTIONS = ['đăng ký khai sinh', 'làm căn cước cho con dưới 14 tuổi', 'đăng ký thường trú', 'cấp đổi giấy phép lái xe', 'kích hoạt định danh điện tử'];

let fake: FakeTelegramServer;
let apps: AppProcess[] = [];
let stores: Stores;
const prefix = `sigkill:${randomUUID()}:`;

beforeAll(async () => {
  fake = await FakeTelegramServer.start({ token: APP_TG_TOKEN });
  fake.replyAlways('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text }, 300));
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix };
  apps = await Promise.all([0, 1, 2].map(() => startAppProcess(fake.apiRoot, env)));
  stores = await createStores({ redisUrl: inject('redisUrl'), keyPrefix: prefix, conversationTtlMs: 3_600_000, transcriptMax: 50, logger: silentLogger });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.kill('SIGKILL')));
  await stores?.close();
  await fake?.close();
});

it('every update accepted before, during and after one instance is SIGKILLed is answered within 30 s of the kill', async () => {
  const accepted: { chat: number; text: string; by: number }[] = [];
  const posts: Promise<void>[] = [];
  const total = RATE_PER_S * SECONDS;
  let killedAtMs = 0;
  const startMs = Date.now();
  for (let i = 0; i < total; i++) {
    const dueMs = startMs + (i * 1000) / RATE_PER_S;
    await sleep(Math.max(0, dueMs - Date.now()));
    if (killedAtMs === 0 && Date.now() - startMs >= KILL_AT_S * 1000) {
      await apps[0]!.kill('SIGKILL');
      killedAtMs = Date.now();
    }
    const chat = 6900000000 + (i % CHATS);
    const text = `${QUESTIONS[i % QUESTIONS.length]} (${i})`;
    const by = killedAtMs === 0 ? i % 3 : 1 + (i % 2); // after the kill, Telegram reaches the two left
    posts.push(apps[by]!.postUpdate(textUpdate(chat, text)).then((status) => {
      if (status === 200) accepted.push({ chat, text, by });
    }));
  }
  await Promise.all(posts);
  expect(killedAtMs).toBeGreaterThan(0);
  const byKilled = accepted.filter((a) => a.by === 0);
  expect(byKilled.length).toBeGreaterThan(30);

  // Every accepted message had its turn (its words are in the transcript) and got a reply.
  await eventually(async () => {
    for (const chat of new Set(accepted.map((a) => a.chat))) {
      const said = (await stores.conversations.transcript(`telegram:${chat}`)).filter((e) => e.role === 'citizen').map((e) => e.text);
      const mine = accepted.filter((a) => a.chat === chat);
      for (const a of mine) expect(said, `chat ${chat}`).toContain(a.text);
      expect(sentTo(fake.callsTo('sendMessage'), chat).length).toBeGreaterThanOrEqual(mine.length);
    }
  }, Math.max(1_000, killedAtMs + 30_000 - Date.now()));

  // The survivors did take over what the killed instance left pending.
  const tookOver = apps.slice(1).some((a) => a.lines.some((l) => l.includes('taking over messages left pending')));
  expect(tookOver).toBe(true);
}, 120_000);
