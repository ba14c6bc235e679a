/**
 * Whole conversations through the real engine, in memory: each scripted turn goes in as the
 * citizen's message (or a button press, `[N]`), and what the bot did comes out per turn. Used by
 * `npm run converse` and `npm run eval -- --conversations`.
 */
import type { ContentSnapshot } from '../core/content.ts';
import type { TurnDecision } from '../core/dialogue/dialogue.ts';
import { Engine } from '../core/engine.ts';
import { silentLogger, type Channel, type Clock } from '../core/ports.ts';
import type { InboundMessage, Lang } from '../core/types.ts';
import { createStores, type Stores } from '../stores/index.ts';

/** One conversation to run: its id and what the citizen says, turn by turn. */
export interface ConversationScript {
  readonly id: string;
  readonly turns: readonly string[];
}

/** What the bot did with one turn (the `converse` contract). */
export interface TurnReport {
  readonly decision: TurnDecision;
  /** The guide the conversation is on after the turn. */
  readonly guide: string | null;
  /** The part of the guide this reply answered. */
  readonly aspect: string | null;
  readonly lang: Lang;
}

/** A channel that drops what it is sent: only the turns' outcomes are read. */
const quietChannel: Channel = {
  name: 'cli',
  capabilities: { textLimit: 4000, optionButtons: true, urlButtons: true, maxButtons: 16, buttonLabelLimit: 64 },
  send: async () => undefined,
};

/** A button press typed as `[N]`. */
const PRESS = /^\[(\d{1,2})\]$/;

/** Runs scripted conversations, one after the other, each in a fresh chat. */
export class Conversations {
  private stores: Stores | undefined;
  private engine: Engine | undefined;
  private last: TurnReport | undefined;
  private count = 0;
  /** A clock that moves a minute per message: office hours stay put, nothing expires. */
  private readonly clock: Clock & { ms: number } = { ms: Date.parse('2026-11-24T09:00:00+07:00'), nowMs() { return this.ms; } };

  constructor(private readonly snapshot: ContentSnapshot) {}

  private async ready(): Promise<Engine> {
    if (this.engine) return this.engine;
    this.stores = await createStores({ keyPrefix: 'converse:', conversationTtlMs: 86_400_000, transcriptMax: 50, logger: silentLogger });
    const engine = new Engine({
      snapshot: () => this.snapshot,
      store: this.stores.conversations,
      queue: this.stores.handoffs,
      events: this.stores.events,
      clock: this.clock,
      logger: silentLogger,
      options: { conversationTtlDays: 30, rateLimitPerMinute: 0 },
      observer: {
        turn: (e) => {
          this.last = { decision: e.outcome.decision, guide: e.guideId ?? null, aspect: e.outcome.aspect ?? null, lang: e.lang };
        },
      },
    });
    engine.registerChannel(quietChannel);
    this.engine = engine;
    return engine;
  }

  /** Runs one conversation; one report per turn. */
  async run(script: ConversationScript): Promise<TurnReport[]> {
    const engine = await this.ready();
    const chatId = `conv-${++this.count}`;
    const out: TurnReport[] = [];
    let previous: TurnReport = { decision: 'other', guide: null, aspect: null, lang: 'vi' };
    for (const [i, say] of script.turns.entries()) {
      this.clock.ms += 60_000;
      this.last = undefined;
      const press = PRESS.exec(say.trim());
      const base = { id: `${chatId}:${i}`, channel: 'cli' as const, chatId, sentAtMs: this.clock.ms };
      const msg: InboundMessage = press ? { ...base, kind: 'option', optionIndex: Number(press[1]) } : { ...base, kind: 'text', text: say };
      await engine.handleInbound(msg);
      // A turn the engine did not run (an empty message): nothing changed.
      const report = this.last ?? { ...previous, decision: 'other' as const, aspect: null };
      out.push(report);
      previous = report;
    }
    return out;
  }

  /** Frees the in-memory stores. */
  async close(): Promise<void> {
    await this.stores?.close();
  }
}
