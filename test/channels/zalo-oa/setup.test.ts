import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupZaloOa } from '../../../src/channels/zalo-oa/setup.ts';
import type { ChannelSetup } from '../../../src/channels/setup-types.ts';
import type { InboundHandler } from '../../../src/core/ports.ts';
import { renderForChannel } from '../../../src/core/render.ts';
import { startFakeZaloOaApi, type FakeZaloOaApi } from '../../support/fake-zalo.ts';
import { FAST_RETRY, fixedClock, fixtureBytes, fixtureJson, MapKv, recordingInbound, setupContext } from '../zalo-bot/helpers.ts';

const raw = fixtureBytes('zalo-oa/user-send-text.body.json');
const meta = fixtureJson<{ app_id: string; oa_secret_key: string; header_value: string }>('zalo-oa/user-send-text.meta.json');

let fake: FakeZaloOaApi;
let setup: ChannelSetup | null = null;
beforeEach(async () => {
  fake = await startFakeZaloOaApi({ appId: meta.app_id, appSecret: 'app-secret', accessToken: 'at-0', refreshToken: 'rt-0' });
});
afterEach(async () => {
  await setup?.stop?.();
  setup = null;
  await fake.close();
});

function env(): Record<string, string> {
  return {
    ZALO_OA_APP_ID: meta.app_id,
    ZALO_OA_SECRET_KEY: meta.oa_secret_key,
    ZALO_OA_APP_SECRET: 'app-secret',
    ZALO_OA_ACCESS_TOKEN: 'at-0',
    ZALO_OA_REFRESH_TOKEN: 'rt-0',
    ZALO_OA_API_ROOT: fake.url,
    ZALO_OA_OAUTH_ROOT: fake.url,
  };
}

describe('setupZaloOa', () => {
  it('returns null without ZALO_OA_APP_ID', () => {
    expect(setupZaloOa(setupContext({}, { inbound: recordingInbound() }))).toBeNull();
  });

  it('wires the signed webhook to the engine and the engine to the OA API (clarify → buttons)', async () => {
    let done!: () => void;
    const answered = new Promise<void>((r) => (done = r));
    let channelRef: ChannelSetup['channel'] | null = null;
    const inbound: InboundHandler = {
      async handleInbound(message) {
        const chunks = renderForChannel(
          {
            text: `Bạn hỏi: ${message.text ?? ''}. Chọn một mục:`,
            buttons: [
              { kind: 'option', label: 'Dưới 6 tuổi', index: 1 },
              { kind: 'option', label: 'Từ 6 đến 14 tuổi', index: 2 },
            ],
            menuSeq: 1,
          },
          channelRef!.capabilities,
          { typeNumber: 'Gõ số để chọn.' },
        );
        for (const chunk of chunks) await channelRef!.send(message.chatId, chunk);
        done();
      },
    };
    const ctx = setupContext(env(), { inbound, kv: new MapKv(), clock: fixedClock(1764205850000 + 2_000) });
    setup = setupZaloOa(ctx, { retry: FAST_RETRY })!;
    channelRef = setup.channel;
    await setup.start?.();
    const app = Fastify();
    await app.register(setup.webhook!.plugin, setup.webhook!.options as never);
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-oa',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': meta.header_value },
      payload: raw,
    });
    expect(response.statusCode).toBe(200);
    await answered;
    const [sent] = fake.delivered();
    expect(sent!.recipient.user_id).toBe('246845883529197922');
    expect(sent!.message.attachment).toMatchObject({
      payload: { buttons: [{ payload: '#n:1:1' }, { type: 'oa.query.hide', title: 'Từ 6 đến 14 tuổi', payload: '#n:2:1' }] },
    });
    expect(await setup.health?.()).toMatchObject({ ok: true });
    await app.close();
  });

  it('start() refreshes a stored token that is about to expire, and never throws', async () => {
    const kv = new MapKv();
    const clock = fixedClock(1_800_000_000_000);
    await kv.set('zalo-oa:tokens', JSON.stringify({ accessToken: 'at-0', refreshToken: 'rt-0', expiresAtMs: clock.nowMs() + 60_000 }));
    setup = setupZaloOa(setupContext(env(), { inbound: recordingInbound(), kv, clock }))!;
    await setup.start?.();
    expect(fake.state.refreshCount).toBe(1);
    expect(JSON.parse((await kv.get('zalo-oa:tokens'))!)).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });

    fake.state.refreshToken = 'gone';
    await kv.set('zalo-oa:tokens', JSON.stringify({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAtMs: clock.nowMs() }));
    await expect(setup.start?.()).resolves.toBeUndefined();
    expect(await setup.health?.()).toMatchObject({ ok: false });
  });
});
