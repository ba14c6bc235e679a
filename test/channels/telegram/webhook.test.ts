// Every fixture replayed through the real webhook route (setupTelegram's plugin in Fastify),
// with a stand-in engine that answers through the real TelegramChannel, against a fake Bot API.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupTelegram } from '../../../src/channels/telegram/setup.ts';
import { TELEGRAM_CAPABILITIES, TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/limits.ts';
import type { ChannelSetup } from '../../../src/channels/setup-types.ts';
import { renderForChannel } from '../../../src/core/render.ts';
import type { InboundMessage, OutboundMessage } from '../../../src/core/types.ts';
import { FakeTelegramServer } from '../../support/fake-telegram.ts';
import { RecordingInbound, TEST_SECRET, TEST_TOKEN, eventually, fixture, fixtureNames, testConfig, testContext } from './helpers.ts';

const GUIDE = 'Hướng dẫn kích hoạt định danh điện tử mức 2';
const MENU = [
  { kind: 'option' as const, index: 1, label: 'Có' },
  { kind: 'option' as const, index: 2, label: 'Không' },
];

/** What the stand-in engine answers (mirrors the real engine's kinds). */
function reply(msg: InboundMessage): OutboundMessage | null {
  switch (msg.kind) {
    case 'blocked':
      return null;
    case 'media':
      return { text: 'Xin lỗi, tôi chỉ đọc được chữ. Anh/chị vui lòng gõ câu hỏi.', buttons: [], menuSeq: 0 };
    case 'start':
      return { text: 'Chào anh/chị! Tôi là trợ lý dịch vụ công Cần Thơ.', buttons: MENU, menuSeq: 1 };
    default:
      return { text: `${GUIDE}\n\nBạn hỏi: ${msg.text ?? msg.optionIndex}`, buttons: MENU, menuSeq: 2 };
  }
}

let fake: FakeTelegramServer;
let app: FastifyInstance;
let setup: ChannelSetup;
let inbound: RecordingInbound;
let staffUpdates: unknown[];

/** Posts an update; `secret` null sends no secret header at all. */
async function post(body: unknown, secret: string | null = TEST_SECRET, raw?: string) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    payload: raw ?? JSON.stringify(body),
  });
}

/** Lets background work run; used only before asserting that nothing happened. */
const settle = () => new Promise((r) => setTimeout(r, 100));

beforeEach(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  fake.topics.set(3305, { chatId: FORUM, threadId: 3305, name: 'Căn cước', closed: false, deleted: false });
  staffUpdates = [];
  inbound = new RecordingInbound(async (msg) => {
    const out = reply(msg);
    if (!out) return;
    for (const chunk of renderForChannel(out, TELEGRAM_CAPABILITIES, { typeNumber: 'Gõ số để chọn.' })) {
      await setup.channel.send(msg.chatId, chunk);
    }
  });
  const config = testConfig(fake.apiRoot);
  setup = setupTelegram(testContext(config, inbound), {
    staffUpdateHandler: async (u) => {
      staffUpdates.push(u);
    },
  })!;
  app = Fastify();
  await app.register(setup.webhook!.plugin, setup.webhook!.options as never);
  await app.ready();
});

afterEach(async () => {
  await setup.stop?.();
  await app.close();
  await fake.close();
});

