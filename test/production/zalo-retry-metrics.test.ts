// Zalo's APIs failing for a moment (Bot Platform 502, OA 503, a dropped connection): the real
// server retries with backoff, delivers each reply once, and /metrics counts the retries per
// channel in dvcbot_send_retries_total, like Telegram's.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeZaloOaSignature } from '../../src/channels/zalo-oa/verify.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createServer, type Server } from '../../src/server.ts';
import { startFakeZaloBotApi, startFakeZaloOaApi, type FakeZaloBotApi, type FakeZaloOaApi } from '../support/fake-zalo.ts';
import { eventually, sleep, OA_APP_ID, OA_SECRET_KEY, ZB_SECRET, ZB_TOKEN } from './support.ts';

let bot: FakeZaloBotApi;
let oa: FakeZaloOaApi;
let server: Server;
let base: string;

beforeAll(async () => {
  bot = await startFakeZaloBotApi(ZB_TOKEN);
  oa = await startFakeZaloOaApi({ appId: OA_APP_ID, appSecret: 'app-secret', accessToken: 'at-0', refreshToken: 'rt-0' });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'false',
    ZALO_BOT_TOKEN: ZB_TOKEN,
    ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET,
    ZALO_BOT_API_ROOT: bot.url,
    ZALO_OA_APP_ID: OA_APP_ID,
    ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
    ZALO_OA_APP_SECRET: 'app-secret',
    ZALO_OA_ACCESS_TOKEN: 'at-0',
    ZALO_OA_REFRESH_TOKEN: 'rt-0',
    ZALO_OA_API_ROOT: oa.url,
    ZALO_OA_OAUTH_ROOT: oa.url,
  });
  server = await createServer(config, { logger: createLogger('silent') });
  base = await server.start();
});
afterAll(async () => {
  await server?.stop();
  await bot?.close();
  await oa?.close();
});

/** The value of `dvcbot_send_retries_total{channel}` (0 when not yet exported). */
async function retries(channel: string): Promise<number> {
  const body = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^dvcbot_send_retries_total\\{channel="${channel}"\\} (\\S+)$`, 'm').exec(body);
  return m ? Number(m[1]) : 0;
}

it('counts Zalo Bot Platform send retries, and delivers each reply once', async () => {
  const chat = 'zb-retry-citizen';
  expect(await retries('zalo-bot')).toBe(0);
  bot.server.enqueue('/sendMessage', { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }, { destroy: true });
  const update = {
    event_name: 'message.text.received',
    message: { from: { id: chat, display_name: 'Lan', is_bot: false }, chat: { id: chat, chat_type: 'PRIVATE' }, text: 'đăng ký khai sinh', message_id: 'zb-retry-1', date: Date.now() },
  };
  const res = await fetch(`${base}/webhooks/zalo-bot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': ZB_SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  await eventually(() => expect(bot.sentMessages().filter((m) => m.chat_id === chat).length).toBeGreaterThanOrEqual(3), 8_000);
  await sleep(200);
  const texts = bot.sentMessages().filter((m) => m.chat_id === chat).map((m) => m.text);
  expect(texts[0]).toBe(texts[2]); // the first reply: two failed tries, then delivered
  expect(new Set(texts.slice(2)).size).toBe(texts.length - 2); // each reply delivered once
  expect(await retries('zalo-bot')).toBe(2);
  expect(await retries('zalo-oa')).toBe(0);
});

it('counts Zalo OA send retries, and delivers each reply once', async () => {
  const user = 'oa-retry-citizen';
  oa.server.enqueue('/message/cs', { status: 503, body: { error: -32, message: 'Service unavailable' } });
  const bytes = Buffer.from(
    JSON.stringify({ app_id: OA_APP_ID, timestamp: String(Date.now()), event_name: 'user_send_text', sender: { id: user }, recipient: { id: 'oa' }, message: { text: 'đăng ký khai sinh', msg_id: 'oa-retry-1' } }),
  );
  const timestamp = String((JSON.parse(bytes.toString()) as { timestamp: string }).timestamp);
  const res = await fetch(`${base}/webhooks/zalo-oa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${computeZaloOaSignature(OA_APP_ID, bytes, timestamp, OA_SECRET_KEY)}` },
    body: new Uint8Array(bytes),
  });
  expect(res.status).toBe(200);
  const delivered = () => oa.delivered().filter((m) => m.recipient.user_id === user);
  await eventually(() => expect(delivered().length).toBeGreaterThan(0), 8_000);
  await sleep(200);
  const tries = oa.server.calls('/message/cs').filter((r) => (r.body as { recipient: { user_id: string } }).recipient.user_id === user);
  expect(tries.length).toBe(delivered().length + 1); // one failed try, then each reply once
  expect(await retries('zalo-oa')).toBe(1);
});
