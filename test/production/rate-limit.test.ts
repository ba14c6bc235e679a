// The per-conversation rate limit through the Telegram webhook: with the default
// RATE_LIMIT_PER_MINUTE (20), a flood of 30 messages gets 20 answers and ONE polite
// slow-down message; other citizens are not affected; after a minute answers resume.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { countMessage } from '../../src/core/rate-limiter.ts';
import { FakeTelegramServer } from '../support/fake-telegram.ts';
import { eventually, sleep, startProdServer, TG_TOKEN, textUpdate, viMessage, type ProdServer } from './support.ts';

let s: ProdServer;
let offsetMs = 0;
const clock = { nowMs: () => Date.now() + offsetMs };

beforeAll(async () => {
  s = await startProdServer({ env: { TRANSCRIPT_MAX: '500' }, clock });
});
afterAll(async () => {
  await s?.close();
});

async function citizenLines(chat: number): Promise<number> {
  const entries = await s.server.stores.conversations.transcript(`telegram:${chat}`);
  return entries.filter((e) => e.role === 'citizen').length;
}

it('answers 20 messages a minute, then sends one polite message, not one per extra message', async () => {
  const slowDown = await viMessage('rate_limited');
  const flood = 6200000001;
  const calm = 6200000002;
  const statuses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => s.postUpdate(textUpdate(flood, `câu hỏi ${i}: làm căn cước`)).then((r) => r.statusCode)),
  );
  expect(statuses.every((c) => c === 200)).toBe(true);
  await eventually(async () => expect(await citizenLines(flood)).toBe(20));
  await eventually(() => expect(s.repliesTo(flood).filter((t) => t === slowDown)).toHaveLength(1));

  // Another citizen at the same moment is answered normally.
  await s.postUpdate(textUpdate(calm, 'đăng ký khai sinh'));
  await eventually(() => expect(s.repliesTo(calm).length).toBeGreaterThan(0));
  expect(s.repliesTo(calm)).not.toContain(slowDown);

  // More messages in the same minute: still silence, no second notice.
  const before = s.repliesTo(flood).length;
  for (let i = 0; i < 5; i++) await s.postUpdate(textUpdate(flood, 'còn đó không?'));
  await sleep(300);
  expect(s.repliesTo(flood)).toHaveLength(before);
  expect(await citizenLines(flood)).toBe(20);

  // A minute later the citizen is answered again.
  offsetMs += 61_000;
  await s.postUpdate(textUpdate(flood, 'cấp đổi giấy phép lái xe'));
  await eventually(async () => expect(await citizenLines(flood)).toBe(21));
  await eventually(() => expect(s.repliesTo(flood).length).toBeGreaterThan(before));
  expect(s.repliesTo(flood).filter((t) => t === slowDown)).toHaveLength(1);
});

it('holds across two instances on one Redis: 20 answers and one polite message in all', async () => {
  const telegram = await FakeTelegramServer.start({ token: TG_TOKEN });
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `rate2:${Date.now()}:`, TRANSCRIPT_MAX: '500' };
  const [a, b] = await Promise.all([startProdServer({ env, telegram }), startProdServer({ env, telegram })]);
  try {
    const slowDown = await viMessage('rate_limited');
    const flood = 6200000003;
    // 30 messages spread over both instances (each alone would allow 20: 30 answers if counted per instance).
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).postUpdate(textUpdate(flood, `câu hỏi ${i}: làm căn cước`))));
    expect(statuses.every((r) => r.statusCode === 200)).toBe(true);
    const citizenLines = async () => (await a.server.stores.conversations.transcript(`telegram:${flood}`)).filter((e) => e.role === 'citizen').length;
    await eventually(async () => expect(await citizenLines()).toBe(20));
    await eventually(() => expect(a.repliesTo(flood).filter((t) => t === slowDown)).toHaveLength(1));
    await sleep(300);
    expect(await citizenLines()).toBe(20);
    expect(a.repliesTo(flood).filter((t) => t === slowDown)).toHaveLength(1);
  } finally {
    await a.close();
    await b.close();
    await telegram.close();
  }
});

it('counts in fixed one-minute windows (pure)', () => {
  let w = countMessage(undefined, 2, 60_000, 1_000);
  expect(w).toEqual({ window: { startMs: 1_000, count: 1 }, decision: 'ok' });
  w = countMessage(w.window, 2, 60_000, 2_000);
  expect(w.decision).toBe('ok');
  w = countMessage(w.window, 2, 60_000, 3_000);
  expect(w.decision).toBe('first-over');
  w = countMessage(w.window, 2, 60_000, 4_000);
  expect(w.decision).toBe('over');
  w = countMessage(w.window, 2, 60_000, 61_000); // a new window
  expect(w).toEqual({ window: { startMs: 61_000, count: 1 }, decision: 'ok' });
  expect(countMessage(w.window, 0, 60_000, 62_000)).toEqual({ window: undefined, decision: 'ok' }); // off
  expect(countMessage({ startMs: 90_000, count: 9 }, 2, 60_000, 62_000).decision).toBe('ok'); // a clock that went back starts over
});