const LAN = 5512345678;
const GROUP = -1001987654321;
const FORUM = -1001876543210;
const REPLIES: Record<string, { chat: number; kind: InboundMessage['kind'] } | 'nothing' | 'answer-only' | 'staff'> = {
  'message-start': { chat: LAN, kind: 'start' },
  'message-text': { chat: LAN, kind: 'text' },
  'message-text-nfd': { chat: LAN, kind: 'text' },
  'message-emoji': { chat: LAN, kind: 'text' },
  'message-html-injection': { chat: LAN, kind: 'text' },
  'message-long': { chat: LAN, kind: 'text' },
  'message-pii': { chat: LAN, kind: 'text' },
  'message-photo': { chat: LAN, kind: 'media' },
  'message-voice': { chat: LAN, kind: 'media' },
  'message-sticker': { chat: LAN, kind: 'media' },
  'message-contact': { chat: LAN, kind: 'media' },
  'callback-query': { chat: LAN, kind: 'option' },
  'callback-query-menu-seq': { chat: LAN, kind: 'option' },
  'callback-query-unknown': 'answer-only',
  'group-mention': { chat: GROUP, kind: 'text' },
  'forum-topic-mention': { chat: FORUM, kind: 'text' },
  'forum-topic-callback': { chat: FORUM, kind: 'option' },
  'group-command': { chat: GROUP, kind: 'start' },
  'group-message': 'nothing',
  'group-command-other-bot': 'nothing',
  'edited-message': 'nothing',
  'my-chat-member-blocked': 'nothing',
  'my-chat-member-unblocked': 'nothing',
  'staff-topic-reply': 'staff',
};

describe('POST /webhooks/telegram: fixtures replayed', () => {
  it('covers every fixture in test/fixtures/telegram', () => {
    expect(Object.keys(REPLIES).sort()).toEqual(fixtureNames());
  });

  for (const [name, expected] of Object.entries(REPLIES)) {
    it(`${name} → ${typeof expected === 'string' ? expected : `${expected.kind} reply`}`, async () => {
      const update = fixture(name);
      const res = await post(update);
      expect(res.statusCode).toBe(200);

      if (typeof expected === 'object') {
        await eventually(() => expect(inbound.finished).toBe(1));
        const sends = fake.callsTo('sendMessage');
        expect(sends.length).toBeGreaterThan(0);
        expect(inbound.received).toHaveLength(1);
        expect(inbound.received[0]).toMatchObject({ id: `update:${update.update_id}`, channel: 'telegram', kind: expected.kind });
        for (const s of sends) expect(s.body.chat_id).toBe(expected.chat);
        // Replies in a forum topic go to that topic, not to General.
        for (const s of sends) expect(s.body.message_thread_id).toBe(expected.chat === FORUM ? 3305 : undefined);
        const last = sends.at(-1)!;
        if (expected.kind !== 'media') {
          expect(String(sends[0]!.body.text)).toMatch(expected.kind === 'start' ? /Chào anh\/chị/ : new RegExp(GUIDE));
          expect(last.body.reply_markup).toEqual({
            inline_keyboard: [
              [
                { text: 'Có', callback_data: expect.stringMatching(/^n:1:\d+$/) },
                { text: 'Không', callback_data: expect.stringMatching(/^n:2:\d+$/) },
              ],
            ],
          });
        } else {
          expect(String(last.body.text)).toContain('vui lòng gõ câu hỏi');
        }
        if (expected.kind === 'option') {
          const [answer] = await fake.waitForCalls('answerCallbackQuery', 1);
          expect(answer?.body).toEqual({ callback_query_id: (update.callback_query as { id: string }).id });
        }
      } else {
        if (expected === 'answer-only') await fake.waitForCalls('answerCallbackQuery', 1);
        if (expected === 'staff') await eventually(() => expect(staffUpdates).toHaveLength(1));
        await settle();
        expect(fake.callsTo('sendMessage')).toHaveLength(0);
        expect(inbound.received.filter((m) => m.kind !== 'blocked')).toHaveLength(0);
      }
    });
  }

  it('the blocked update reaches the engine as kind blocked, and nothing is sent to that chat afterwards', async () => {
    await post(fixture('my-chat-member-blocked'));
    await eventually(() => expect(inbound.received.map((m) => m.kind)).toEqual(['blocked']));
    await expect(setup.channel.send(String(LAN), { text: 'x', buttons: [], menuSeq: 0 })).rejects.toMatchObject({
      code: 'RECIPIENT_UNREACHABLE',
    });
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
    await post(fixture('my-chat-member-unblocked'));
    await post(fixture('message-start'));
    await fake.waitForCalls('sendMessage', 1);
  });

  it('HTML in a citizen message is escaped on the way back', async () => {
    await post(fixture('message-html-injection'));
    const [call] = await fake.waitForCalls('sendMessage', 1);
    expect(call?.body.parse_mode).toBe('HTML');
    expect(String(call?.body.text)).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href=');
    expect(String(call?.body.text)).not.toContain('<script>');
  });

  it('a long answer arrives as several messages, in order, none over the limit', async () => {
    await post(fixture('message-long'));
    await eventually(() => expect(inbound.finished).toBe(1));
    expect(fake.callsTo('sendMessage').length).toBeGreaterThanOrEqual(2);
    const texts = fake.callsTo('sendMessage').map((c) => String(c.body.text));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(texts[0]).toMatch(new RegExp(`^${GUIDE}`));
    const original = (fixture('message-long').message as { text: string }).text;
    expect(texts.join(' ').replace(/\s+/g, ' ')).toContain(original.slice(-200));
  });
});

