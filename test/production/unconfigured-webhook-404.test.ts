// Webhooks of chat apps that are not configured (or run in polling mode) do not exist: 404,
// the same answer as any unknown path, so a scanner learns nothing.
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createServer, type Server } from '../../src/server.ts';
import { CONTENT_DIR } from '../support/test-content.ts';

const WEBHOOKS = ['/webhooks/telegram', '/webhooks/zalo-bot', '/webhooks/zalo-oa'];
let server: Server | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function build(env: Record<string, string>): Promise<Server> {
  const config = loadConfig({ CONTENT_DIR, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', PORT: '0', ...env });
  server = await createServer(config, { logger: createLogger('silent') });
  await server.app.ready();
  return server;
}

async function status(s: Server, url: string, method: 'GET' | 'POST' = 'POST'): Promise<number> {
  const res = await s.app.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: method === 'POST' ? '{"update_id":1}' : undefined });
  return res.statusCode;
}

it('no chat app configured: every webhook answers 404', async () => {
  const s = await build({});
  for (const url of WEBHOOKS) {
    expect({ url, status: await status(s, url) }).toEqual({ url, status: 404 });
    expect({ url, status: await status(s, url, 'GET') }).toEqual({ url, status: 404 });
  }
  expect(await status(s, '/webhooks/whatsapp')).toBe(404);
});

it('polling mode serves no webhook either', async () => {
  const s = await build({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_MODE: 'polling', ZALO_BOT_TOKEN: '2:def', ZALO_BOT_MODE: 'polling' });
  expect(await status(s, '/webhooks/telegram')).toBe(404);
  expect(await status(s, '/webhooks/zalo-bot')).toBe(404);
  expect(await status(s, '/webhooks/zalo-oa')).toBe(404);
});

it('a configured channel serves only its own webhook', async () => {
  const s = await build({ TELEGRAM_BOT_TOKEN: '1:abc', TELEGRAM_WEBHOOK_SECRET: 'sec_ret', TELEGRAM_MODE: 'webhook' });
  expect(await status(s, '/webhooks/telegram')).toBe(401); // exists, but the secret is missing
  expect(await status(s, '/webhooks/zalo-bot')).toBe(404);
  expect(await status(s, '/webhooks/zalo-oa')).toBe(404);
});
