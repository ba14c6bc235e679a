import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotClient } from '../../../src/channels/zalo-bot/client.ts';
import { ZALO_BOT_CAPABILITIES, ZALO_BOT_TEXT_LIMIT } from '../../../src/channels/zalo-bot/limits.ts';
import { parseZaloBotUpdate } from '../../../src/channels/zalo-bot/parse.ts';
import { ZaloBotChannel } from '../../../src/channels/zalo-bot/zalo-bot-channel.ts';
import { ChannelNetworkError, ChannelRejectedError, NotSupportedError, RateLimitedError } from '../../../src/core/errors.ts';
import { renderForChannel } from '../../../src/core/render.ts';
import type { OutboundMessage } from '../../../src/core/types.ts';
import { startFakeZaloBotApi, type FakeZaloBotApi } from '../../support/fake-zalo.ts';
import { FAST_RETRY, fixtureJson } from './helpers.ts';

const TOKEN = '1234567890:bot-token-SECRET';
const CHAT = '6ede9afa66b88fe6d6a9';
const HINTS = { typeNumber: 'Gõ số để chọn.' };

let fake: FakeZaloBotApi;
let client: ZaloBotClient;
let channel: ZaloBotChannel;

beforeEach(async () => {
  fake = await startFakeZaloBotApi(TOKEN);
  client = new ZaloBotClient({ token: TOKEN, apiRoot: fake.url, retry: FAST_RETRY });
  channel = new ZaloBotChannel(client);
});
afterEach(async () => {
  await fake.close();
});

async function sendOutbound(message: OutboundMessage): Promise<void> {
  for (const chunk of renderForChannel(message, channel.capabilities, HINTS)) await channel.send(CHAT, chunk);
}

describe('ZaloBotChannel against the fake Bot Platform', () => {
  it('sends a text with sendMessage(chat_id, text) at <root>/bot<token>/sendMessage', async () => {
    await sendOutbound({ text: 'Xin chào!', buttons: [], menuSeq: 0 });
    expect(fake.server.requests.map((r) => r.path)).toEqual([`/bot${TOKEN}/sendMessage`]);
    expect(fake.sentMessages()).toEqual([{ chat_id: CHAT, text: 'Xin chào!' }]);
    expect(fake.server.requests[0]!.headers['content-type']).toContain('application/json');
  });

  it('splits a long answer into messages under 2,000 characters at line boundaries', async () => {
    const steps = Array.from({ length: 60 }, (_, i) => `Bước ${i + 1}: mở ứng dụng VNeID, chọn mục thủ tục hành chính rồi làm theo hướng dẫn.`);
    const text = steps.join('\n');
    expect(text.length).toBeGreaterThan(ZALO_BOT_TEXT_LIMIT * 2);
    await sendOutbound({ text, buttons: [], menuSeq: 0 });
    const sent = fake.sentMessages();
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const m of sent) {
      expect(m.text.length).toBeLessThanOrEqual(ZALO_BOT_TEXT_LIMIT);
      expect(m.text.startsWith('Bước ')).toBe(true); // cut at a line boundary, not mid-sentence
    }
    expect(sent.map((m) => m.text).join('\n')).toBe(text);
  });

  it('turns a clarify question into a numbered menu; the reply "2" arrives as typed text for the engine', async () => {
    await sendOutbound({
      text: 'Bạn muốn hỏi về việc nào?',
      buttons: [
        { kind: 'option', label: 'Kích hoạt VNeID mức 2', index: 1 },
        { kind: 'option', label: 'Làm căn cước cho con', index: 2 },
        { kind: 'url', label: 'Cổng dịch vụ công', url: 'https://dichvucong.gov.vn' },
      ],
      menuSeq: 7,
    });
    const [sent] = fake.sentMessages();
    expect(sent!.text).toContain('1. Kích hoạt VNeID mức 2\n2. Làm căn cước cho con');
    expect(sent!.text).toContain('Gõ số để chọn.');
    expect(sent!.text).toContain('https://dichvucong.gov.vn');

    const reply = fixtureJson<{ result: { message: { text: string; message_id: string } } }>('zalo-bot/text-wrapped.json');
    reply.result.message.text = '2';
    reply.result.message.message_id = 'reply-2';
    const parsed = parseZaloBotUpdate(reply, Date.now());
    expect(parsed.status === 'message' && parsed.message).toMatchObject({ kind: 'text', text: '2', chatId: CHAT });
  });

  it('refuses native buttons (the shared renderer never gives it any)', async () => {
    await expect(channel.send(CHAT, { text: 'x', buttons: [{ kind: 'option', label: 'a', index: 1 }], menuSeq: 1 })).rejects.toBeInstanceOf(
      NotSupportedError,
    );
    expect(ZALO_BOT_CAPABILITIES).toMatchObject({ optionButtons: false, urlButtons: false, textLimit: 2000 });
  });

  it('sends typing with sendChatAction and never throws for it', async () => {
    await channel.sendTyping(CHAT);
    expect(fake.server.calls('/sendChatAction')[0]!.body).toEqual({ chat_id: CHAT, action: 'typing' });
    fake.server.enqueue('/sendChatAction', { status: 500, body: { ok: false } });
    await expect(channel.sendTyping(CHAT)).resolves.toBeUndefined();
  });
});