describe('POST /webhooks/telegram: security and robustness', () => {
  it('forged or missing secret → 401, nothing processed, no call to the Bot API', async () => {
    for (const secret of [null, '', 'wrong', `${TEST_SECRET}x`, TEST_SECRET.slice(0, -1)]) {
      const res = await post(fixture('message-text'), secret);
      expect(res.statusCode, String(secret)).toBe(401);
    }
    const bad = await post(undefined, 'wrong', '{not json');
    expect(bad.statusCode).toBe(401);
    await settle();
    expect(inbound.received).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
  });

  it('the same update twice → processed once', async () => {
    const update = fixture('message-text');
    expect((await post(update)).statusCode).toBe(200);
    expect((await post(update)).statusCode).toBe(200);
    await fake.waitForCalls('sendMessage', 1);
    await settle();
    expect(inbound.received).toHaveLength(1);
    expect(fake.callsTo('sendMessage')).toHaveLength(1);
  });

  it('malformed bodies → 400 or 200, never 5xx, nothing processed', async () => {
    expect((await post(undefined, TEST_SECRET, '{not json')).statusCode).toBe(400);
    expect((await post({})).statusCode).toBe(400);
    expect((await post([])).statusCode).toBe(400);
    expect((await post({ update_id: 'x' })).statusCode).toBe(400);
    expect((await post({ update_id: 1, message: 'not a message' })).statusCode).toBe(200);
    expect((await post({ update_id: 2, message: { chat: {} } })).statusCode).toBe(200);
    await settle();
    expect(inbound.received).toHaveLength(0);
    expect(fake.callsTo('sendMessage')).toHaveLength(0);
  });

  it('answers 200 at once even when the engine fails; the failure is contained', async () => {
    const failing = setupTelegram(
      testContext(testConfig(fake.apiRoot), {
        handleInbound: async () => {
          throw new Error('engine exploded');
        },
      }),
    )!;
    const other = Fastify();
    await other.register(failing.webhook!.plugin, failing.webhook!.options as never);
    const res = await other.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'x-telegram-bot-api-secret-token': TEST_SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(fixture('callback-query')),
    });
    expect(res.statusCode).toBe(200);
    await fake.waitForCalls('answerCallbackQuery', 1); // the spinner still stops
    await failing.stop?.();
    await other.close();
  });

  it('answers 200 before the engine finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = setupTelegram(testContext(testConfig(fake.apiRoot), { handleInbound: () => gate }))!;
    const other = Fastify();
    await other.register(slow.webhook!.plugin, slow.webhook!.options as never);
    const res = await other.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'x-telegram-bot-api-secret-token': TEST_SECRET, 'content-type': 'application/json' },
      payload: JSON.stringify(fixture('message-text')),
    });
    expect(res.statusCode).toBe(200);
    release();
    await slow.stop?.();
    await other.close();
  });
});
