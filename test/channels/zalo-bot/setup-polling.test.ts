import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloBotClient } from '../../../src/channels/zalo-bot/client.ts';
import { createZaloBotDispatcher } from '../../../src/channels/zalo-bot/dispatch.ts';
import { ZaloBotWebhookCheck } from '../../../src/channels/zalo-bot/webhook-check.ts';
import { ZaloBotPoller } from '../../../src/channels/zalo-bot/polling.ts';
import { setupZaloBot } from '../../../src/channels/zalo-bot/setup.ts';
import type { ChannelSetup } from '../../../src/channels/setup-types.ts';
import type { InboundHandler } from '../../../src/core/ports.ts';
import type { InboundMessage } from '../../../src/core/types.ts';
import { startFakeZaloBotApi, type FakeZaloBotApi } from '../../support/fake-zalo.ts';
import { capturingLogger, FAST_RETRY, fixtureJson, recordingInbound, setupContext } from './helpers.ts';

const TOKEN = '1234567890:bot-token';
const SECRET = 'zalo-bot-webhook-secret-123';

let fake: FakeZaloBotApi;
let setup: ChannelSetup | null = null;
beforeEach(async () => {
  fake = await startFakeZaloBotApi(TOKEN);
});
afterEach(async () => {
  await setup?.stop?.();
  setup = null;
  await fake.close();
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('setupZaloBot', () => {
  it('returns null without ZALO_BOT_TOKEN', () => {
    expect(setupZaloBot(setupContext({}, { inbound: recordingInbound() }))).toBeNull();
  });

  it('with token, secret and API root only (no PUBLIC_URL): serves the route, answers via sendMessage, never calls setWebhook', async () => {
    // An "engine" that echoes, as the end-to-end check does through the real engine.
    let channelRef: ChannelSetup['channel'] | null = null;
    const seen: InboundMessage[] = [];
    const inbound: InboundHandler = {
      async handleInbound(message) {
        seen.push(message);
        await channelRef!.send(message.chatId, { text: `Bạn hỏi: ${message.text ?? ''}`, buttons: [], menuSeq: 0 });
      },
    };
    const ctx = setupContext({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url, PORT: '0' }, { inbound });
    expect(ctx.config.zaloBotMode).toBe('webhook');
    setup = setupZaloBot(ctx, { retry: FAST_RETRY })!;
    channelRef = setup.channel;
    await setup.start?.();
    expect(fake.server.calls('/setWebhook')).toEqual([]);

    const app = Fastify();
    await app.register(setup.webhook!.plugin, setup.webhook!.options as never);
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-bot',
      headers: { 'x-bot-api-secret-token': SECRET },
      payload: fixtureJson('zalo-bot/text-wrapped.json') as object,
    });
    expect(response.statusCode).toBe(200);
    await until(() => fake.sentMessages().length === 1);
    expect(fake.sentMessages()[0]).toEqual({ chat_id: '6ede9afa66b88fe6d6a9', text: 'Bạn hỏi: cach dong hoc phi cho con khong dung tien mat' });
    // getWebhookInfo at start: the webhook set in the dashboard is checked, never changed.
    expect(fake.server.requests.map((r) => r.path.split('/').pop())).toEqual(['getWebhookInfo', 'sendChatAction', 'sendMessage']);
    expect(await setup.health?.()).toMatchObject({ ok: true });
    await app.close();
  });

  it('health reports a webhook that is not set, or points elsewhere (getWebhookInfo)', async () => {
    fake.webhook.url = '';
    const inbound = recordingInbound();
    const ctx = setupContext({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url }, { inbound });
    setup = setupZaloBot(ctx, { retry: FAST_RETRY })!;
    await setup.start?.();
    expect(await setup.health?.()).toEqual({ ok: false, detail: 'no webhook set at Zalo: updates are not delivered' });
    await setup.stop?.();
    const ours = setupContext({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url, PUBLIC_URL: 'https://bot.cantho.example' }, { inbound });
    setup = setupZaloBot(ours, { retry: FAST_RETRY })!;
    await setup.start?.();
    expect(fake.webhook.url).toBe('https://bot.cantho.example/webhooks/zalo-bot');
    expect(await setup.health?.()).toEqual({ ok: true, detail: 'webhook' });
    // Someone points the bot elsewhere later: the periodic check sees it.
    fake.webhook.url = 'https://old.example/hook';
    const check = new ZaloBotWebhookCheck(new ZaloBotClient({ token: TOKEN, apiRoot: fake.url, retry: FAST_RETRY }), 'https://bot.cantho.example/webhooks/zalo-bot', capturingLogger());
    await check.check();
    expect(check.problem).toBe('Zalo posts updates to https://old.example/hook, not to https://bot.cantho.example/webhooks/zalo-bot');
  });

  it('registers the webhook with PUBLIC_URL and the secret at start', async () => {
    const ctx = setupContext(
      { ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url, PUBLIC_URL: 'https://bot.cantho.example/' },
      { inbound: recordingInbound() },
    );
    setup = setupZaloBot(ctx, { retry: FAST_RETRY })!;
    await setup.start?.();
    expect(fake.server.calls('/setWebhook').map((r) => r.body)).toEqual([
      { url: 'https://bot.cantho.example/webhooks/zalo-bot', secret_token: SECRET },
    ]);
  });

  it('reports a failed setWebhook on health without throwing from start', async () => {
    fake.server.enqueue('/setWebhook', { status: 400, body: { ok: false, error_code: 400, description: 'bad url' } });
    const ctx = setupContext(
      { ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url, PUBLIC_URL: 'https://bot.cantho.example' },
      { inbound: recordingInbound() },
    );
    setup = setupZaloBot(ctx, { retry: FAST_RETRY })!;
    await expect(setup.start?.()).resolves.toBeUndefined();
    expect(await setup.health?.()).toMatchObject({ ok: false });
  });

  it('polls with getUpdates when there is no secret and no PUBLIC_URL, and stops cleanly', async () => {
    const inbound = recordingInbound();
    const ctx = setupContext({ ZALO_BOT_TOKEN: TOKEN, ZALO_BOT_API_ROOT: fake.url }, { inbound });
    expect(ctx.config.zaloBotMode).toBe('polling');
    setup = setupZaloBot(ctx, { retry: FAST_RETRY, pollTimeoutS: 1, typing: false })!;
    expect(setup.webhook).toBeUndefined();
    await setup.start?.();
    // The Bot Platform serves getUpdates only without a webhook: deleteWebhook comes first.
    const paths = fake.server.requests.map((r) => r.path.split('/').pop());
    expect(paths[0]).toBe('deleteWebhook');
    fake.pushUpdate(fixtureJson<{ result: unknown }>('zalo-bot/text-wrapped.json').result);
    fake.pushUpdate(fixtureJson('zalo-bot/unsupported.json'));
    await until(() => inbound.messages.length === 2);
    expect(inbound.messages.map((m) => m.kind)).toEqual(['text', 'unsupported']);
    await setup.stop?.();
    await new Promise((r) => setTimeout(r, 30)); // a poll aborted in flight may still be recorded
    const polls = fake.server.calls('/getUpdates').length;
    await new Promise((r) => setTimeout(r, 60));
    expect(fake.server.calls('/getUpdates').length).toBe(polls);
  });
});

describe('ZaloBotPoller', () => {
  it('keeps polling after errors and reports the last one', async () => {
    const inbound = recordingInbound();
    const logger = capturingLogger();
    const client = new ZaloBotClient({ token: TOKEN, apiRoot: fake.url, retry: FAST_RETRY });
    const poller = new ZaloBotPoller({
      client,
      dispatch: createZaloBotDispatcher({ inbound, logger, clock: { nowMs: () => 0 } }),
      logger,
      timeoutS: 1,
      errorDelayMs: 1,
    });
    fake.server.enqueue('/getUpdates', { status: 400, body: { ok: false, error_code: 400, description: 'webhook is set' } });
    fake.pushUpdate(fixtureJson<{ result: unknown }>('zalo-bot/image.json').result);
    poller.start();
    await until(() => inbound.messages.length === 1);
    expect(inbound.messages[0]!.kind).toBe('media');
    expect(logger.lines.some((l) => l.level === 'warn' && l.msg?.includes('deleteWebhook'))).toBe(true);
    await poller.stop();
    expect(poller.running).toBe(false);
  });
});
