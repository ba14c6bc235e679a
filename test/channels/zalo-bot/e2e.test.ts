/**
 * End to end: the real server (createServer, PORT 0, in-memory store) with the Zalo Bot
 * Platform pointed at the fake API, every fixture replayed through the real webhook route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { createServer, type Server } from '../../../src/server.ts';
import { startFakeZaloBotApi, type FakeZaloBotApi } from '../../support/fake-zalo.ts';
import { fixtureJson } from './helpers.ts';

const TOKEN = '1234567890:e2e-bot-token';
const SECRET = 'e2e-zalo-bot-secret';
const CITIZEN = '6ede9afa66b88fe6d6a9';
const PROTECTED = '8a8e6c0f1b2d3e4f5a6b';

let fake: FakeZaloBotApi;
let server: Server;
let base: string;

beforeAll(async () => {
  fake = await startFakeZaloBotApi(TOKEN);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'false',
    ZALO_BOT_TOKEN: TOKEN,
    ZALO_BOT_WEBHOOK_SECRET: SECRET,
    ZALO_BOT_API_ROOT: fake.url,
  });
  server = await createServer(config, { logger: createLogger('silent') });
  base = await server.start();
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

function post(body: unknown, secret: string | null = SECRET): Promise<Response> {
  return fetch(`${base}/webhooks/zalo-bot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret ? { 'x-bot-api-secret-token': secret } : {}) },
    body: JSON.stringify(body),
  });
}

function sentTo(chatId: string): string[] {
  return fake.sentMessages().filter((m) => m.chat_id === chatId).map((m) => m.text);
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Replays a fixture, as another citizen when `asChat` is given (the fixtures share one chat). */
async function replay(name: string, chatId: string, asChat?: string): Promise<string[]> {
  const before = sentTo(asChat ?? chatId).length;
  const update = fixtureJson<Record<string, unknown>>(`zalo-bot/${name}.json`);
  if (asChat) {
    const message = ((update.result ?? update) as { message: { from: { id: string }; chat: { id: string } } }).message;
    message.from.id = asChat;
    message.chat.id = asChat;
  }
  chatId = asChat ?? chatId;
  const response = await post(update);
  expect(response.status).toBe(200);
  await until(() => sentTo(chatId).length > before);
  await new Promise((r) => setTimeout(r, 50)); // let multi-chunk answers finish
  return sentTo(chatId).slice(before);
}

describe('Zalo Bot Platform end to end', () => {
  it('does not call setWebhook without PUBLIC_URL', () => {
    expect(fake.server.calls('/setWebhook')).toEqual([]);
  });

  it('answers the wrapped and the bare text fixtures with sendMessage(chat_id, text)', async () => {
    const first = await replay('text-wrapped', CITIZEN);
    expect(first.length).toBeGreaterThan(0);
    const second = await replay('text-unwrapped', CITIZEN);
    expect(second.length).toBeGreaterThan(0);
    const call = fake.server.calls('/sendMessage')[0]!;
    expect(call.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(Object.keys(call.body as object).sort()).toEqual(['chat_id', 'text']);
  });

  it('answers images and stickers politely, and protected users without asking them to resend', async () => {
    // (The fixtures' citizen asked for a person above, so the bot is silent for them now.)
    expect((await replay('image', CITIZEN, 'citizen-image')).length).toBeGreaterThan(0);
    expect((await replay('sticker', CITIZEN, 'citizen-sticker')).length).toBeGreaterThan(0);
    const help = await replay('unsupported', PROTECTED);
    expect(help.join('\n')).toMatch(/\n1\. /); // the menu, as numbers
    expect(help.join('\n').toLowerCase()).not.toContain('gửi lại');
  });

  it('keeps every message within 2,000 characters and never uses buttons', () => {
    for (const m of fake.sentMessages()) expect(m.text.length).toBeLessThanOrEqual(2000);
  });

  it('de-duplicates a replayed event', async () => {
    const before = fake.sentMessages().length;
    expect((await post(fixtureJson('zalo-bot/text-wrapped.json'))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sentMessages().length).toBe(before);
  });

  it('refuses a forged or missing secret with 401 and sends nothing', async () => {
    const before = fake.server.requests.length;
    const update = fixtureJson<{ result: { message: { message_id: string } } }>('zalo-bot/text-wrapped.json');
    update.result.message.message_id = 'forged-1';
    expect((await post(update, 'wrong-secret')).status).toBe(401);
    expect((await post(update, null)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.server.requests.length).toBe(before);
  });

  it('a typed "2" after a numbered menu picks the second option', async () => {
    const chat = 'citizen-menu';
    const menuUpdate = fixtureJson<{ result: { message: { message_id: string; text: string; from: { id: string }; chat: { id: string } } } }>(
      'zalo-bot/text-wrapped.json',
    );
    menuUpdate.result.message.from.id = chat;
    menuUpdate.result.message.chat.id = chat;
    menuUpdate.result.message.message_id = 'menu-1';
    menuUpdate.result.message.text = 'menu';
    let before = sentTo(chat).length;
    await post(menuUpdate);
    await until(() => sentTo(chat).length > before);
    await new Promise((r) => setTimeout(r, 50));
    const menu = sentTo(chat).slice(before).join('\n');
    const second = /\n2\. (.+)/.exec(menu)?.[1];
    expect(second).toBeTruthy();

    const pick = structuredClone(menuUpdate);
    pick.result.message.message_id = 'pick-2';
    pick.result.message.text = '2';
    before = sentTo(chat).length;
    await post(pick);
    await until(() => sentTo(chat).length > before);
    await new Promise((r) => setTimeout(r, 50));
    const answer = sentTo(chat).slice(before).join('\n');
    // The answer is about the second option (its label without the leading emoji).
    expect(answer).toContain(second!.replace(/^\S+\s+/, '').trim());
  });
});
