// Zalo Bot ids over the bound (real ones are ~20 characters) never make a conversation: staff
// could not open it (the staff API takes conversation ids of at most 200 characters).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZaloBotUpdate } from '../../../src/channels/zalo-bot/parse.ts';
import { CHAT_ID_MAX } from '../../../src/core/types.ts';
import type { Server } from '../../../src/server.ts';
import { testServer } from '../../console/helpers.ts';
import { fixtureJson } from './helpers.ts';

const NOW = 1_800_000_000_000;

function withIds(chatId: string, fromId = chatId): unknown {
  const body = fixtureJson<{ result: { message: { chat: { id: string }; from: { id: string } } } }>('zalo-bot/text-wrapped.json');
  body.result.message.chat.id = chatId;
  body.result.message.from.id = fromId;
  return body;
}

describe('Zalo Bot ids over 200 characters', () => {
  let server: Server;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('are refused by the parser (chat or sender), at any length past the bound', () => {
    expect(parseZaloBotUpdate(withIds('a'.repeat(CHAT_ID_MAX)), NOW).status).toBe('message');
    for (const long of ['a'.repeat(CHAT_ID_MAX + 1), 'b'.repeat(201), 'c'.repeat(5000)]) {
      expect(parseZaloBotUpdate(withIds(long), NOW).status).toBe('malformed');
      expect(parseZaloBotUpdate(withIds('6ede9afa66b88fe6d6a9', long), NOW).status).toBe('malformed');
    }
  });

  it('never reach the queue, even when a channel lets one through: the engine drops them', async () => {
    const chatId = 'z'.repeat(201);
    await server.engine.handleInbound({ id: 'long-1', channel: 'zalo-bot', chatId, kind: 'text', text: 'cho tôi gặp cán bộ', sentAtMs: Date.now() });
    expect(await server.stores.handoffs.list()).toEqual([]);
    expect(await server.stores.conversations.get(`zalo-bot:${chatId}`)).toBeNull();
  });
});
