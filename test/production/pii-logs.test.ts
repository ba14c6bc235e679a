// Personal numbers and secrets never reach a log line nor anything kept for reports.
// The shared fixture message-pii.json (a 12-digit ID card number and a phone number) goes
// through the real Telegram webhook with every log level on; a web chat message adds an email,
// a bank account and an old 9-digit ID; a platform error echoing the numbers and a malformed
// update push them at the error paths. Then the logs, /metrics and every Redis key are grepped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { telegramError } from '../support/fake-telegram.ts';
import { WebCitizen } from '../support/web-citizen.ts';
import { eventually, sleep, startProdServer, TG_SECRET, TG_TOKEN, textUpdate, type ProdServer } from './support.ts';

const FIXTURE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/telegram/message-pii.json'), 'utf8')) as {
  update_id: number;
  message: { chat: { id: number }; text: string };
};
const CCCD = '092301004567';
const PHONE = '0901234567';
const EMAIL = 'lan.nguyen@example.com';
const BANK = '0123456789012';
const OLD_ID = '361234567';
/** Every personal value fed in, also as people type them with spaces and dots. */
const PERSONAL = [CCCD, PHONE, EMAIL, BANK, OLD_ID, '0901 234 567', '0901.234.567', '092 301 004 567'];

let s: ProdServer;
let redis: Redis;

beforeAll(async () => {
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') }, logLevel: 'trace' });
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await s?.close();
  redis?.disconnect();
});

it('the fixture is the shared one and holds what we look for', () => {
  expect(FIXTURE.message.text).toContain(CCCD);
  expect(FIXTURE.message.text).toContain(PHONE);
});

it('no log line, metric or kept record holds a personal number, an email, a token or a secret', async () => {
  const chat = FIXTURE.message.chat.id;
  // 1. The fixture, as Telegram sends it.
  expect((await s.postUpdate(FIXTURE)).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(0));

  // 2. The platform refuses a reply and echoes the numbers in its error (logged as a send failure).
  s.telegram.replyOnce('sendMessage', telegramError(400, `Bad Request: chat ${CCCD} of ${PHONE} (0901 234 567) not writable`));
  const before = s.telegram.callsTo('sendMessage').length;
  await s.postUpdate(textUpdate(chat, `số điện thoại mới 0901.234.567, căn cước 092 301 004 567`));
  await eventually(() => expect(s.telegram.callsTo('sendMessage').length).toBeGreaterThan(before));

  // 3. A malformed update carrying the numbers, and a forged one carrying the token.
  await s.postUpdate({ update_id: 'x', message: { text: `${CCCD} ${PHONE}`, chat: `${EMAIL}` } });
  await s.postUpdate(textUpdate(chat, 'hi'), `${TG_TOKEN}`);

  // 4. The web chat: email, bank account, old ID number, and a hand-off carrying them.
  const citizen = new WebCitizen();
  const post = (body: object) => citizen.post(s.server.app, body, { 'content-type': 'application/json' });
  expect((await post({ text: `email ${EMAIL}, số tài khoản ${BANK}, cmnd cũ ${OLD_ID}, nộp phí trước bạ` })).statusCode).toBe(200);
  expect((await post({ text: `gặp cán bộ giúp tôi, sđt ${PHONE}` })).statusCode).toBe(200);
  await sleep(300);

  const logs = s.logs.join('\n');
  expect(s.logs.length).toBeGreaterThan(5);
  // The error path did log the platform's words, masked.
  expect(logs).toMatch(/\[cccd\]|\[sđt\]/);
  for (const value of PERSONAL) expect({ value, inLogs: logs.includes(value) }).toEqual({ value, inLogs: false });
  for (const secret of [TG_TOKEN, TG_SECRET, TG_TOKEN.split(':')[1]!]) expect(logs.includes(secret)).toBe(false);
  for (const line of s.logs) expect(() => JSON.parse(line)).not.toThrow(); // structured, one JSON object a line

  const metrics = (await s.server.app.inject({ url: '/metrics' })).body;
  for (const value of PERSONAL) expect(metrics.includes(value)).toBe(false);

  // Kept in Redis: the citizen's words may stay only in the conversation's transcript (for staff,
  // with the conversation's retention) and the hand-off ticket staff read; nothing else.
  const keys = await redis.keys(`${s.keyPrefix}*`);
  expect(keys.length).toBeGreaterThan(0);
  const holding: string[] = [];
  for (const key of keys) {
    const type = await redis.type(key);
    let dump = '';
    if (type === 'string') dump = (await redis.get(key)) ?? '';
    else if (type === 'list') dump = (await redis.lrange(key, '0', '-1')).join('\n');
    else if (type === 'hash') dump = JSON.stringify(await redis.hgetall(key));
    else if (type === 'zset') dump = (await redis.zrange(key, '0', '-1')).join('\n');
    else if (type === 'set') dump = (await redis.smembers(key)).join('\n');
    else if (type === 'stream') dump = JSON.stringify(await redis.xrange(key, '-', '+'));
    if (PERSONAL.some((v) => dump.includes(v)) || [TG_TOKEN, TG_SECRET].some((v) => dump.includes(v))) holding.push(key.slice(s.keyPrefix.length));
  }
  const allowed = /^conv:\{[^}]+\}:transcript$|^handoff:\{handoff\}:ticket:/;
  expect(holding.filter((k) => !allowed.test(k))).toEqual([]);
  expect(holding.some((k) => k.endsWith(':transcript'))).toBe(true);
});
