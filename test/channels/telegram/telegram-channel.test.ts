import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramApiClient } from '../../../src/channels/telegram/api-client.ts';
import { TELEGRAM_CAPABILITIES, TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/limits.ts';
import { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.ts';
import {
  ChannelNetworkError,
  ChannelRejectedError,
  RateLimitedError,
  RecipientUnreachableError,
} from '../../../src/core/errors.ts';
import { silentLogger, type Logger } from '../../../src/core/ports.ts';
import { renderForChannel } from '../../../src/core/render.ts';
import { FakeTelegramServer, telegramError, telegramOk } from '../../support/fake-telegram.ts';
import { TEST_TOKEN } from './helpers.ts';

const CHAT = '5512345678';
let fake: FakeTelegramServer;
let sleeps: number[];
let logged: string[];

function capturingLogger(): Logger {
  const log = (obj: object, msg?: string) => logged.push(JSON.stringify(obj) + (msg ?? ''));
  const logger: Logger = { debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

function makeChannel(retry: Partial<{ maxAttempts: number; maxRetryAfterMs: number }> = {}) {
  const api = new TelegramApiClient({
    token: TEST_TOKEN,
    apiRoot: fake.apiRoot,
    logger: capturingLogger(),
    retry: { baseDelayMs: 1, maxDelayMs: 4, ...retry },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { api, channel: new TelegramChannel(api, silentLogger) };
}

const msg = (text: string) => ({ text, buttons: [], menuSeq: 0 });

beforeEach(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  sleeps = [];
  logged = [];
});
afterEach(async () => {
  await fake.close();
});

describe('TelegramChannel.send', () => {
  it('sends HTML with chat_id as a number and an inline keyboard', async () => {
    const { channel } = makeChannel();
    await channel.send(CHAT, { text: 'Bước 1 <b>', buttons: [{ kind: 'option', index: 1, label: 'Tiếp' }], menuSeq: 4 });
    const [call] = fake.callsTo('sendMessage');
    expect(call?.token).toBe(TEST_TOKEN);
    expect(call?.body).toMatchObject({
      chat_id: 5512345678,
      text: 'Bước 1 &lt;b&gt;',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Tiếp', callback_data: 'n:1:4' }]] },
    });
  });

  it('429 → waits retry_after seconds, then retries and succeeds', async () => {
    fake.replyOnce('sendMessage', telegramError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }));
    const { channel } = makeChannel();
    await channel.send(CHAT, msg('xin chào'));
    expect(fake.callsTo('sendMessage')).toHaveLength(2);
    expect(sleeps).toEqual([3000]);
  });

  it('429 beyond the attempts or the longest wait → RateLimitedError', async () => {
    fake.replyAlways('sendMessage', telegramError(429, 'Too Many Requests', { retry_after: 2 }));
    const { channel } = makeChannel({ maxAttempts: 3 });
    await expect(channel.send(CHAT, msg('a'))).rejects.toBeInstanceOf(RateLimitedError);
    expect(fake.callsTo('sendMessage')).toHaveLength(3);
    fake.reset();
    fake.replyAlways('sendMessage', telegramError(429, 'Too Many Requests', { retry_after: 600 }));
    const { channel: impatient } = makeChannel({ maxRetryAfterMs: 60_000 });
    await expect(impatient.send(CHAT, msg('a'))).rejects.toMatchObject({ retryAfterMs: 600_000 });
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('5xx and dropped connections → exponential backoff, then success', async () => {
    fake.replyOnce('sendMessage', telegramError(502, 'Bad Gateway'), { destroySocket: true }, telegramError(500, 'Internal'));
    const { channel } = makeChannel();
    await channel.send(CHAT, msg('a'));
    expect(fake.callsTo('sendMessage')).toHaveLength(4);
    expect(sleeps).toEqual([1, 2, 4]);
  });

  it('5xx until the last attempt → ChannelNetworkError without the token in its message or logs', async () => {
    fake.replyAlways('sendMessage', { destroySocket: true });
    const { channel } = makeChannel({ maxAttempts: 2 });
    const err = await channel.send(CHAT, msg('a')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelNetworkError);
    expect(fake.callsTo('sendMessage')).toHaveLength(2);
    const secretPart = TEST_TOKEN.split(':')[1]!;
    expect((err as Error).message).not.toContain(secretPart);
    expect(logged.join('\n')).not.toContain(secretPart);
    expect(logged.length).toBeGreaterThan(0);
  });

  it('400 → ChannelRejectedError, no retry', async () => {
    fake.replyAlways('sendMessage', telegramError(400, 'Bad Request: message text is empty'));
    const { channel } = makeChannel();
    await expect(channel.send(CHAT, msg('a'))).rejects.toMatchObject({ status: 400, code: 'CHANNEL_REJECTED' });
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('403 blocked → RecipientUnreachableError, no retry; later sends to that chat fail without a call until it writes again', async () => {
    fake.replyOnce('sendMessage', telegramError(403, 'Forbidden: bot was blocked by the user'));
    const { channel } = makeChannel();
    await expect(channel.send(CHAT, msg('a'))).rejects.toBeInstanceOf(RecipientUnreachableError);
    await expect(channel.send(CHAT, msg('b'))).rejects.toBeInstanceOf(RecipientUnreachableError);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
    await channel.send('42', msg('other chat')); // other chats unaffected
    channel.markReachable(CHAT);
    await channel.send(CHAT, msg('c'));
    expect(fake.callsTo('sendMessage').map((c) => c.body.text)).toEqual(['a', 'other chat', 'c']);
  });

  it("400 can't parse entities → resent once as plain text", async () => {
    fake.replyOnce('sendMessage', telegramError(400, "Bad Request: can't parse entities: unsupported start tag"));
    const { channel } = makeChannel();
    await channel.send(CHAT, msg('1 < 2 & 3'));
    const calls = fake.callsTo('sendMessage');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.body.text).toBe('1 < 2 & 3');
    expect(calls[1]?.body.parse_mode).toBeUndefined();
  });

  it('keeps each chat in order even when an earlier send is slow or retried', async () => {
    fake.replyOnce('sendMessage', telegramOk({ message_id: 1, date: 0, chat: { id: 1, type: 'private' } }, 150));
    fake.replyOnce('sendMessage', telegramError(429, 'Too Many Requests', { retry_after: 1 }));
    const { channel } = makeChannel();
    await Promise.all(['1', '2', '3', '4'].map((t) => channel.send(CHAT, msg(t))));
    expect(fake.callsTo('sendMessage').map((c) => c.body.text)).toEqual(['1', '2', '2', '3', '4']);
  });

  it('a long answer arrives as several messages, in order, none over the limit; buttons on the last', async () => {
    const paragraph = 'Chào anh chị, mẹ tôi năm nay 72 tuổi, ở phường Ninh Kiều, bà muốn nhận tiền trợ cấp qua tài khoản. ';
    const long = Array.from({ length: 12 }, (_, i) => `Đoạn ${i + 1}. ${paragraph.repeat(9).trimEnd()}`).join('\n\n');
    expect(long.length).toBeGreaterThan(2 * TELEGRAM_TEXT_LIMIT);
    const rendered = renderForChannel(
      { text: long, buttons: [{ kind: 'option', index: 1, label: 'Có' }], menuSeq: 2 },
      TELEGRAM_CAPABILITIES,
      { typeNumber: 'Gõ số để chọn.' },
    );
    const { channel } = makeChannel();
    for (const chunk of rendered) await channel.send(CHAT, chunk);
    // and a single oversized chunk handed over directly is split too
    await channel.send(CHAT, { text: long, buttons: [{ kind: 'option', index: 1, label: 'Có' }], menuSeq: 2 });
    const calls = fake.callsTo('sendMessage');
    const half = calls.length / 2;
    expect(half).toBeGreaterThanOrEqual(3);
    for (const part of [calls.slice(0, half), calls.slice(half)]) {
      const texts = part.map((c) => String(c.body.text));
      for (const t of texts) expect(t.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(texts.join('\n\n')).toBe(long);
      expect(texts[0]).toMatch(/^Đoạn 1\./);
      expect(part.slice(0, -1).every((c) => c.body.reply_markup === undefined)).toBe(true);
      expect(part.at(-1)?.body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Có', callback_data: 'n:1:2' }]] });
    }
  });

  it('a wrong token is a rejection (401), not retried', async () => {
    const api = new TelegramApiClient({ token: '1:wrong', apiRoot: fake.apiRoot, logger: silentLogger, sleep: async () => {} });
    await expect(api.call('getMe', {})).rejects.toBeInstanceOf(ChannelRejectedError);
    expect(fake.callsTo('getMe')).toHaveLength(1);
  });

  it('a call the Bot API never answers is cut at the request timeout and retried, then a network error', async () => {
    fake.replyAlways('getChat', () => telegramOk({ id: 1 }, 5_000));
    const api = new TelegramApiClient({ token: TEST_TOKEN, apiRoot: fake.apiRoot, logger: silentLogger, retry: { maxAttempts: 2, requestTimeoutMs: 100, baseDelayMs: 1 }, sleep: async () => {} });
    const err = await api.call('getChat', { chat_id: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelNetworkError);
    expect((err as Error).message).not.toContain(TEST_TOKEN);
    expect(fake.callsTo('getChat')).toHaveLength(2);
  });

  it('drops null fields from the JSON body, as telegraf does', async () => {
    const { api } = makeChannel();
    await api.call('sendMessage', { chat_id: 1, text: 'x', reply_markup: null } as never);
    expect(Object.keys(fake.callsTo('sendMessage')[0]?.body ?? {}).sort()).toEqual(['chat_id', 'text']);
  });
});
