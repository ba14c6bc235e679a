import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupTelegram } from '../../../src/channels/telegram/setup.ts';
import { TelegramBotInfo } from '../../../src/channels/telegram/bot-info.ts';
import { TelegramApiClient } from '../../../src/channels/telegram/api-client.ts';
import type { ChannelSetup } from '../../../src/channels/setup-types.ts';
import { silentLogger } from '../../../src/core/ports.ts';
import { FakeTelegramServer, telegramError } from '../../support/fake-telegram.ts';
import { RecordingInbound, TEST_SECRET, TEST_TOKEN, eventually, fixture, testConfig, testContext } from './helpers.ts';

let fake: FakeTelegramServer;
let started: ChannelSetup[];

beforeEach(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  started = [];
});
afterEach(async () => {
  for (const s of started) await s.stop?.();
  await fake.close();
});

function make(env: Record<string, string>, inbound = new RecordingInbound()) {
  const s = setupTelegram(testContext(testConfig(fake.apiRoot, env), inbound), { pollTimeoutS: 1, pollErrorBackoffMs: 5 });
  if (s) started.push(s);
  return { setup: s, inbound };
}

describe('setupTelegram', () => {
  it('is null without TELEGRAM_BOT_TOKEN', () => {
    expect(make({ TELEGRAM_BOT_TOKEN: '' }).setup).toBeNull();
  });

  it('webhook mode with PUBLIC_URL: start() registers the webhook with the secret and update types', async () => {
    const { setup } = make({ PUBLIC_URL: 'https://bot.example.vn/' });
    expect(setup!.webhook).toBeDefined();
    await setup!.start!();
    const [call] = fake.callsTo('setWebhook');
    expect(call?.body).toEqual({
      url: 'https://bot.example.vn/webhooks/telegram',
      secret_token: TEST_SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
  });

  it('webhook mode without PUBLIC_URL: serves the route, never calls setWebhook or deleteWebhook', async () => {
    const { setup } = make({});
    await setup!.start!();
    await fake.waitForCalls('getMe', 1);
    expect(fake.callsTo('setWebhook')).toHaveLength(0);
    expect(fake.callsTo('deleteWebhook')).toHaveLength(0);
  });

  it('start() does not throw when setWebhook is refused; health says the webhook is not ours', async () => {
    fake.replyAlways('setWebhook', telegramError(400, 'Bad Request: bad webhook: HTTPS url must be provided for webhook'));
    const { setup } = make({ PUBLIC_URL: 'https://bot.example.vn' });
    await expect(setup!.start!()).resolves.toBeUndefined();
    const health = await setup!.health!();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('@trolydvc_bot');
    expect(health.detail).toContain('not to https://bot.example.vn/webhooks/telegram');
  });

  it('health calls getMe at most once a minute and reports failures', async () => {
    let now = 0;
    const api = new TelegramApiClient({ token: TEST_TOKEN, apiRoot: fake.apiRoot, logger: silentLogger });
    const info = new TelegramBotInfo(api, { nowMs: () => now }, silentLogger);
    expect((await info.health()).ok).toBe(true);
    await Promise.all([info.health(), info.health(), info.health()]);
    expect(fake.callsTo('getMe')).toHaveLength(1);
    fake.replyAlways('getMe', telegramError(401, 'Unauthorized'));
    now = 59_000;
    expect((await info.health()).ok).toBe(true);
    now = 61_000;
    const bad = await info.health();
    expect(bad.ok).toBe(false);
    expect(bad.detail).toContain('Unauthorized');
    expect(fake.callsTo('getMe')).toHaveLength(2);
    expect(info.current()).toEqual({ id: 7000000001, username: 'trolydvc_bot' }); // identity kept
  });
});

describe('polling mode', () => {
  it('has no webhook route; deletes the webhook, long-polls, tracks the offset, same parse path', async () => {
    const { setup, inbound } = make({ TELEGRAM_MODE: 'polling' });
    expect(setup!.webhook).toBeUndefined();
    await setup!.start!();
    expect(fake.calls.find((c) => c.method === 'deleteWebhook')).toBeDefined();
    fake.pushUpdates(fixture('message-start'), fixture('callback-query'), fixture('edited-message'));
    await eventually(() => expect(inbound.received.map((m) => m.kind)).toEqual(['start', 'option']));
    await fake.waitForCalls('answerCallbackQuery', 1);
    await eventually(() => expect(fake.callsTo('getUpdates').at(-1)?.body.offset).toBe(804120008));
    const first = fake.callsTo('getUpdates')[0]!;
    expect(first.body).toMatchObject({ offset: 0, timeout: 1, allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] });
    fake.pushUpdates({ ...fixture('message-text'), update_id: 804120200 });
    await eventually(() => expect(inbound.received).toHaveLength(3));
    expect(inbound.received[2]?.id).toBe('update:804120200');
  });

  it('keeps polling after errors (409, 5xx) and stops promptly', async () => {
    fake.replyOnce('getUpdates', telegramError(409, 'Conflict: terminated by other getUpdates request'), telegramError(502, 'Bad Gateway'));
    const { setup, inbound } = make({ TELEGRAM_MODE: 'polling' });
    await setup!.start!();
    fake.pushUpdates(fixture('message-text'));
    await eventually(() => expect(inbound.received).toHaveLength(1));
    expect(fake.callsTo('getUpdates').length).toBeGreaterThanOrEqual(3);
    await setup!.stop!();
    // a request already on the wire may still be recorded; after that, silence
    await new Promise((r) => setTimeout(r, 100));
    const polls = fake.callsTo('getUpdates').length;
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.callsTo('getUpdates')).toHaveLength(polls);
  });

  it('stops polling when the token is refused', async () => {
    fake.replyAlways('getUpdates', telegramError(401, 'Unauthorized'));
    const { setup } = make({ TELEGRAM_MODE: 'polling' });
    await setup!.start!();
    await fake.waitForCalls('getUpdates', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsTo('getUpdates')).toHaveLength(1);
  });
});