describe('ZaloBotClient errors and retries', () => {
  it('retries 5xx and dropped connections, then succeeds', async () => {
    fake.server.enqueue('/sendMessage', { status: 502, body: 'Bad gateway' }, { destroy: true });
    await client.sendMessage(CHAT, 'hi');
    expect(fake.server.calls('/sendMessage')).toHaveLength(3);
  });

  it('gives up after the retry budget with ChannelNetworkError (no token in the message)', async () => {
    fake.server.enqueue('/sendMessage', { status: 500 }, { status: 500 }, { status: 500 });
    const err = await client.sendMessage(CHAT, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelNetworkError);
    expect(String((err as Error).message)).not.toContain('bot-token-SECRET');
    expect(fake.server.calls('/sendMessage')).toHaveLength(3);
  });

  it('maps ok:false to ChannelRejectedError with the platform code, without retrying', async () => {
    fake.server.enqueue('/sendMessage', { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: text is empty' } });
    const err = await client.sendMessage(CHAT, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect((err as ChannelRejectedError).platformCode).toBe(400);
    expect(fake.server.calls('/sendMessage')).toHaveLength(1);
  });

  it('retries a 429 after its Retry-After, and reports RateLimitedError when it persists', async () => {
    fake.server.enqueue('/sendMessage', { status: 429, headers: { 'retry-after': '0' }, body: { ok: false, error_code: 429 } });
    await client.sendMessage(CHAT, 'hi');
    fake.server.enqueue('/sendMessage', ...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after': '0' } })));
    await expect(client.sendMessage(CHAT, 'hi')).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('takes a 429 in the body of an HTTP 200 for a rate limit, not a refusal: retried, counted, RateLimitedError when it persists', async () => {
    let limited = 0;
    const counted = new ZaloBotClient({ token: TOKEN, apiRoot: fake.url, retry: FAST_RETRY, onRateLimited: () => void limited++ });
    fake.server.enqueue('/sendMessage', { status: 200, body: { ok: false, error_code: 429, description: 'Too Many Requests' } });
    await counted.sendMessage(CHAT, 'hi');
    expect(fake.server.calls('/sendMessage')).toHaveLength(2);
    expect(limited).toBe(1);
    fake.server.enqueue('/sendMessage', ...Array.from({ length: 3 }, () => ({ status: 200, body: { ok: false, error_code: 429, description: 'Too Many Requests' } })));
    const err = await counted.sendMessage(CHAT, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).not.toBeInstanceOf(ChannelRejectedError);
    expect(limited).toBe(4);
  });

  it('treats 403 as the Bot Platform defines it (its internal server error): retried, never a refusal or a token problem', async () => {
    fake.server.enqueue('/sendMessage', { status: 200, body: { ok: false, error_code: 403, description: 'Internal server error' } });
    await client.sendMessage(CHAT, 'hi');
    expect(fake.server.calls('/sendMessage')).toHaveLength(2);
    fake.server.enqueue('/sendMessage', ...Array.from({ length: 3 }, () => ({ status: 403, body: { ok: false, error_code: 403, description: 'Internal server error' } })));
    const err = await client.sendMessage(CHAT, 'hi').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelNetworkError);
    expect(client.lastAuthFailure).toBeNull();
  });

  it('remembers a refused token (for health) and keeps it out of errors', async () => {
    const wrong = new ZaloBotClient({ token: '999:wrong-SECRET', apiRoot: fake.url, retry: FAST_RETRY });
    const err = await wrong.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect(String((err as Error).message)).not.toContain('wrong-SECRET');
    expect(wrong.lastAuthFailure).toContain('Unauthorized');
  });

  it('times out a hung call and reports a network error', async () => {
    const slow = new ZaloBotClient({ token: TOKEN, apiRoot: fake.url, timeoutMs: 50, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    fake.server.enqueue('/getMe', { delayMs: 1000, body: { ok: true, result: {} } });
    await expect(slow.getMe()).rejects.toBeInstanceOf(ChannelNetworkError);
  });

  it('getUpdates returns [] on the platform 408 and the update otherwise', async () => {
    expect(await client.getUpdates(1)).toEqual([]);
    fake.pushUpdate(fixtureJson<{ result: unknown }>('zalo-bot/text-wrapped.json').result);
    expect(await client.getUpdates(1)).toHaveLength(1);
  });
});
