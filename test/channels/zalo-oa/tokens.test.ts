import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloOaClient } from '../../../src/channels/zalo-oa/client.ts';
import { ZaloOaTokenManager, type ZaloOaTokenManagerOptions } from '../../../src/channels/zalo-oa/tokens.ts';
import { ZaloOaChannel } from '../../../src/channels/zalo-oa/zalo-oa-channel.ts';
import { ChannelRejectedError } from '../../../src/core/errors.ts';
import { startFakeZaloOaApi, type FakeZaloOaApi } from '../../support/fake-zalo.ts';
import { capturingLogger, FAST_RETRY, fixedClock, MapKv } from '../zalo-bot/helpers.ts';

const NOW = 1_800_000_000_000;
const KEY = 'zalo-oa:tokens';

let fake: FakeZaloOaApi;
let kv: MapKv;
let clock: ReturnType<typeof fixedClock>;
let logger: ReturnType<typeof capturingLogger>;

beforeEach(async () => {
  fake = await startFakeZaloOaApi({ appId: 'app-1', appSecret: 'app-secret', accessToken: 'at-0', refreshToken: 'rt-0' });
  clock = fixedClock(NOW);
  kv = new MapKv(clock);
  logger = capturingLogger();
});
afterEach(async () => {
  await fake.close();
});

function manager(extra: Partial<ZaloOaTokenManagerOptions> = {}): ZaloOaTokenManager {
  return new ZaloOaTokenManager({
    kv,
    clock,
    logger,
    oauthRoot: fake.url,
    appId: 'app-1',
    appSecret: 'app-secret',
    seedAccessToken: 'at-0',
    seedRefreshToken: 'rt-0',
    pollIntervalMs: 5,
    ...extra,
  });
}

function channelWith(tokens: ZaloOaTokenManager): ZaloOaChannel {
  return new ZaloOaChannel(new ZaloOaClient({ apiRoot: fake.url, tokens, retry: FAST_RETRY }), { logger });
}

async function storedPair(): Promise<{ accessToken: string; refreshToken: string; expiresAtMs: number | null }> {
  return JSON.parse((await kv.get(KEY))!) as never;
}

async function sendMany(channel: ZaloOaChannel, n: number): Promise<void> {
  await Promise.all(Array.from({ length: n }, (_, i) => channel.send(`user-${i}`, { text: `tin ${i}`, buttons: [], menuSeq: 0 })));
}

describe('ZaloOaTokenManager', () => {
  it('seeds the store from config only when it is empty', async () => {
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-stored', refreshToken: 'rt-stored', expiresAtMs: NOW + 3_600_000 }));
    expect(await manager().getAccessToken()).toBe('at-stored');
    await kv.delete(KEY);
    expect(await manager().getAccessToken()).toBe('at-0');
    expect(await storedPair()).toEqual({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: null });
  });

  it('an expired token triggers exactly one refresh under concurrent sends, and the rotated refresh token is persisted', async () => {
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: NOW - 1 }));
    fake.state.refreshDelayMs = 30; // keep the refresh in flight while the others arrive
    const tokens = manager();
    await sendMany(channelWith(tokens), 8);
    expect(fake.state.refreshCount).toBe(1);
    expect(fake.server.calls('/v4/oa/access_token')).toHaveLength(1);
    const refreshCall = fake.server.calls('/v4/oa/access_token')[0]!;
    expect(refreshCall.headers['secret_key']).toBe('app-secret');
    expect(refreshCall.body).toEqual({ app_id: 'app-1', grant_type: 'refresh_token', refresh_token: 'rt-0' });
    expect(await storedPair()).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAtMs: NOW + 90_000_000 });
    const sends = fake.server.calls('/message/cs');
    expect(sends).toHaveLength(8);
    expect(sends.every((r) => r.headers['access_token'] === 'at-1')).toBe(true);
    expect(await tokens.health()).toMatchObject({ ok: true });
  });

  it('refreshes about 10 minutes before expiry, not earlier', async () => {
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: NOW + 11 * 60_000 }));
    const tokens = manager();
    expect(await tokens.getAccessToken()).toBe('at-0');
    clock.advance(2 * 60_000);
    expect(await tokens.getAccessToken()).toBe('at-1');
    expect(fake.state.refreshCount).toBe(1);
  });

  it('a token the API refuses (-216) is refreshed once, even under concurrent sends, and the sends go through', async () => {
    fake.state.validAccessTokens.clear(); // at-0 has expired on Zalo's side; its expiry was unknown to us
    const tokens = manager();
    await sendMany(channelWith(tokens), 6);
    expect(fake.state.refreshCount).toBe(1);
    expect(fake.delivered()).toHaveLength(6);
    expect((await storedPair()).refreshToken).toBe('rt-1');
  });

  it('saves the new pair to the store before using it', async () => {
    const events: string[] = [];
    const set = kv.set.bind(kv);
    kv.set = async (key, value, ttl) => {
      if (key === KEY) events.push(`saved ${(JSON.parse(value) as { accessToken: string }).accessToken}`);
      return set(key, value, ttl);
    };
    fake.server.onRecord = (request) => {
      if (request.path.endsWith('/message/cs')) events.push(`used ${String(request.headers['access_token'])}`);
    };
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: NOW - 1 }));
    await channelWith(manager()).send('u', { text: 'x', buttons: [], menuSeq: 0 });
    expect(events).toEqual(['saved at-0', 'saved at-1', 'used at-1']);
  });

  it('refreshes once across two instances sharing the store (the other waits for the new pair)', async () => {
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: NOW - 1 }));
    fake.state.refreshDelayMs = 40;
    const a = manager();
    const b = manager();
    const [ta, tb] = await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    expect([ta, tb]).toEqual(['at-1', 'at-1']);
    expect(fake.state.refreshCount).toBe(1);
    expect(await kv.get(`${KEY}:lock`)).toBeNull();
  });

  it('logs a failed refresh loudly and reports it on health', async () => {
    fake.state.refreshToken = 'rt-someone-else-used';
    await kv.set(KEY, JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: NOW - 1 }));
    const tokens = manager();
    const err = await channelWith(tokens)
      .send('u', { text: 'x', buttons: [], menuSeq: 0 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect((err as ChannelRejectedError).platformCode).toBe(-14014);
    expect(logger.lines.some((l) => l.level === 'error' && l.msg?.includes('ZALO OA TOKEN REFRESH FAILED'))).toBe(true);
    const health = await tokens.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('token refresh failed');
    expect(logger.text()).not.toContain('rt-0');
    expect(logger.text()).not.toContain('app-secret');
    expect((await storedPair()).refreshToken).toBe('rt-0'); // nothing overwritten
  });

  it('cannot refresh without the app secret, and says so', async () => {
    fake.state.validAccessTokens.clear();
    const tokens = manager({ appSecret: undefined });
    await expect(channelWith(tokens).send('u', { text: 'x', buttons: [], menuSeq: 0 })).rejects.toThrow(/ZALO_OA_APP_SECRET/);
    expect(fake.state.refreshCount).toBe(0);
    expect((await tokens.health()).ok).toBe(false);
  });

  it('reports no token at all', async () => {
    const tokens = manager({ seedAccessToken: undefined, seedRefreshToken: undefined });
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(ChannelRejectedError);
    expect(await tokens.health()).toMatchObject({ ok: false, detail: 'no access token configured' });
  });
});
