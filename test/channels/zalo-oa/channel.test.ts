import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloOaClient } from '../../../src/channels/zalo-oa/client.ts';
import { ZALO_OA_CAPABILITIES, ZALO_OA_MAX_BUTTONS, ZALO_OA_TEXT_LIMIT } from '../../../src/channels/zalo-oa/limits.ts';
import { renderZaloOaMessage, type ZaloOaMessageBody } from '../../../src/channels/zalo-oa/render.ts';
import { ZaloOaTokenManager } from '../../../src/channels/zalo-oa/tokens.ts';
import { ZaloOaChannel } from '../../../src/channels/zalo-oa/zalo-oa-channel.ts';
import { ChannelNetworkError, ChannelRejectedError, RateLimitedError, RecipientUnreachableError } from '../../../src/core/errors.ts';
import { renderForChannel } from '../../../src/core/render.ts';
import type { OutboundMessage } from '../../../src/core/types.ts';
import { startFakeZaloOaApi, type FakeZaloOaApi } from '../../support/fake-zalo.ts';
import { capturingLogger, FAST_RETRY, fixedClock, MapKv } from '../zalo-bot/helpers.ts';

const USER = '246845883529197922';
const CLARIFY: OutboundMessage = {
  text: 'Bạn muốn làm thủ tục nào?',
  buttons: [
    { kind: 'option', label: 'Làm căn cước lần đầu', index: 1 },
    { kind: 'option', label: 'Làm căn cước cho con dưới 14 tuổi', index: 2 },
    { kind: 'url', label: 'Cổng dịch vụ công', url: 'https://dichvucong.gov.vn' },
  ],
  menuSeq: 4,
};

let fake: FakeZaloOaApi;
let channel: ZaloOaChannel;
let logger: ReturnType<typeof capturingLogger>;
let client: ZaloOaClient;
let limited: string[];

beforeEach(async () => {
  fake = await startFakeZaloOaApi({ appId: 'app-1', appSecret: 'app-secret', accessToken: 'at-0', refreshToken: 'rt-0' });
  logger = capturingLogger();
  const tokens = new ZaloOaTokenManager({
    kv: new MapKv(),
    clock: fixedClock(1_800_000_000_000),
    logger,
    fetch,
    oauthRoot: fake.url,
    appId: 'app-1',
    appSecret: 'app-secret',
    seedAccessToken: 'at-0',
    seedRefreshToken: 'rt-0',
  });
  limited = [];
  client = new ZaloOaClient({ apiRoot: fake.url, tokens, retry: FAST_RETRY, onLimited: (kind) => limited.push(kind) });
  channel = new ZaloOaChannel(client, { logger, typeNumberHint: 'Gõ số để chọn.' });
});
afterEach(async () => {
  await fake.close();
});

async function sendOutbound(message: OutboundMessage): Promise<void> {
  for (const chunk of renderForChannel(message, channel.capabilities, { typeNumber: 'Gõ số để chọn.' })) await channel.send(USER, chunk);
}

