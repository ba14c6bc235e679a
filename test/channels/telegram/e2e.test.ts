// End to end: the real server (createServer, PORT 0, in-memory stores, the repository's content)
// with TELEGRAM_API_ROOT pointing at a fake Bot API on loopback. Every fixture goes through the
// real webhook route over HTTP; the fake records what the bot sends back.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { createServer, type Server } from '../../../src/server.ts';
import { TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/limits.ts';
import { FakeTelegramServer, telegramError, type FakeTelegramCall } from '../../support/fake-telegram.ts';
import { TEST_SECRET, TEST_TOKEN, eventually, fixture, fixtureNames } from './helpers.ts';
import { NO_LAG_SHEDDING } from '../../support/test-server.ts';

const LAN = 5512345678;
const GROUP = -1001987654321;
let fake: FakeTelegramServer;
let server: Server;
let base: string;

async function post(update: unknown, secret: string | null = TEST_SECRET): Promise<number> {
  const res = await fetch(`${base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Sends `update` and returns the sendMessage calls it caused, once the bot went quiet. */
async function exchange(update: unknown, expectReply: boolean): Promise<FakeTelegramCall[]> {
  const before = fake.callsTo('sendMessage').length;
  expect(await post(update)).toBe(200);
  if (expectReply) await eventually(() => expect(fake.callsTo('sendMessage').length).toBeGreaterThan(before), 8000);
  // Wait until the bot went quiet (no new Bot API call for 300 ms); engine.drain() would stop it.
  let seen = -1;
  while (seen !== fake.calls.length) {
    seen = fake.calls.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  return fake.callsTo('sendMessage').slice(before);
}

const keyboardOf = (c: FakeTelegramCall | undefined) =>
  (c?.body.reply_markup as { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] } | undefined)?.inline_keyboard ?? [];

beforeAll(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    CONTENT_DIR: join(import.meta.dirname, '../../../content'),
    CONTENT_WATCH: 'false',
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_STAFF_CHAT_ID: '-1002233445566',
    // No 503 for event-loop lag: on a busy shared machine it made every webhook of this file fail.
    ...NO_LAG_SHEDDING,
  });
  server = await createServer(config, { logger: createLogger('silent') });
  base = await server.start();
});

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('Telegram end to end (real server, fake Bot API)', () => {
  it('serves /healthz and reports the bot ready on /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: { name: string; ok: boolean }[] };
    expect(ready.checks.find((c) => c.name === 'telegram')?.ok).toBe(true);
  });

  it('forged or missing secret → 401, no call to the Bot API', async () => {
    const calls = fake.calls.length;
    expect(await post(fixture('message-text'), null)).toBe(401);
    expect(await post(fixture('message-text'), 'forged')).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.calls).toHaveLength(calls);
  });

  it('/start → welcome with an inline keyboard', async () => {
    const sent = await exchange(fixture('message-start'), true);
    expect(sent.every((c) => c.body.chat_id === LAN && c.body.parse_mode === 'HTML')).toBe(true);
    expect(keyboardOf(sent.at(-1)).flat().length).toBeGreaterThan(0);
  });

  it('a question → the guide (or a choice of guides) with buttons; a button press → answerCallbackQuery and the guide', async () => {
    const sent = await exchange(fixture('message-text'), true);
    const text = sent.map((c) => String(c.body.text)).join('\n');
    const buttons = keyboardOf(sent.at(-1)).flat();
    expect(`${text}\n${buttons.map((b) => b.text).join('\n')}`).toMatch(/định danh điện tử mức 2/i);
    const first = buttons.find((b) => b.callback_data);
    expect(first?.callback_data).toMatch(/^n:\d+(:\d+)?$/);
    const press = fixture('callback-query') as unknown as { callback_query: { data: string } };
    press.callback_query.data = first!.callback_data!;
    const after = await exchange(press, true);
    expect(fake.callsTo('answerCallbackQuery').at(-1)?.body).toEqual({ callback_query_id: '4382bfdwdsb323b2d9' });
    expect(after.map((c) => String(c.body.text)).join('\n')).toMatch(/VNeID|định danh/i);
  });

  it('the same update twice → processed once', async () => {
    const again = await exchange(fixture('message-text'), false);
    expect(again).toHaveLength(0);
  });

  it('odd messages: NFD, emoji, HTML, PII, long text all get a reply, escaped and within the limit', async () => {
    for (const name of ['message-text-nfd', 'message-emoji', 'message-html-injection', 'message-pii', 'message-long']) {
      const sent = await exchange(fixture(name), true);
      for (const c of sent) {
        expect(c.body.chat_id, name).toBe(LAN);
        expect(String(c.body.text).length, name).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
        expect(String(c.body.text), name).not.toMatch(/<script|<b>|<a /);
      }
    }
  });

  it('photo, voice, sticker, contact → "please type your question" in Vietnamese', async () => {
    for (const name of ['message-photo', 'message-voice', 'message-sticker', 'message-contact']) {
      const sent = await exchange(fixture(name), true);
      expect(sent.map((c) => String(c.body.text)).join('\n'), name).toMatch(/gõ/i);
    }
  });

  it('edited messages, group chatter, commands for other bots and the staff chat get no reply', async () => {
    for (const name of ['edited-message', 'group-message', 'group-command-other-bot', 'staff-topic-reply', 'callback-query-unknown']) {
      expect(await exchange(fixture(name), false), name).toHaveLength(0);
    }
    expect(fake.callsTo('answerCallbackQuery').some((c) => c.body.callback_query_id === 'unknown-data-1')).toBe(true);
  });

  it('a mention or a command in a group gets a reply in the group', async () => {
    for (const name of ['group-mention', 'group-command']) {
      const sent = await exchange(fixture(name), true);
      expect(sent.every((c) => c.body.chat_id === GROUP), name).toBe(true);
    }
  });

  it('blocked → nothing sent to that chat; coming back → served again', async () => {
    expect(await exchange(fixture('my-chat-member-blocked'), false)).toHaveLength(0);
    expect(await exchange(fixture('my-chat-member-unblocked'), false)).toHaveLength(0);
    const back = await exchange({ ...fixture('message-start'), update_id: 804120300 }, true);
    expect(back.length).toBeGreaterThan(0);
  });

  it('a 429 from the Bot API is retried after retry_after', async () => {
    fake.replyOnce('sendMessage', telegramError(429, 'Too Many Requests: retry after 1', { retry_after: 1 }));
    const before = fake.callsTo('sendMessage').length;
    expect(await post({ ...fixture('message-start'), update_id: 804120301 })).toBe(200);
    await eventually(() => expect(fake.callsTo('sendMessage').length).toBeGreaterThanOrEqual(before + 2), 8000);
    const [refused, retried] = fake.callsTo('sendMessage').slice(before);
    expect(retried?.body).toEqual(refused?.body);
  });

  it('covers every fixture', () => {
    expect(fixtureNames().length).toBe(24);
  });
});
