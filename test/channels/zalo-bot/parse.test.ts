import { describe, expect, it } from 'vitest';
import { parseZaloBotUpdate } from '../../../src/channels/zalo-bot/parse.ts';
import { verifyZaloBotSecret } from '../../../src/channels/zalo-bot/verify.ts';
import { fixtureJson } from './helpers.ts';

const NOW = 1_800_000_000_000;

describe('parseZaloBotUpdate', () => {
  it('reads the wrapped text body', () => {
    expect(parseZaloBotUpdate(fixtureJson('zalo-bot/text-wrapped.json'), NOW)).toEqual({
      status: 'message',
      message: {
        id: 'message.text.received:2d758cb5e222177a4e35',
        channel: 'zalo-bot',
        chatId: '6ede9afa66b88fe6d6a9',
        kind: 'text',
        text: 'cach dong hoc phi cho con khong dung tien mat',
        sentAtMs: 1764205700123,
        displayName: 'Trần Văn Bình',
      },
    });
  });

  it('reads the bare (unwrapped) text body the same way', () => {
    const result = parseZaloBotUpdate(fixtureJson('zalo-bot/text-unwrapped.json'), NOW);
    expect(result.status === 'message' && result.message).toMatchObject({
      id: 'message.text.received:2d758cb5e222177a4e36',
      kind: 'text',
      text: 'gặp nhân viên',
    });
  });

  it('makes images and stickers media (caption kept) and unsupported events unsupported', () => {
    const image = parseZaloBotUpdate(fixtureJson('zalo-bot/image.json'), NOW);
    const sticker = parseZaloBotUpdate(fixtureJson('zalo-bot/sticker.json'), NOW);
    const unsupported = parseZaloBotUpdate(fixtureJson('zalo-bot/unsupported.json'), NOW);
    expect(image.status === 'message' && image.message).toMatchObject({ kind: 'media', text: 'lỗi này là sao', id: 'message.image.received:2d758cb5e222177a4e37' });
    expect(sticker.status === 'message' && sticker.message).toMatchObject({ kind: 'media', id: 'message.sticker.received:2d758cb5e222177a4e38' });
    expect(unsupported.status === 'message' && unsupported.message).toEqual({
      id: 'message.unsupported.received:2d758cb5e222177a4e39',
      channel: 'zalo-bot',
      chatId: '8a8e6c0f1b2d3e4f5a6b',
      kind: 'unsupported',
      sentAtMs: 1764205820000,
      displayName: 'Người dùng Zalo',
    });
  });

  it('ignores unknown events, bots and ok:false; rejects garbage without throwing', () => {
    const text = fixtureJson<{ result: { message: Record<string, unknown> } }>('zalo-bot/text-wrapped.json');
    expect(parseZaloBotUpdate({ event_name: 'message.reaction.received', message: text.result.message }, NOW).status).toBe('ignored');
    const fromBot = structuredClone(text);
    (fromBot.result.message.from as { is_bot: boolean }).is_bot = true;
    expect(parseZaloBotUpdate(fromBot, NOW).status).toBe('ignored');
    expect(parseZaloBotUpdate({ ok: false, error_code: 408 }, NOW).status).toBe('ignored');
    for (const garbage of [null, 42, 'x', [], {}, { result: null }, { event_name: 'message.text.received' }]) {
      expect(parseZaloBotUpdate(garbage, NOW).status).toBe('malformed');
    }
  });

  it('uses the receive time when the update has no date', () => {
    const text = fixtureJson<{ result: { message: Record<string, unknown> } }>('zalo-bot/text-wrapped.json');
    delete text.result.message.date;
    const result = parseZaloBotUpdate(text, NOW);
    expect(result.status === 'message' && result.message.sentAtMs).toBe(NOW);
  });
});

describe('verifyZaloBotSecret', () => {
  it('accepts only the exact secret', () => {
    expect(verifyZaloBotSecret('s3cret-token-value', 's3cret-token-value')).toBe(true);
    expect(verifyZaloBotSecret('s3cret-token-valuE', 's3cret-token-value')).toBe(false);
    expect(verifyZaloBotSecret('short', 's3cret-token-value')).toBe(false);
    expect(verifyZaloBotSecret(undefined, 's3cret-token-value')).toBe(false);
    expect(verifyZaloBotSecret(['s3cret-token-value'], 's3cret-token-value')).toBe(false);
    expect(verifyZaloBotSecret('', '')).toBe(false);
  });
});
