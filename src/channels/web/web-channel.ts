/**
 * The web chat's channel: replies go into a per-session outbox that the page reads (the POST
 * that sent the message returns them; a long-poll picks up later ones, e.g. staff replies).
 * The outbox is in process: behind several instances, route a browser to one (sticky sessions).
 */
import type { Channel, ChannelCapabilities } from '../../core/ports.ts';
import type { Button, RenderedMessage } from '../../core/types.ts';

/** Longest text of one web chat bubble. */
export const WEB_TEXT_LIMIT = 4000;
/** Items kept per session for the page to fetch. */
export const WEB_OUTBOX_MAX = 50;
/** Sessions kept in memory before the least recently used is dropped. */
export const WEB_SESSIONS_MAX = 10_000;

/** One message as the page receives it. */
export interface WebOutboxItem {
  readonly seq: number;
  readonly text: string;
  readonly buttons: readonly Button[];
  readonly menuSeq: number;
  readonly atMs: number;
}

interface Outbox {
  seq: number;
  items: WebOutboxItem[];
  waiters: Set<() => void>;
}

/** The web chat channel. */
export class WebChannel implements Channel {
  readonly name = 'web' as const;
  readonly capabilities: ChannelCapabilities = {
    textLimit: WEB_TEXT_LIMIT,
    optionButtons: true,
    urlButtons: true,
    maxButtons: 16,
    buttonLabelLimit: 80,
  };
  private readonly outboxes = new Map<string, Outbox>();

  constructor(private readonly nowMs: () => number = Date.now) {}

  private box(sessionId: string): Outbox {
    let b = this.outboxes.get(sessionId);
    if (b) {
      this.outboxes.delete(sessionId); // keep most recently used last
    } else {
      b = { seq: 0, items: [], waiters: new Set() };
      if (this.outboxes.size >= WEB_SESSIONS_MAX) {
        const oldest = this.outboxes.keys().next().value;
        if (oldest !== undefined) this.outboxes.delete(oldest);
      }
    }
    this.outboxes.set(sessionId, b);
    return b;
  }

  /** Queues a rendered message for the session's page. */
  async send(chatId: string, message: RenderedMessage): Promise<void> {
    const b = this.box(chatId);
    b.seq += 1;
    b.items.push({ seq: b.seq, text: message.text, buttons: message.buttons, menuSeq: message.menuSeq, atMs: this.nowMs() });
    if (b.items.length > WEB_OUTBOX_MAX) b.items.splice(0, b.items.length - WEB_OUTBOX_MAX);
    for (const w of b.waiters) w();
    b.waiters.clear();
  }

  /** Messages after `afterSeq`, and the session's latest seq. */
  read(sessionId: string, afterSeq: number): { items: WebOutboxItem[]; cursor: number } {
    const b = this.outboxes.get(sessionId);
    if (!b) return { items: [], cursor: afterSeq };
    return { items: b.items.filter((i) => i.seq > afterSeq), cursor: b.seq };
  }

  /** The current cursor (latest seq) of a session. */
  cursor(sessionId: string): number {
    return this.outboxes.get(sessionId)?.seq ?? 0;
  }

  /** Resolves when the session gets a message after `afterSeq`, or after `timeoutMs`. */
  wait(sessionId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const b = this.box(sessionId);
    if (b.seq > afterSeq) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        b.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      b.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}
