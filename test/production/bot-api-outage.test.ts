// The Bot API away for 60 s (every sendMessage answers 502, the client's own retries give up
// after a few seconds): 20 citizens write meanwhile, one of them twice. Their replies wait in the
// durable outbox and every one is delivered once the API is back, each chat's in order, none
// twice, none given up. Past OUTBOX_HORIZON_MINUTES a reply that still could not be delivered is
// counted undeliverable and logged. (Before the outbox, 0 of 20 replies were ever delivered.)
import { afterEach, expect, inject, it } from 'vitest';
import { FakeTelegramServer, telegramError, telegramOk, type FakeTelegramCall } from '../support/fake-telegram.ts';
import { eventually, sleep, startProdServer, TG_TOKEN, textUpdate, type ProdServer } from './support.ts';

let fake: FakeTelegramServer | undefined;
let s: ProdServer | undefined;
afterEach(async () => {
  await s?.close();
  await fake?.close();
  s = undefined;
  fake = undefined;
});

/** A fake Bot API whose sendMessage fails while `state.down`; successful sends are recorded per chat. */
async function flakyBotApi(state: { down: boolean }, delivered: Map<string, string[]>): Promise<FakeTelegramServer> {
  const api = await FakeTelegramServer.start({ token: TG_TOKEN });
  api.replyAlways('sendMessage', (call: FakeTelegramCall) => {
    if (state.down) return telegramError(502, 'Bad Gateway');
    const chat = String(call.body.chat_id);
    delivered.set(chat, [...(delivered.get(chat) ?? []), String(call.body.text)]);
    return telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text });
  });
  return api;
}

function metric(body: string, name: string, labels: string): number {
  return Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);
}

it('Bot API down for 60 s: every reply is delivered once it is back, in order, none twice', async () => {
  const state = { down: true };
  const delivered = new Map<string, string[]>();
  fake = await flakyBotApi(state, delivered);
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') }, telegram: fake, listen: true });
  const chats = Array.from({ length: 20 }, (_, i) => 7100000000 + i);
  const downAt = Date.now();
  for (const chat of chats) expect((await s.postUpdate(textUpdate(chat, 'đăng ký khai sinh'))).statusCode).toBe(200);
  await sleep(1_000);
  expect((await s.postUpdate(textUpdate(chats[0]!, 'lệ phí bao nhiêu?'))).statusCode).toBe(200);
  const deferred = async (): Promise<number> => metric((await s!.server.metrics.render()).body, 'dvcbot_replies_deferred_total', 'channel="telegram"');
  await eventually(async () => expect(await deferred()).toBeGreaterThanOrEqual(21), 30_000);
  expect(delivered.size).toBe(0);

  await sleep(Math.max(0, downAt + 60_000 - Date.now()));
  state.down = false;
  await eventually(() => chats.forEach((c) => expect(delivered.get(String(c))?.length ?? 0).toBeGreaterThan(0)), 70_000);
  // The citizen who wrote twice got both answers, the first first; nothing was sent twice.
  await eventually(() => expect(delivered.get(String(chats[0]))).toHaveLength(2), 10_000);
  const transcript = await s.server.stores.conversations.transcript(`telegram:${chats[0]}`);
  const botLines = transcript.filter((e) => e.role === 'bot').map((e) => e.text.split('\n')[0]!.slice(0, 20));
  expect(delivered.get(String(chats[0]))!.map((t) => t.replace(/<[^>]+>/g, '').slice(0, 20))).toEqual(botLines);
  for (const c of chats.slice(1)) expect(delivered.get(String(c))).toHaveLength(1);
  // Counted once the Bot API's answer is back in the app, a moment after the fake has recorded the send.
  await eventually(async () => expect(metric((await s!.server.metrics.render()).body, 'dvcbot_replies_redelivered_total', 'channel="telegram"')).toBe(21), 10_000);
  expect((await s.server.metrics.render()).body).not.toMatch(/^dvcbot_replies_undeliverable_total\{/m);
}, 180_000);

it('a reply the Bot API still refuses past OUTBOX_HORIZON_MINUTES is counted undeliverable and logged', async () => {
  const state = { down: true };
  const delivered = new Map<string, string[]>();
  fake = await flakyBotApi(state, delivered);
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl'), OUTBOX_HORIZON_MINUTES: '0.1' }, telegram: fake, listen: true });
  expect((await s.postUpdate(textUpdate(7100000100, 'đăng ký khai sinh'))).statusCode).toBe(200);
  await eventually(async () => {
    const body = (await s!.server.metrics.render()).body;
    expect(metric(body, 'dvcbot_replies_undeliverable_total', 'channel="telegram",reason="expired"')).toBe(1);
  }, 60_000);
  expect(s.logs.some((l) => l.includes('REPLY UNDELIVERABLE'))).toBe(true);
  state.down = false;
  await sleep(3_000);
  expect(delivered.size).toBe(0);
}, 90_000);
