// The per-conversation rate limit through the Telegram webhook: with the default
// RATE_LIMIT_PER_MINUTE (20), a flood of 30 messages gets 20 answers and ONE polite
// slow-down message; other citizens are not affected; after a minute answers resume.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

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
