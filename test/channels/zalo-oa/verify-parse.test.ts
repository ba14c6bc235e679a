import { describe, expect, it } from 'vitest';
import { parseZaloOaEvent } from '../../../src/channels/zalo-oa/parse.ts';
import { computeZaloOaSignature, verifyZaloOaEvent } from '../../../src/channels/zalo-oa/verify.ts';
import { fixtureBytes, fixtureJson } from '../zalo-bot/helpers.ts';

const raw = fixtureBytes('zalo-oa/user-send-text.body.json');
const meta = fixtureJson<{ app_id: string; oa_secret_key: string; header_value: string }>('zalo-oa/user-send-text.meta.json');
const EVENT_MS = 1764205850000;

function verify(header: string | undefined, body: Buffer = raw, nowMs = EVENT_MS + 5_000) {
  return verifyZaloOaEvent({ header, rawBody: body, appId: meta.app_id, secretKey: meta.oa_secret_key, nowMs, maxAgeS: 300 });
}

describe('verifyZaloOaEvent', () => {
  it('verifies the signed fixture with its key, with and without the mac= prefix', () => {
    expect(verify(meta.header_value)).toMatchObject({ ok: true, timestampMs: EVENT_MS });
    expect(verify(meta.header_value.replace(/^mac=/, ''))).toMatchObject({ ok: true });
    expect(verify(meta.header_value.toUpperCase().replace(/^MAC=/, 'mac='))).toMatchObject({ ok: true });
  });

  it('fails when any one byte of the body changes', () => {
    for (let i = 0; i < raw.length; i += 1) {
      const changed = Buffer.from(raw);
      changed[i] = changed[i]! ^ 0x01;
      expect(verify(meta.header_value, changed).ok, `byte ${i}`).toBe(false);
    }
  });

  it('hashes the raw bytes, not a re-serialisation', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8')), null, 1));
    expect(verify(meta.header_value, reserialised)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a wrong key, a wrong app id, a missing or garbled header', () => {
    expect(verifyZaloOaEvent({ header: meta.header_value, rawBody: raw, appId: meta.app_id, secretKey: 'other', nowMs: EVENT_MS, maxAgeS: 300 })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyZaloOaEvent({ header: meta.header_value, rawBody: raw, appId: '1', secretKey: meta.oa_secret_key, nowMs: EVENT_MS, maxAgeS: 300 }).ok).toBe(false);
    expect(verify(undefined)).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verify('mac=xyz')).toEqual({ ok: false, reason: 'missing-signature' });
  });

  it('refuses stale (and far-future) events by the body timestamp', () => {
    expect(verify(meta.header_value, raw, EVENT_MS + 300_000).ok).toBe(true);
    expect(verify(meta.header_value, raw, EVENT_MS + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verify(meta.header_value, raw, EVENT_MS - 301_000)).toEqual({ ok: false, reason: 'stale' });
  });

  it('reports a signed body that is not JSON as malformed', () => {
    const body = Buffer.from('not json');
    const header = computeZaloOaSignature(meta.app_id, body, '', meta.oa_secret_key);
    expect(verify(header, body)).toEqual({ ok: false, reason: 'malformed-body' });
  });
});

describe('parseZaloOaEvent', () => {
  it('reads the user_send_text fixture', () => {
    expect(parseZaloOaEvent(JSON.parse(raw.toString('utf8')))).toEqual({
      status: 'message',
      message: {
        id: 'user_send_text:96d51c5a5d1ca442fd0b',
        channel: 'zalo-oa',
        chatId: '246845883529197922',
        kind: 'text',
        text: 'làm căn cước cho con dưới 14 tuổi',
        sentAtMs: EVENT_MS,
      },
    });
  });

  it('makes images and stickers media, follow a start and unfollow blocked', () => {
    const base = { app_id: meta.app_id, timestamp: '1764205860000', recipient: { id: 'oa' } };
    const image = parseZaloOaEvent({ ...base, event_name: 'user_send_image', sender: { id: 'u1' }, message: { msg_id: 'm1', attachments: [] } });
    const sticker = parseZaloOaEvent({ ...base, event_name: 'user_send_sticker', sender: { id: 'u1' }, message: { msg_id: 'm2' } });
    expect(image.status === 'message' && image.message).toMatchObject({ kind: 'media', id: 'user_send_image:m1', chatId: 'u1' });
    expect(sticker.status === 'message' && sticker.message.kind).toBe('media');
    const follow = parseZaloOaEvent({ ...base, event_name: 'follow', follower: { id: 'u2' }, source: 'oa_profile' });
    expect(follow.status === 'message' && follow.message).toEqual({
      id: 'follow:u2:1764205860000',
      channel: 'zalo-oa',
      chatId: 'u2',
      kind: 'start',
      sentAtMs: 1764205860000,
    });
    const unfollow = parseZaloOaEvent({ ...base, event_name: 'unfollow', follower: { id: 'u2' } });
    expect(unfollow.status === 'message' && unfollow.message.kind).toBe('blocked');
  });

  it('ignores what the OA itself sends and receipts; refuses garbage', () => {
    const base = { timestamp: '1764205860000', sender: { id: 'oa' }, recipient: { id: 'u1' }, message: { msg_id: 'x', text: 'hi' } };
    expect(parseZaloOaEvent({ ...base, event_name: 'oa_send_text' }).status).toBe('ignored');
    expect(parseZaloOaEvent({ ...base, event_name: 'user_seen_message' }).status).toBe('ignored');
    expect(parseZaloOaEvent({ ...base, event_name: 'user_send_text', message: { msg_id: 'x', text: '  ' } }).status).toBe('ignored');
    expect(parseZaloOaEvent({ event_name: 'user_send_text' }).status).toBe('malformed');
    expect(parseZaloOaEvent({ event_name: 'follow' }).status).toBe('malformed');
    expect(parseZaloOaEvent(null).status).toBe('malformed');
  });
});
