import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { zaloOaWebhookPlugin } from '../../../src/channels/zalo-oa/webhook-route.ts';
import { computeZaloOaSignature } from '../../../src/channels/zalo-oa/verify.ts';
import type { InboundHandler } from '../../../src/core/ports.ts';
import { capturingLogger, fixedClock, fixtureBytes, fixtureJson, recordingInbound } from '../zalo-bot/helpers.ts';

const raw = fixtureBytes('zalo-oa/user-send-text.body.json');
const meta = fixtureJson<{ app_id: string; oa_secret_key: string; header_value: string }>('zalo-oa/user-send-text.meta.json');
const EVENT_MS = 1764205850000;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(options: { inbound?: InboundHandler; nowMs?: number } = {}) {
  const inbound = options.inbound ?? recordingInbound();
  const pending: Promise<void>[] = [];
  const logger = capturingLogger();
  app = Fastify();
  await app.register(zaloOaWebhookPlugin, {
    appId: meta.app_id,
    secretKey: meta.oa_secret_key,
    maxEventAgeS: 300,
    clock: fixedClock(options.nowMs ?? EVENT_MS + 1_000),
    inbound,
    logger,
    onDispatched: (done) => void pending.push(done),
  });
  // A sibling route outside the plugin: it must keep Fastify's normal JSON parser.
  app.post('/other', async (request) => ({ isBuffer: Buffer.isBuffer(request.body), body: request.body }));
  await app.ready();
  return { app, inbound, logger, settle: () => Promise.all(pending) };
}

function post(target: FastifyInstance, body: Buffer, signature?: string) {
  return target.inject({
    method: 'POST',
    url: '/webhooks/zalo-oa',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-zevent-signature': signature } : {}) },
    payload: body,
  });
}

function sign(body: object): { bytes: Buffer; signature: string } {
  const bytes = Buffer.from(JSON.stringify(body));
  const timestamp = String((body as { timestamp: string }).timestamp);
  return { bytes, signature: `mac=${computeZaloOaSignature(meta.app_id, bytes, timestamp, meta.oa_secret_key)}` };
}

describe('POST /webhooks/zalo-oa', () => {
  it('accepts the signed fixture (exact bytes) and hands the text to the engine', async () => {
    const built = await build();
    const response = await post(built.app, raw, meta.header_value);
    expect(response.statusCode).toBe(200);
    await built.settle();
    expect((built.inbound as ReturnType<typeof recordingInbound>).messages).toMatchObject([
      { id: 'user_send_text:96d51c5a5d1ca442fd0b', kind: 'text', chatId: '246845883529197922', text: 'làm căn cước cho con dưới 14 tuổi' },
    ]);
  });

  it('accepts the bare hex signature too', async () => {
    const built = await build();
    expect((await post(built.app, raw, meta.header_value.slice(4))).statusCode).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['forged', `mac=${'0'.repeat(64)}`],
  ])('refuses a %s signature with 401 and processes nothing', async (_label, signature) => {
    const built = await build();
    expect((await post(built.app, raw, signature)).statusCode).toBe(401);
    await built.settle();
    expect((built.inbound as ReturnType<typeof recordingInbound>).messages).toEqual([]);
  });

  it('refuses the fixture with one byte changed', async () => {
    const built = await build();
    const changed = Buffer.from(raw);
    const at = changed.indexOf('con');
    changed[at] = 'k'.charCodeAt(0);
    expect((await post(built.app, changed, meta.header_value)).statusCode).toBe(401);
    expect((built.inbound as ReturnType<typeof recordingInbound>).messages).toEqual([]);
  });

  it('refuses a replayed (stale) event', async () => {
    const built = await build({ nowMs: EVENT_MS + 10 * 60_000 });
    expect((await post(built.app, raw, meta.header_value)).statusCode).toBe(401);
    expect(built.logger.lines.some((l) => (l.obj as { reason?: string }).reason === 'stale')).toBe(true);
  });

  it('answers before the engine is done (acknowledge first, process after)', async () => {
    let release!: () => void;
    const started: string[] = [];
    const inbound: InboundHandler = {
      handleInbound: (message) =>
        new Promise<void>((resolve) => {
          started.push(message.id);
          release = resolve;
        }),
    };
    const built = await build({ inbound });
    const response = await post(built.app, raw, meta.header_value);
    expect(response.statusCode).toBe(200);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['user_send_text:96d51c5a5d1ca442fd0b']);
    release();
    await built.settle();
  });

  it('answers 200 and does nothing for events the OA itself caused', async () => {
    const built = await build();
    const { bytes, signature } = sign({
      app_id: meta.app_id,
      event_name: 'oa_send_text',
      sender: { id: 'oa' },
      recipient: { id: 'u1' },
      message: { text: 'hi', msg_id: 'x' },
      timestamp: String(EVENT_MS),
    });
    expect((await post(built.app, bytes, signature)).statusCode).toBe(200);
    await built.settle();
    expect((built.inbound as ReturnType<typeof recordingInbound>).messages).toEqual([]);
  });

  it('passes follow as start and unfollow as blocked', async () => {
    const built = await build();
    for (const event_name of ['follow', 'unfollow']) {
      const { bytes, signature } = sign({ app_id: meta.app_id, event_name, follower: { id: 'u9' }, oa_id: 'oa', timestamp: String(EVENT_MS) });
      expect((await post(built.app, bytes, signature)).statusCode).toBe(200);
    }
    await built.settle();
    expect((built.inbound as ReturnType<typeof recordingInbound>).messages.map((m) => m.kind)).toEqual(['start', 'blocked']);
  });

  it('keeps the raw-body parser inside its own scope', async () => {
    const built = await build();
    const response = await built.app.inject({ method: 'POST', url: '/other', payload: { a: 1 } });
    expect(response.json()).toEqual({ isBuffer: false, body: { a: 1 } });
  });
});
