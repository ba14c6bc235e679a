/** Helpers for the Telegram staff group tests: a real server on a fake Bot API, citizens, staff. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { StartedServer } from '../../support/test-server.ts';
import { startTestServer } from '../../support/test-server.ts';
import type { FakeTelegramCall, FakeTelegramServer } from '../../support/fake-telegram.ts';
import { TEST_SECRET, TEST_TOKEN, fixture } from './helpers.ts';

/** The staff supergroup of the fixtures. */
export const STAFF_CHAT = -1002233445566;

const STAFF_FIXTURES = join(import.meta.dirname, '../../fixtures/telegram/staff');

/** A staff-group fixture, parsed. */
export function staffFixture(name: string): { update_id: number; message: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(STAFF_FIXTURES, `${name}.json`), 'utf8')) as { update_id: number; message: Record<string, unknown> };
}

let nextUpdateId = 900_000_000;

/** A fresh update id (each test server de-duplicates by update_id). */
export const updateId = (): number => ++nextUpdateId;

/** Starts the real server (memory stores unless env.REDIS_URL) with Telegram and the staff group on `fake`. */
export function startStaffServer(fake: FakeTelegramServer, env: Record<string, string> = {}): Promise<StartedServer> {
  return startTestServer({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT),
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
}

/** Posts an update to the server's Telegram webhook. */
export async function postUpdate(base: string, update: unknown): Promise<void> {
  const res = await fetch(`${base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TEST_SECRET },
    body: JSON.stringify(update),
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

/** A Telegram citizen (private chat `chatId`) writes `text`. */
export async function citizenWrites(base: string, chatId: number, text: string): Promise<void> {
  const base_ = fixture('message-text') as unknown as { message: Record<string, unknown> };
  const message = {
    ...base_.message,
    message_id: updateId(),
    from: { id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' },
    chat: { id: chatId, first_name: 'Lan', type: 'private' },
    date: Math.floor(Date.now() / 1000),
    text,
  };
  await postUpdate(base, { update_id: updateId(), message });
}

/** Someone writes `text` in topic `threadId` of the staff group (default: Hòa, @Hoa_NinhKieu). */
export async function staffWrites(base: string, threadId: number, text: string, from?: Record<string, unknown>): Promise<void> {
  const f = staffFixture('topic-text');
  await postUpdate(base, {
    update_id: updateId(),
    message: { ...f.message, message_id: updateId(), message_thread_id: threadId, text, ...(from ? { from } : {}) },
  });
}

/** Texts the bot sent into a topic of the staff group. */
export function topicTexts(fake: FakeTelegramServer, threadId: number): string[] {
  return fake
    .callsTo('sendMessage')
    .filter((c) => c.body.chat_id === STAFF_CHAT && c.body.message_thread_id === threadId)
    .map((c) => String(c.body.text));
}

/** Texts the bot sent to a private chat. */
export function chatTexts(fake: FakeTelegramServer, chatId: number): string[] {
  return fake
    .callsTo('sendMessage')
    .filter((c) => c.body.chat_id === chatId)
    .map((c) => String(c.body.text));
}

/** The createForumTopic calls so far. */
export function topicCreations(fake: FakeTelegramServer): FakeTelegramCall[] {
  return fake.callsTo('createForumTopic');
}

/** Resolves once the fake has received no call for `quietMs`. */
export async function settled(fake: FakeTelegramServer, quietMs = 250): Promise<void> {
  let seen = -1;
  while (seen !== fake.calls.length) {
    seen = fake.calls.length;
    await new Promise((r) => setTimeout(r, quietMs));
  }
}

/** The thread id of the `n`-th topic the fake created (1-based; default the last). */
export function topicId(fake: FakeTelegramServer, n?: number): number {
  const all = [...fake.topics.values()];
  const topic = n === undefined ? all.at(-1) : all[n - 1];
  if (!topic) throw new Error('no topic created');
  return topic.threadId;
}

export { eventually } from '../../support/eventually.ts';
