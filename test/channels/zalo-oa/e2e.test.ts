/**
 * End to end: the real server (createServer, PORT 0, in-memory store) with the Zalo OA pointed
 * at the fake OA + OAuth API, the signed fixture replayed through the real webhook route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeZaloOaSignature } from '../../../src/channels/zalo-oa/verify.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log/logger.ts';
import { createServer, type Server } from '../../../src/server.ts';
import { startFakeZaloOaApi, type FakeZaloOaApi } from '../../support/fake-zalo.ts';
import { fixedClock, fixtureBytes, fixtureJson } from '../zalo-bot/helpers.ts';

const raw = fixtureBytes('zalo-oa/user-send-text.body.json');
const meta = fixtureJson<{ app_id: string; oa_secret_key: string; header_value: string }>('zalo-oa/user-send-text.meta.json');
const EVENT_MS = 1764205850000;
const CITIZEN = '246845883529197922';

let fake: FakeZaloOaApi;
let server: Server;
let base: string;
const clock = fixedClock(EVENT_MS + 1_000); // the fixture is dated 2025

beforeAll(async () => {
  fake = await startFakeZaloOaApi({ appId: meta.app_id, appSecret: 'app-secret', accessToken: 'at-0', refreshToken: 'rt-0' });
  fake.state.validAccessTokens.clear(); // the configured access token has expired: the first send refreshes it
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'false',
    ZALO_OA_APP_ID: meta.app_id,
    ZALO_OA_SECRET_KEY: meta.oa_secret_key,
    ZALO_OA_APP_SECRET: 'app-secret',
    ZALO_OA_ACCESS_TOKEN: 'at-0',
    ZALO_OA_REFRESH_TOKEN: 'rt-0',
    ZALO_OA_API_ROOT: fake.url,
    ZALO_OA_OAUTH_ROOT: fake.url,
  });
  server = await createServer(config, { logger: createLogger('silent'), clock });
  base = await server.start();
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

function post(body: Buffer, signature?: string): Promise<Response> {
  return fetch(`${base}/webhooks/zalo-oa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-zevent-signature': signature } : {}) },
    body: new Uint8Array(body),
  });
}

function signed(event: Record<string, unknown>): [Buffer, string] {
  const bytes = Buffer.from(JSON.stringify({ app_id: meta.app_id, timestamp: String(clock.nowMs()), ...event }));
  const timestamp = String(JSON.parse(bytes.toString()).timestamp);
  return [bytes, `mac=${computeZaloOaSignature(meta.app_id, bytes, timestamp, meta.oa_secret_key)}`];
}

async function sendText(userId: string, text: string, msgId: string): Promise<void> {
  const [body, signature] = signed({ event_name: 'user_send_text', sender: { id: userId }, recipient: { id: 'oa' }, message: { text, msg_id: msgId } });
  expect((await post(body, signature)).status).toBe(200);
}

function deliveredTo(userId: string) {
  return fake.delivered().filter((m) => m.recipient.user_id === userId);
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Zalo OA end to end', () => {
  it('answers the signed fixture through /v3.0/oa/message/cs after refreshing the expired token once', async () => {
    const response = await post(raw, meta.header_value);
    expect(response.status).toBe(200);
    await until(() => deliveredTo(CITIZEN).length > 0);
    expect(fake.state.refreshCount).toBe(1);
    expect(fake.server.calls('/message/cs').at(-1)!.headers['access_token']).toBe('at-1');
    expect(JSON.parse((await server.stores.kv.get('zalo-oa:tokens'))!)).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });
    await new Promise((r) => setTimeout(r, 200)); // let a multi-part answer finish
    for (const m of fake.delivered()) expect(String(m.message.text).length).toBeLessThanOrEqual(2000);
  });

  it('refuses the fixture with one byte changed, and a missing signature, with 401', async () => {
    const before = fake.server.requests.length;
    const changed = Buffer.from(raw);
    changed[changed.indexOf('14')] = '5'.charCodeAt(0);
    expect((await post(changed, meta.header_value)).status).toBe(401);
    expect((await post(raw)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.server.requests.length).toBe(before);
  });

  it('welcomes a new follower; typed "2" picks the second topic; a button press comes back with its number and menu', async () => {
    const [follow, sig] = signed({ event_name: 'follow', oa_id: 'oa', follower: { id: 'follower-1' }, source: 'oa_profile' });
    expect((await post(follow, sig)).status).toBe(200);
    await until(() => deliveredTo('follower-1').length > 0);
    await new Promise((r) => setTimeout(r, 100));
    // The topic menu has more options than a template holds (5): a numbered menu.
    const welcome = deliveredTo('follower-1').map((m) => String(m.message.text)).join('\n');
    const secondTopic = /\n2\. (.+)/.exec(welcome)?.[1];
    expect(secondTopic).toBeTruthy();

    let before = deliveredTo('follower-1').length;
    await sendText('follower-1', '2', 'typed-2');
    await until(() => deliveredTo('follower-1').length > before);
    await new Promise((r) => setTimeout(r, 100));
    const category = deliveredTo('follower-1').slice(before);
    expect(category.map((m) => String(m.message.text)).join('\n')).toContain(secondTopic!.replace(/^\S+\s+/, '').trim());
    // A short menu: native buttons (oa.query.hide carrying the option number and the menu), numbered in the text too.
    const last = category.at(-1)!.message;
    const attachment = last.attachment as { payload: { template_type?: string; buttons: { type: string; title: string; payload: unknown }[] } };
    expect(attachment.payload.template_type).toBeUndefined();
    const first = attachment.payload.buttons[0]!;
    expect(first).toMatchObject({ type: 'oa.query.hide' });
    expect(String(first.payload)).toMatch(/^#n:1:\d+$/);
    expect(String(last.text)).toContain(`1. ${first.title}`);

    before = deliveredTo('follower-1').length;
    await sendText('follower-1', String(first.payload), 'press-1'); // what Zalo sends when the button is pressed
    await until(() => deliveredTo('follower-1').length > before);
    await new Promise((r) => setTimeout(r, 100));
    const answer = deliveredTo('follower-1').slice(before).map((m) => String(m.message.text)).join('\n');
    expect(answer.toLowerCase()).toContain(first.title.toLowerCase().slice(0, 12));
  });

  it('marks a conversation unreachable on -230 and sends nothing more for unfollow', async () => {
    fake.state.inactiveUsers.add('inactive-1');
    const [text, sig] = signed({ event_name: 'user_send_text', sender: { id: 'inactive-1' }, recipient: { id: 'oa' }, message: { text: 'menu', msg_id: 'i-1' } });
    expect((await post(text, sig)).status).toBe(200);
    await until(() => fake.server.calls('/message/cs').some((r) => (r.body as { recipient: { user_id: string } }).recipient.user_id === 'inactive-1'));
    await new Promise((r) => setTimeout(r, 100));
    const state = await server.stores.conversations.get('zalo-oa:inactive-1');
    expect(state?.unreachable).toBe(true);

    const before = fake.server.calls('/message/cs').length;
    const [unfollow, unfollowSig] = signed({ event_name: 'unfollow', oa_id: 'oa', follower: { id: 'follower-1' } });
    expect((await post(unfollow, unfollowSig)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.server.calls('/message/cs').length).toBe(before);
  });

  it('shows the OA as ready on /readyz', async () => {
    const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: { name: string; ok: boolean }[] };
    expect(ready.checks.find((c) => c.name === 'zalo-oa')).toMatchObject({ ok: true });
  });
});
