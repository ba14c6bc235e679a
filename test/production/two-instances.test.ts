// Two instances on one Redis behind one Telegram bot: 20 conversations × 10 messages, all
// posted at once and spread over both instances, each update also redelivered to the other
// instance (as Telegram does when a webhook answer is late). Every message is handled exactly
// once, each conversation's replies leave in the order of its transcript (one turn's replies
// never interleave with another's), and no transcript entry is lost. (That each citizen's
// messages are also handled in the order Telegram numbered them is two-instances-order.test.ts.)
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { FakeTelegramServer } from '../support/fake-telegram.ts';
import { eventually, sentTo, sleep, startProdServer, TG_TOKEN, textUpdate, type ProdServer } from './support.ts';

const CONVERSATIONS = 20;
const MESSAGES = 10;
const QUESTIONS = [
  'làm căn cước cho con dưới 14 tuổi',
  'đăng ký khai sinh',
  'đăng ký thường trú',
  'cấp đổi giấy phép lái xe',
  'cấp lại căn cước bị mất',
  'kích hoạt định danh điện tử mức 2',
  'đăng ký kết hôn',
  'đăng ký tạm trú',
  'cách đóng học phí không dùng tiền mặt',
  'thủ tục khai tử',
];

let telegram: FakeTelegramServer;
let a: ProdServer;
let b: ProdServer;

beforeAll(async () => {
  telegram = await FakeTelegramServer.start({ token: TG_TOKEN });
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `two:${Date.now()}:`, TRANSCRIPT_MAX: '200' };
  [a, b] = await Promise.all([startProdServer({ env, telegram }), startProdServer({ env, telegram })]);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await telegram?.close();
});

/** The text a bot transcript line stands for (the line adds the button labels after a newline). */
function withoutButtons(text: string): string {
  return text.replace(/\n\[[^\]]*\]$/, '');
}

/** Telegram gets HTML: compare on plain words only. */
function plain(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

it('handles every message exactly once, in order, with complete transcripts', async () => {
  expect(QUESTIONS).toHaveLength(MESSAGES);
  const chats = Array.from({ length: CONVERSATIONS }, (_, i) => 6400000000 + i);
  const updates = chats.flatMap((chat, c) => QUESTIONS.map((q, m) => ({ chat, first: (c + m) % 2 === 0 ? a : b, update: textUpdate(chat, q) })));
  const posts = updates.flatMap(({ first, update }) => {
    const second = first === a ? b : a;
    return [first.postUpdate(update), sleep(Math.random() * 20).then(() => second.postUpdate(update))];
  });
  const statuses = await Promise.all(posts);
  expect(statuses.every((r) => r.statusCode === 200)).toBe(true);

  const ids = chats.map((chat) => `telegram:${chat}` as const);
  const store = a.server.stores.conversations;
  await eventually(async () => {
    for (const id of ids) expect((await store.transcript(id)).filter((e) => e.role === 'citizen')).toHaveLength(MESSAGES);
  }, 30_000);
  await Promise.all([a.server.engine.drain(5_000), b.server.engine.drain(5_000)]);
  await sleep(200);

  const calls = telegram.callsTo('sendMessage');
  for (const chat of chats) {
    const transcript = await store.transcript(`telegram:${chat}`);
    // Exactly once: each question appears once as the citizen's line.
    const citizen = transcript.filter((e) => e.role === 'citizen').map((e) => e.text);
    expect([...citizen].sort()).toEqual([...QUESTIONS].sort());
    // Every turn answered, right after its question (no interleaving inside the transcript).
    transcript.forEach((e, i) => {
      if (e.role === 'citizen') expect(transcript[i + 1]?.role, `reply after "${e.text}"`).toBe('bot');
    });
    // The replies left in the transcript's order, one message per bot line, nothing twice.
    const botLines = transcript.filter((e) => e.role === 'bot').map((e) => plain(withoutButtons(e.text)));
    const sent = sentTo(calls, chat).map(plain);
    expect(sent).toHaveLength(botLines.length);
    sent.forEach((text, i) => expect(text.startsWith(botLines[i]!.slice(0, 40)), `reply ${i} of ${chat}`).toBe(true));
  }
  // Every message was handled once in all: by whichever instance held its conversation (with
  // Redis, a conversation's queued messages are handled by the instance draining it, in order).
  const countIn = async (s: ProdServer): Promise<number> => {
    const metric = s.server.metrics.registry.getSingleMetric('dvcbot_messages_in_total');
    return (await metric!.get()).values.reduce((n, v) => n + v.value, 0);
  };
  const [inA, inB] = await Promise.all([countIn(a), countIn(b)]);
  expect(inA + inB).toBe(CONVERSATIONS * MESSAGES);
}, 60_000);
