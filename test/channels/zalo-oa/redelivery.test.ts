// Issue 20: Zalo redelivers an event for hours when our webhook did not answer 200 (an outage, a
// burst answered 503). A correctly signed redelivery is accepted for the whole retry window and
// handled once, de-duplicated by its event id; refusals are counted and their warn lines throttled.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookWatch } from '../../../src/channels/webhook-watch.ts';
import { zaloOaWebhookPlugin } from '../../../src/channels/zalo-oa/webhook-route.ts';
import { computeZaloOaSignature } from '../../../src/channels/zalo-oa/verify.ts';
import { loadConfig } from '../../../src/config.ts';
import { capturingLogger, fixedClock, fixtureJson, MapKv, recordingInbound } from '../zalo-bot/helpers.ts';

const meta = fixtureJson<{ app_id: string; oa_secret_key: string }>('zalo-oa/user-send-text.meta.json');
const EVENT_MS = 1764205850000;
const HOUR_MS = 60 * 60 * 1000;

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function signed(body: object): { bytes: Buffer; signature: string } {
  const bytes = Buffer.from(JSON.stringify(body));
  const timestamp = String((body as { timestamp: string }).timestamp);
  return { bytes, signature: `mac=${computeZaloOaSignature(meta.app_id, bytes, timestamp, meta.oa_secret_key)}` };
}

async function build(maxEventAgeS: number) {
  const clock = fixedClock(EVENT_MS);
  const inbound = recordingInbound();
  const logger = capturingLogger();
  const refused: string[] = [];
  const watch = new WebhookWatch({ logger, count: (channel, reason) => refused.push(`${channel}:${reason}`), nowMs: () => clock.nowMs() });
  const pending: Promise<void>[] = [];
  app = Fastify();
  await app.register(zaloOaWebhookPlugin, {
    appId: meta.app_id,
    secretKey: meta.oa_secret_key,
    maxEventAgeS,
    clock,
    inbound,
    logger,
    kv: new MapKv(),
    watch,
    onDispatched: (done) => void pending.push(done),
  });
  await app.ready();
  const post = (bytes: Buffer, signature: string) =>
    app!.inject({ method: 'POST', url: '/webhooks/zalo-oa', headers: { 'content-type': 'application/json', 'x-zevent-signature': signature }, payload: bytes });
  return { clock, inbound, logger, refused, watch, post, settle: () => Promise.all(pending) };
}

const EVENT = {
  app_id: meta.app_id,
  event_name: 'user_send_text',
  sender: { id: '246845883529197922' },
  recipient: { id: '388613280878808645' },
  message: { text: 'làm căn cước cho con', msg_id: 'redelivered-msg-1' },
  timestamp: String(EVENT_MS),
};

describe('Zalo OA redeliveries', () => {
  it('the default window covers a day of retries (ZALO_OA_MAX_EVENT_AGE_S)', () => {
    expect(loadConfig({}).ZALO_OA_MAX_EVENT_AGE_S).toBe(86_400);
  });

  it('a signed event redelivered after 1 hour is processed once, however often it comes again', async () => {
    const b = await build(loadConfig({}).ZALO_OA_MAX_EVENT_AGE_S);
    const { bytes, signature } = signed(EVENT);
    // Zalo's first tries failed (our outage); its retry an hour later carries the same signed bytes.
    b.clock.set(EVENT_MS + HOUR_MS);
    expect((await b.post(bytes, signature)).statusCode).toBe(200);
    b.clock.set(EVENT_MS + HOUR_MS + 5 * 60_000);
    const again = await b.post(bytes, signature);
    expect(again.statusCode).toBe(200); // still 200: Zalo must stop retrying
    expect(again.json()).toMatchObject({ duplicate: true });
    b.clock.set(EVENT_MS + 6 * HOUR_MS);
    expect((await b.post(bytes, signature)).statusCode).toBe(200);
    await b.settle();
    expect(b.inbound.messages.map((m) => m.id)).toEqual(['user_send_text:redelivered-msg-1']);
    expect(b.refused).toEqual([]);
  });

  it('refuses an event older than the window as stale, counted and logged', async () => {
    const b = await build(86_400);
    const { bytes, signature } = signed(EVENT);
    b.clock.set(EVENT_MS + 25 * HOUR_MS);
    expect((await b.post(bytes, signature)).statusCode).toBe(401);
    await b.settle();
    expect(b.inbound.messages).toEqual([]);
    expect(b.refused).toEqual(['zalo-oa:stale']);
  });

  it('a flood of forged requests is counted one by one but logged once per minute', async () => {
    const b = await build(86_400);
    const { bytes } = signed(EVENT);
    for (let i = 0; i < 200; i++) {
      expect((await b.post(bytes, `mac=${'0'.repeat(64)}`)).statusCode).toBe(401);
    }
    expect(b.refused).toHaveLength(200);
    expect(new Set(b.refused)).toEqual(new Set(['zalo-oa:bad-signature']));
    const warns = () => b.logger.lines.filter((l) => l.level === 'warn' && String(l.msg).includes('zalo-oa webhook refused'));
    expect(warns()).toHaveLength(1);
    b.clock.advance(61_000);
    expect((await b.post(bytes, `mac=${'0'.repeat(64)}`)).statusCode).toBe(401);
    expect(warns()).toHaveLength(2);
    expect(warns()[1]!.obj).toMatchObject({ notLogged: 199 });
  });

  it('looks misconfigured after several refusals with nothing accepted (a hint for /readyz), and well again once an event is accepted', async () => {
    const b = await build(86_400);
    const { bytes, signature } = signed(EVENT);
    for (let i = 0; i < 4; i++) await b.post(bytes, `mac=${'1'.repeat(64)}`);
    expect(b.watch.suspicion('zalo-oa')).toBeUndefined();
    await b.post(bytes, `mac=${'1'.repeat(64)}`);
    expect(b.watch.suspicion('zalo-oa')).toMatch(/^5 webhook requests refused since .* \(last: bad-signature\) and none accepted: check the secret or key$/);
    b.clock.set(EVENT_MS + HOUR_MS);
    expect((await b.post(bytes, signature)).statusCode).toBe(200);
    expect(b.watch.suspicion('zalo-oa')).toBeUndefined();
  });
});
