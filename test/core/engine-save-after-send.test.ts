// The usual turn sends its replies first and saves with the lock's release (one Redis round
// trip). When that save fails (Redis gone mid-turn), the citizen already has the answer: it
// must not be sent again through the stateless path.
import { expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.ts';
import { StoreUnavailableError } from '../../src/core/errors.ts';
import { silentLogger, type ConversationStore } from '../../src/core/ports.ts';
import { createStores } from '../../src/stores/index.ts';
import { BUTTON_CAPS, RecordingChannel } from '../support/recording-channel.ts';
import { realSnapshot } from '../support/test-content.ts';

it('answers once when the save that goes with the release fails, and keeps the earlier state', async () => {
  const snapshot = await realSnapshot();
  const stores = await createStores({ keyPrefix: 't:', conversationTtlMs: 86_400_000, transcriptMax: 50, logger: silentLogger });
  const real = stores.conversations;
  let failFinalSave = false;
  // The memory store, with its final write failing like Redis going away would make it fail.
  const store: ConversationStore = Object.assign(Object.create(real) as ConversationStore, {
    withLockOnce: ((id, key, ttl, fn, wait) =>
      real.withLockOnce(
        id,
        key,
        ttl,
        async (state, saveOnRelease) => {
          const value = await fn(state, (s, t) => {
            if (failFinalSave) throw new StoreUnavailableError('redis down');
            saveOnRelease(s, t);
          });
          return value;
        },
        wait,
      )) as ConversationStore['withLockOnce'],
  });
  const channel = new RecordingChannel('telegram', BUTTON_CAPS);
  const engine = new Engine({
    snapshot: () => snapshot,
    store,
    queue: stores.handoffs,
    events: stores.events,
    clock: { nowMs: () => Date.now() },
    logger: silentLogger,
    options: { conversationTtlDays: 30, rateLimitPerMinute: 0 },
  });
  engine.registerChannel(channel);
  const msg = (id: string, text: string) => ({ id, channel: 'telegram' as const, chatId: '7', kind: 'text' as const, text, sentAtMs: Date.now() });

  await engine.handleInbound(msg('u1', 'đăng ký khai sinh cho con'));
  const saved = await real.get('telegram:7');
  expect(saved?.guideId).toBe('birth-registration'); // saved with the release
  expect((await real.transcript('telegram:7')).length).toBeGreaterThan(1);
  const before = channel.since(0, '7').length;

  failFinalSave = true;
  await engine.handleInbound(msg('u2', 'kich hoat dinh danh muc 2'));
  const replies = channel.since(before, '7').map((m) => m.text);
  expect(replies.length).toBeGreaterThan(0);
  expect(replies).not.toContain(snapshot.content.messages.vi.no_state); // not answered a second time, statelessly
  expect(new Set(replies).size).toBe(replies.length);
  expect((await real.get('telegram:7'))?.guideId).toBe('birth-registration'); // that turn's state is lost, no more
});
