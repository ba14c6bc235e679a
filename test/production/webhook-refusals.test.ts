// Issue 20: a misconfigured webhook must be visible. Refused webhooks are counted per channel and
// reason in /metrics (with throttled warn lines), and /readyz reports a Telegram webhook that
// Telegram cannot deliver to, from getWebhookInfo (the fake Bot API's).
import { afterEach, describe, expect, it } from 'vitest';
import { computeZaloOaSignature } from '../../src/channels/zalo-oa/verify.ts';
import { FakeTelegramServer } from '../support/fake-telegram.ts';
import { OA_APP_ID, OA_SECRET_KEY, startProdServer, TG_TOKEN, textUpdate, ZB_SECRET, ZB_TOKEN, type ProdServer } from './support.ts';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of body.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

const ZALO_ENV = {
  ZALO_OA_APP_ID: OA_APP_ID,
  ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
  ZALO_OA_ACCESS_TOKEN: 'at-0',
  ZALO_OA_API_ROOT: 'http://127.0.0.1:9',
  ZALO_OA_OAUTH_ROOT: 'http://127.0.0.1:9',
  ZALO_BOT_TOKEN: ZB_TOKEN,
  ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET,
  ZALO_BOT_API_ROOT: 'http://127.0.0.1:9',
};

let s: ProdServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

describe('refused webhooks', () => {
  it('/metrics counts them per channel and reason; the warn lines are throttled', async () => {
    s = await startProdServer({ env: ZALO_ENV });
    const app = s.server.app;
    for (let i = 0; i < 30; i++) expect((await s.postUpdate(textUpdate(5500 + i, 'xin chào'), 'wrong-secret')).statusCode).toBe(401);
    expect((await s.postUpdate(textUpdate(5600, 'xin chào'), null)).statusCode).toBe(401);
    const zb = await app.inject({ method: 'POST', url: '/webhooks/zalo-bot', headers: { 'x-bot-api-secret-token': 'not-the-secret' }, payload: {} });
    expect(zb.statusCode).toBe(401);
    const body = Buffer.from(JSON.stringify({ app_id: OA_APP_ID, event_name: 'user_send_text', sender: { id: 'u1' }, message: { text: 'a', msg_id: 'm1' }, timestamp: String(Date.now()) }));
    const forged = `mac=${computeZaloOaSignature(OA_APP_ID, body, String(Date.now()), 'a-guessed-key')}`;
    const oa = await app.inject({ method: 'POST', url: '/webhooks/zalo-oa', headers: { 'content-type': 'application/json', 'x-zevent-signature': forged }, payload: body });
    expect(oa.statusCode).toBe(401);

    const metrics = (await app.inject({ url: '/metrics' })).body;
    const refused = (channel: string, reason: string) => sample(metrics, 'dvcbot_webhooks_refused_total', { channel, reason });
    expect(refused('telegram', 'bad-secret')).toBe(30);
    expect(refused('telegram', 'missing-secret')).toBe(1);
    expect(refused('zalo-bot', 'bad-secret')).toBe(1);
    expect(refused('zalo-oa', 'bad-signature')).toBe(1);
    const warns = s.logs.filter((l) => l.includes('"level":40') && l.includes('webhook refused'));
    expect(warns.filter((l) => l.includes('telegram webhook refused (bad-secret)'))).toHaveLength(1);
    expect(warns).toHaveLength(4); // one per channel and reason, not one per request
    expect(s.logs.join('\n')).not.toContain('wrong-secret');
    // Several refusals and nothing accepted: /readyz says so for the OA (a hint; it stays ready,
    // since forged requests alone could cause it).
    for (let i = 0; i < 5; i++) {
      await app.inject({ method: 'POST', url: '/webhooks/zalo-oa', headers: { 'content-type': 'application/json', 'x-zevent-signature': forged }, payload: body });
    }
    const ready = (await app.inject({ url: '/readyz' })).json() as { checks: { name: string; ok: boolean; detail?: string }[] };
    const oaCheck = ready.checks.find((c) => c.name === 'zalo-oa');
    expect(oaCheck?.detail).toContain('none accepted: check the secret or key');
  });
});

describe('/readyz and the Telegram webhook', () => {
  it('reports a webhook Telegram cannot deliver to (getWebhookInfo: last error, updates waiting)', async () => {
    const telegram = await FakeTelegramServer.start({ token: TG_TOKEN });
    telegram.failWebhookDelivery('Wrong response from the webhook: 401 Unauthorized', 17);
    s = await startProdServer({ telegram, listen: true, env: { PUBLIC_URL: 'https://bot.cantho.example' } });
    try {
      expect(telegram.webhook.url).toBe('https://bot.cantho.example/webhooks/telegram');
      const res = await s.server.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      const check = (res.json() as { checks: { name: string; ok: boolean; detail?: string }[] }).checks.find((c) => c.name === 'telegram');
      expect(check?.ok).toBe(false);
      expect(check?.detail).toContain('Wrong response from the webhook: 401 Unauthorized');
      expect(check?.detail).toContain('17 waiting');
      expect(s.logs.some((l) => l.includes('TELEGRAM WEBHOOK BROKEN'))).toBe(true);
    } finally {
      await s.close();
      await telegram.close();
    }
  });

  it('reports a webhook that is not set at all, and is ready with one registered by hand (no PUBLIC_URL)', async () => {
    const telegram = await FakeTelegramServer.start({ token: TG_TOKEN, webhookUrl: '' });
    s = await startProdServer({ telegram, listen: true });
    try {
      const res = await s.server.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(JSON.stringify(res.json())).toContain('no webhook set at Telegram');
    } finally {
      await s.close();
    }
    telegram.webhook.url = 'https://elsewhere.example/webhooks/telegram';
    s = await startProdServer({ telegram, listen: true });
    try {
      const res = await s.server.app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(200);
      expect(JSON.stringify(res.json())).toContain('webhook delivering');
    } finally {
      await s.close();
      await telegram.close();
    }
  });
});
