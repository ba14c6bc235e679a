// Hand-off tickets expire with their conversation: the sweep removes the ticket of a citizen
// silent for the conversation's lifetime (waiting or held by staff), closes its case as
// cancelled by the system, tells the consoles, and leaves the ticket of a citizen who wrote.
// One instance sweeps at a time.
import { expect, it } from 'vitest';
import type { LiveEvent } from '../../src/core/ports.ts';
import { TicketSweep } from '../../src/core/handoff/ticket-sweep.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { MemoryConversationHistory, MemoryEventBus, MemoryHandoffQueue, MemoryKeyValueStore } from '../../src/stores/index.ts';
import { ManualClock } from '../contracts/contract-support.ts';
import { sampleCase } from '../contracts/conversation-history.contract.ts';

const DAY = 86_400_000;

it('closes the tickets and cases of citizens silent for the conversation\'s lifetime, once, on one instance', async () => {
  const clock = new ManualClock(1_750_000_000_000);
  const start = clock.nowMs();
  const queue = new MemoryHandoffQueue();
  const history = new MemoryConversationHistory({ retentionMs: 60 * DAY, clock });
  const events = new MemoryEventBus();
  const kv = new MemoryKeyValueStore();
  const seen: LiveEvent[] = [];
  await events.subscribe((e) => seen.push(e));
  const left = sampleCase('telegram:1', start);
  await history.open(left, []);
  await queue.enqueue({ id: 'telegram:1', channel: 'telegram', waitingSinceMs: start, reason: 'asked', caseId: left.caseId });
  await queue.enqueue({ id: 'telegram:2', channel: 'telegram', waitingSinceMs: start, reason: 'asked' });
  clock.advance(29 * DAY);
  await queue.touch('telegram:2', 'tôi vẫn chờ', clock.nowMs());
  clock.advance(2 * DAY);

  const deps = { queue, history, events, kv, clock, logger: silentLogger, idleMs: 30 * DAY };
  expect(await new TicketSweep(deps).run()).toBe(1);
  expect(await new TicketSweep(deps).run()).toBe(0); // another instance, while the first one's lease lasts
  expect(await queue.ids()).toEqual(['telegram:2']);
  expect((await history.get(left.caseId))?.record).toMatchObject({ status: 'cancelled', closedBy: 'system' });
  await new Promise((r) => setTimeout(r, 10));
  expect(seen).toContainEqual(expect.objectContaining({ type: 'queue', conversationId: 'telegram:1' }));
});