describe('ZaloOaChannel against the fake OA API', () => {
  it('sends a consultation text to /v3.0/oa/message/cs with the access_token header', async () => {
    await sendOutbound({ text: 'Xin chào!', buttons: [], menuSeq: 0 });
    const [request] = fake.server.calls('/v3.0/oa/message/cs');
    expect(request!.headers['access_token']).toBe('at-0');
    expect(request!.body).toEqual({ recipient: { user_id: USER }, message: { text: 'Xin chào!' } });
  });

  it('turns a clarify question into the consultation button template of Zalo’s example: options numbered in the text too, oa.query.hide with the menu sequence, oa.open.url for links', async () => {
    await sendOutbound(CLARIFY);
    expect(fake.delivered()).toEqual([
      {
        recipient: { user_id: USER },
        message: {
          text: 'Bạn muốn làm thủ tục nào?\n\n1. Làm căn cước lần đầu\n2. Làm căn cước cho con dưới 14 tuổi\nGõ số để chọn.',
          attachment: {
            type: 'template',
            payload: {
              buttons: [
                { type: 'oa.query.hide', title: 'Làm căn cước lần đầu', payload: '#n:1:4' },
                { type: 'oa.query.hide', title: 'Làm căn cước cho con dưới 14 tuổi', payload: '#n:2:4' },
                { type: 'oa.open.url', title: 'Cổng dịch vụ công', payload: { url: 'https://dichvucong.gov.vn' } },
              ],
            },
          },
        },
      },
    ]);
  });

  it('has the shape of the docs example (test/fixtures/zalo-oa/cs-buttons.request.json): same keys, button types from its table, no template_type', async () => {
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/zalo-oa/cs-buttons.request.json'), 'utf8')) as ZaloOaMessageBody;
    await sendOutbound(CLARIFY);
    const [sent] = fake.delivered() as unknown as ZaloOaMessageBody[];
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(sent!)).toEqual(keys(example));
    expect(keys(sent!.message)).toEqual(keys(example.message));
    expect(keys(sent!.message.attachment!)).toEqual(keys(example.message.attachment!));
    expect(keys(sent!.message.attachment!.payload)).toEqual(keys(example.message.attachment!.payload));
    const allowed = new Set(example.message.attachment!.payload.buttons.map((b) => b.type));
    for (const b of sent!.message.attachment!.payload.buttons) {
      expect(allowed.has(b.type)).toBe(true);
      const twin = example.message.attachment!.payload.buttons.find((e) => e.type === b.type)!;
      expect(typeof b.payload).toBe(typeof twin.payload);
      expect(keys(b)).toEqual(keys(twin));
    }
  });

  it('falls back to plain text with a numbered menu when the template is refused', async () => {
    fake.state.rejectTemplatesWith = -201;
    await sendOutbound(CLARIFY);
    expect(fake.server.calls('/message/cs')).toHaveLength(2);
    const [fallback] = fake.delivered();
    expect(fallback!.message.attachment).toBeUndefined();
    expect(fallback!.message.text).toBe(
      'Bạn muốn làm thủ tục nào?\n\n1. Làm căn cước lần đầu\n2. Làm căn cước cho con dưới 14 tuổi\nGõ số để chọn.\n\n🔗 Cổng dịch vụ công: https://dichvucong.gov.vn',
    );
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg?.includes('numbered text menu'))).toBe(true);
  });

  it('marks -230 (inactive 7 days) as unreachable, without retrying or falling back', async () => {
    fake.state.inactiveUsers.add(USER);
    await expect(sendOutbound(CLARIFY)).rejects.toBeInstanceOf(RecipientUnreachableError);
    expect(fake.server.calls('/message/cs')).toHaveLength(1);
  });

  it('splits long answers under 2,000 characters', async () => {
    const text = Array.from({ length: 80 }, (_, i) => `Bước ${i + 1}: chuẩn bị giấy tờ và nộp hồ sơ tại bộ phận một cửa của phường.`).join('\n');
    await sendOutbound({ text, buttons: [{ kind: 'option', label: 'Xong', index: 1 }], menuSeq: 1 });
    const delivered = fake.delivered();
    expect(delivered.length).toBeGreaterThan(2);
    for (const m of delivered) expect((m.message.text as string).length).toBeLessThanOrEqual(ZALO_OA_TEXT_LIMIT);
    expect(delivered.slice(0, -1).every((m) => m.message.attachment === undefined)).toBe(true);
    expect(delivered.at(-1)!.message.attachment).toBeDefined();
  });

  it('retries 5xx, then reports other refusals as ChannelRejectedError with the Zalo code', async () => {
    fake.server.enqueue('/message/cs', { status: 503 });
    await sendOutbound({ text: 'a', buttons: [], menuSeq: 0 });
    expect(fake.server.calls('/message/cs')).toHaveLength(2);
    fake.server.enqueue('/message/cs', { body: { error: -210, message: 'Parameter text exceeds max length' } });
    const err = await channel.send(USER, { text: 'b', buttons: [], menuSeq: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect((err as ChannelRejectedError).platformCode).toBe(-210);
    fake.server.enqueue('/message/cs', { status: 500 }, { status: 500 }, { status: 500 });
    await expect(channel.send(USER, { text: 'c', buttons: [], menuSeq: 0 })).rejects.toBeInstanceOf(ChannelNetworkError);
  });

  it('recognises "too fast" in an HTTP 200 body: retried with backoff, counted, sent once it passes', async () => {
    fake.server.enqueue('/message/cs', { body: { error: -32, message: 'Exceed rate limit' } }, { body: { error: -32, message: 'Exceed rate limit' } });
    await sendOutbound({ text: 'sau khi chậm lại', buttons: [], menuSeq: 0 });
    expect(fake.server.calls('/message/cs')).toHaveLength(3);
    expect(fake.delivered().map((d) => d.message.text)).toEqual(['sau khi chậm lại']);
    expect(limited).toEqual(['rate-limit', 'rate-limit']);
  });

  it('gives up on "too fast" after the retries with RateLimitedError', async () => {
    for (let i = 0; i < FAST_RETRY.attempts; i++) fake.server.enqueue('/message/cs', { body: { error: -32, message: 'Exceed rate limit' } });
    await expect(channel.send(USER, { text: 'x', buttons: [], menuSeq: 0 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(fake.server.calls('/message/cs')).toHaveLength(FAST_RETRY.attempts);
  });

  it('recognises a used-up quota in an HTTP 200 body: not retried, no text fallback, counted, remembered until a send succeeds', async () => {
    fake.server.enqueue('/message/cs', { body: { error: -211, message: 'Out of quota' } });
    const err = await channel.send(USER, { text: 'x', buttons: CLARIFY.buttons, menuSeq: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect((err as ChannelRejectedError).platformCode).toBe(-211);
    expect(fake.server.calls('/message/cs')).toHaveLength(1);
    expect(limited).toEqual(['quota']);
    expect(client.quotaExhausted).toMatchObject({ code: -211 });
    await channel.send(USER, { text: 'y', buttons: [], menuSeq: 0 });
    expect(client.quotaExhausted).toBeNull();
  });
});

describe('renderZaloOaMessage', () => {
  it('keeps within the OA limits', () => {
    expect(ZALO_OA_CAPABILITIES).toMatchObject({ textLimit: 2000, maxButtons: ZALO_OA_MAX_BUTTONS, optionButtons: true, urlButtons: true });
    expect(() => renderZaloOaMessage(USER, { text: 'x'.repeat(2001), buttons: [], menuSeq: 0 })).toThrow(RangeError);
    const six = Array.from({ length: 6 }, (_, i) => ({ kind: 'option' as const, label: `o${i}`, index: i + 1 }));
    expect(() => renderZaloOaMessage(USER, { text: 'x', buttons: six, menuSeq: 1 })).toThrow(RangeError);
    // More options than the template holds: the shared renderer makes a numbered menu instead.
    const chunks = renderForChannel({ text: 'Chọn:', buttons: six, menuSeq: 1 }, ZALO_OA_CAPABILITIES, { typeNumber: 'Gõ số.' });
    expect(chunks.at(-1)!.buttons).toEqual([]);
    expect(chunks[0]!.text).toContain('6. o5');
  });
});
