// The verdict on getWebhookInfo: what /readyz says about Telegram's deliveries to our webhook.
import { describe, expect, it } from 'vitest';
import { TelegramApiClient } from '../../../src/channels/telegram/api-client.ts';
import { judgeWebhookInfo, TELEGRAM_WEBHOOK_RECHECK_BAD_MS, TelegramWebhookMonitor } from '../../../src/channels/telegram/webhook-info.ts';
import { silentLogger } from '../../../src/core/ports.ts';
import { FakeTelegramServer } from '../../support/fake-telegram.ts';
import { TEST_TOKEN } from './helpers.ts';

const URL = 'https://bot.cantho.example/webhooks/telegram';
const T = 1_800_000_000; // seconds

describe('judgeWebhookInfo', () => {
  it('is ready when the webhook is ours and nothing failed', () => {
    expect(judgeWebhookInfo({ url: URL, pending_update_count: 0 }, URL, undefined)).toEqual({ ok: true, detail: 'webhook delivering (0 waiting)' });
  });
  it('is not ready without a webhook, or with one pointing elsewhere', () => {
    expect(judgeWebhookInfo({ url: '', pending_update_count: 3 }, URL, undefined).ok).toBe(false);
    expect(judgeWebhookInfo({ url: 'https://old.example/hook', pending_update_count: 0 }, URL, undefined)).toMatchObject({ ok: false });
    // Registered by hand (no PUBLIC_URL): any URL is taken as ours.
    expect(judgeWebhookInfo({ url: 'https://old.example/hook', pending_update_count: 0 }, undefined, undefined).ok).toBe(true);
  });
  it('is not ready while Telegram keeps failing: an error newer than the last update we accepted, with updates waiting', () => {
    const info = { url: URL, pending_update_count: 40, last_error_date: T, last_error_message: 'Wrong response from the webhook: 401 Unauthorized' };
    const verdict = judgeWebhookInfo(info, URL, undefined);
    expect(verdict.ok).toBe(false);
    expect(verdict.detail).toContain('401 Unauthorized');
    expect(verdict.detail).toContain('40 waiting');
    expect(judgeWebhookInfo(info, URL, T * 1000 - 60_000).ok).toBe(false);
  });
  it('forgets an error it has recovered from: an update accepted since, or nothing waiting', () => {
    const info = { url: URL, pending_update_count: 2, last_error_date: T, last_error_message: 'Connection refused' };
    expect(judgeWebhookInfo(info, URL, T * 1000 + 5_000).ok).toBe(true);
    expect(judgeWebhookInfo({ ...info, pending_update_count: 0 }, URL, undefined).ok).toBe(true);
  });
});

describe('TelegramWebhookMonitor', () => {
  it('after a restart, a bad verdict is checked again by /readyz once Telegram has delivered what waited', async () => {
    const fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
    try {
      fake.webhook.url = URL;
      fake.failWebhookDelivery('Connection refused', 5); // the downtime, as Telegram saw it
      let now = Date.now();
      let accepted: number | undefined;
      const api = new TelegramApiClient({ token: TEST_TOKEN, apiRoot: fake.apiRoot, logger: silentLogger });
      const monitor = new TelegramWebhookMonitor({ api, expectedUrl: URL, lastAcceptedMs: () => accepted, clock: { nowMs: () => now }, logger: silentLogger });
      await monitor.start();
      monitor.stop();
      expect((await monitor.forReadiness())?.ok).toBe(false);
      accepted = now + 1_000; // the route accepts the redelivered updates
      fake.webhook.pendingUpdateCount = 0;
      expect((await monitor.forReadiness())?.ok).toBe(false); // not asked again yet
      now += TELEGRAM_WEBHOOK_RECHECK_BAD_MS;
      expect(await monitor.forReadiness()).toEqual({ ok: true, detail: 'webhook delivering (0 waiting)' });
      expect(fake.callsTo('getWebhookInfo')).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });
});
