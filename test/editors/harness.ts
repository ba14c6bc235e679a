/**
 * A conversation bench for editors' tests: the real engine and content on memory stores, a
 * hand-moved clock, recording channels, the staff desk, and the analytics recorder wired as
 * in createServer (engine observer + claims reported by the queue).
 */
import type { ContentSnapshot } from '../../src/core/content.ts';
import { Engine } from '../../src/core/engine.ts';
import { HandoffDesk } from '../../src/core/handoff/desk.ts';
import { silentLogger, type AnalyticsStore } from '../../src/core/ports.ts';
import type { ChannelName, ConversationId, RenderedMessage } from '../../src/core/types.ts';
import { AnalyticsRecorder, reportClaims } from '../../src/reports/recorder.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { MemoryAnalyticsStore } from '../../src/stores/memory/memory-analytics-store.ts';
import { BUTTON_CAPS, RecordingChannel, TEXT_CAPS } from '../support/recording-channel.ts';

/** A bench: talk as citizens, act as staff, move time. */
export interface Bench {
  readonly engine: Engine;
  readonly desk: HandoffDesk;
  readonly stores: Stores;
  readonly recorder: AnalyticsRecorder;
  readonly analytics: AnalyticsStore;
  /** The live snapshot (replace it to simulate a content reload). */
  snapshot: ContentSnapshot;
  nowMs: number;
  /** Types `text`; resolves the reply texts. Time moves 1 s first. */
  say(channel: ChannelName, chatId: string, text: string): Promise<string[]>;
  /** Presses the button whose label contains `label` on the chat's latest menu. */
  press(channel: ChannelName, chatId: string, label: string): Promise<string[]>;
  /** The last message with buttons sent to a chat. */
  lastMenu(channel: ChannelName, chatId: string): RenderedMessage;
}

/** Builds a bench starting at `startMs`. */
export async function createBench(snapshot: ContentSnapshot, startMs: number): Promise<Bench> {
  let seq = 0;
  const channels = new Map<ChannelName, RecordingChannel>([
    ['telegram', new RecordingChannel('telegram', BUTTON_CAPS)],
    ['zalo-bot', new RecordingChannel('zalo-bot', TEXT_CAPS)],
    ['web', new RecordingChannel('web', BUTTON_CAPS)],
  ]);
  const clock = { nowMs: () => bench.nowMs };
  const stores = await createStores({ keyPrefix: 't:', conversationTtlMs: 30 * 86_400_000, transcriptMax: 50, logger: silentLogger, clock });
  const analytics = new MemoryAnalyticsStore({ retentionMs: 90 * 86_400_000, clock });
  const recorder = new AnalyticsRecorder({ store: analytics, clock, logger: silentLogger, flushEveryMs: 60_000 });
  const queue = reportClaims(stores.handoffs, (t) => recorder.claimed(t));
  const engine = new Engine({
    snapshot: () => bench.snapshot,
    store: stores.conversations,
    queue,
    events: stores.events,
    clock,
    logger: silentLogger,
    options: { conversationTtlDays: 30, rateLimitPerMinute: 0 },
    observer: recorder,
  });
  for (const c of channels.values()) engine.registerChannel(c);
  const desk = new HandoffDesk({ driver: engine, queue, store: stores.conversations, events: stores.events, audit: stores.audit, clock, snapshot: () => bench.snapshot, logger: silentLogger });
  const sent = (channel: ChannelName, chatId: string, from: number) => channels.get(channel)!.since(from, chatId).map((m) => m.text);

  const bench: Bench = {
    engine,
    desk,
    stores,
    recorder,
    analytics,
    snapshot,
    nowMs: startMs,
    async say(channel, chatId, text) {
      const from = channels.get(channel)!.sent.length;
      bench.nowMs += 1_000;
      await engine.handleInbound({ id: `m${++seq}`, channel, chatId, kind: 'text', text, sentAtMs: bench.nowMs });
      return sent(channel, chatId, from);
    },
    async press(channel, chatId, label) {
      // The newest message with such a button (a turn may end with two menus: 👍/👎, then related guides).
      const menus = [...channels.get(channel)!.sent].reverse().filter((m) => m.chatId === chatId && m.message.buttons.some((b) => b.kind === 'option'));
      const menu = menus.find((m) => m.message.buttons.some((b) => b.kind === 'option' && b.label.includes(label)))?.message ?? bench.lastMenu(channel, chatId);
      const button = menu.buttons.find((b) => b.kind === 'option' && b.label.includes(label));
      if (!button || button.kind !== 'option') throw new Error(`no button "${label}" in ${JSON.stringify(menu.buttons.map((b) => b.label))}`);
      const from = channels.get(channel)!.sent.length;
      bench.nowMs += 1_000;
      await engine.handleInbound({ id: `m${++seq}`, channel, chatId, kind: 'option', optionIndex: button.index, menuSeq: menu.menuSeq, sentAtMs: bench.nowMs });
      return sent(channel, chatId, from);
    },
    lastMenu(channel, chatId) {
      const found = [...channels.get(channel)!.sent].reverse().find((s) => s.chatId === chatId && s.message.buttons.some((b) => b.kind === 'option'));
      if (!found) throw new Error(`no menu sent to ${channel}:${chatId}`);
      return found.message;
    },
  };
  return bench;
}

/** The conversation id of a chat. */
export const convId = (channel: ChannelName, chatId: string): ConversationId => `${channel}:${chatId}`;
