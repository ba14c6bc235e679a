// A conversation lock that cannot be had in time (another instance's stale lock, a turn stuck
// for long) must never make the engine drop the message: it is answered without state, with
// the "cannot keep your place" notice, and once only.
import { expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { createStores } from '../../src/stores/index.ts';
import { BUTTON_CAPS, RecordingChannel } from '../support/recording-channel.ts';
import { realSnapshot } from '../support/test-content.ts';

it('answers statelessly, once, when the conversation lock is not free within the wait', async () => {
  const snapshot = await realSnapshot();
  const stores = await createStores({ keyPrefix: 't:', conversationTtlMs: 86_400_000, transcriptMax: 50, logger: silentLogger });
  const channel = new RecordingChannel('telegram', BUTTON_CAPS);
  const engine = new Engine({
    snapshot: () => snapshot,
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock: { nowMs: () => Date.now() },
    logger: silentLogger,
    options: { conversationTtlDays: 30, rateLimitPerMinute: 0, lockWaitMs: 50 },
  });
  engine.registerChannel(channel);

  // Something holds the conversation's lock for longer than the engine waits.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const holder = stores.conversations.withLock('telegram:42', () => held);
  const msg = { id: 'u1', channel: 'telegram' as const, chatId: '42', kind: 'text' as const, text: 'đăng ký khai sinh cho con', sentAtMs: Date.now() };
  await engine.handleInbound(msg);
  const replies = channel.since(0, '42').map((m) => m.text);
  expect(replies[0]).toBe(snapshot.content.messages.vi.no_state);
  expect(replies.length).toBeGreaterThan(1); // the answer itself follows the notice

  release();
  await holder;
  await engine.handleInbound(msg); // the platform delivers it again: not answered twice
  expect(channel.since(0, '42')).toHaveLength(replies.length);
});
