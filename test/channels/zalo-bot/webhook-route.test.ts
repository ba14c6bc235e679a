import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { zaloBotWebhookPlugin } from '../../../src/channels/zalo-bot/webhook-route.ts';
import { capturingLogger, fixtureJson, recordingInbound } from './helpers.ts';

const SECRET = 'zalo-bot-webhook-secret-123';
const FIXTURES = ['text-wrapped', 'text-unwrapped', 'image', 'sticker', 'unsupported'] as const;

async function buildApp() {
  const inbound = recordingInbound();
  const typed: string[] = [];
  const pending: Promise<void>[] = [];
  const logger = capturingLogger();
  const app = Fastify();
  await app.register(zaloBotWebhookPlugin, {
    secret: SECRET,
    inbound,
    logger,
    clock: { nowMs: () => 1_764_205_900_000 },
    typing: async (chatId) => void typed.push(chatId),
    onDispatched: (done) => void pending.push(done),
  });
  await app.ready();
  return { app, inbound, typed, logger, settle: () => Promise.all(pending) };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('POST /webhooks/zalo-bot', () => {
  it.each(FIXTURES)('accepts the %s fixture with the right secret and hands it to the engine', async (name) => {
    const built = await buildApp();
    app = built.app;
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-bot',
      headers: { 'x-bot-api-secret-token': SECRET },
      payload: fixtureJson(`zalo-bot/${name}.json`) as object,
    });
    expect(response.statusCode).toBe(200);
    await built.settle();
    expect(built.inbound.messages).toHaveLength(1);
    expect(built.inbound.messages[0]!.channel).toBe('zalo-bot');
  });

  it('shows typing for text and unsupported messages only, before handing them on', async () => {
    const built = await buildApp();
    app = built.app;
    for (const name of FIXTURES) {
      await app.inject({
        method: 'POST',
        url: '/webhooks/zalo-bot',
        headers: { 'x-bot-api-secret-token': SECRET },
        payload: fixtureJson(`zalo-bot/${name}.json`) as object,
      });
    }
    await built.settle();
    expect(built.typed).toEqual(['6ede9afa66b88fe6d6a9', '6ede9afa66b88fe6d6a9', '8a8e6c0f1b2d3e4f5a6b']);
    // Arrival order is kept per chat even though each message waits for its typing hint.
    expect(built.inbound.messages.map((m) => m.kind)).toEqual(['text', 'text', 'media', 'media', 'unsupported']);
  });

  it.each([
    ['missing', undefined],
    ['forged', 'not-the-secret'],
    ['almost right', `${SECRET}x`],
  ])('refuses a %s secret with 401 and processes nothing', async (_label, header) => {
    const built = await buildApp();
    app = built.app;
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-bot',
      headers: header ? { 'x-bot-api-secret-token': header } : {},
      payload: fixtureJson('zalo-bot/text-wrapped.json') as object,
    });
    expect(response.statusCode).toBe(401);
    await built.settle();
    expect(built.inbound.messages).toEqual([]);
    expect(built.typed).toEqual([]);
  });

  it('checks the secret before parsing: bad JSON with a bad secret is 401, with the right one 400', async () => {
    const built = await buildApp();
    app = built.app;
    const bad = await app.inject({ method: 'POST', url: '/webhooks/zalo-bot', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(bad.statusCode).toBe(401);
    const invalid = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-bot',
      headers: { 'content-type': 'application/json', 'x-bot-api-secret-token': SECRET },
      payload: '{nope',
    });
    expect(invalid.statusCode).toBe(400);
    expect(built.inbound.messages).toEqual([]);
  });

  it('answers 200 to well-formed but unknown or malformed events and processes nothing', async () => {
    const built = await buildApp();
    app = built.app;
    for (const payload of [{ event_name: 'message.reaction.received', message: {} }, { hello: 'world' }, [1, 2]]) {
      const response = await app.inject({ method: 'POST', url: '/webhooks/zalo-bot', headers: { 'x-bot-api-secret-token': SECRET }, payload });
      expect(response.statusCode).toBe(200);
    }
    await built.settle();
    expect(built.inbound.messages).toEqual([]);
  });

  it('logs, and never crashes on, an engine failure', async () => {
    const built = await buildApp();
    app = built.app;
    built.inbound.handleInbound = async () => {
      throw new Error('engine down');
    };
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/zalo-bot',
      headers: { 'x-bot-api-secret-token': SECRET },
      payload: fixtureJson('zalo-bot/text-wrapped.json') as object,
    });
    expect(response.statusCode).toBe(200);
    await built.settle();
    expect(built.logger.lines.some((l) => l.level === 'error' && l.msg?.includes('handling failed'))).toBe(true);
  });
});
