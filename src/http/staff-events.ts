/**
 * Server-sent events for the staff console. One EventBus subscription per app (Redis pub/sub
 * behind several instances), fanned out to every connected console; comments every
 * `heartbeatMs` keep proxies from closing idle streams.
 *
 * Wire format: one `data: <LiveEvent JSON>` per event (the default `message` event), and a
 * first `data: {"type":"ready"}` once the subscription stands, so a client knows from then on
 * it misses nothing. With `enrich`, each event carries a delta as well (the conversation's
 * ticket now and the queue's totals), read once per event for all consoles of this instance,
 * in the events' order: consoles update their queue from it instead of reading it again.
 */
import type { ServerResponse } from 'node:http';
import type { EventBus, LiveEvent, Logger } from '../core/ports.ts';

/** Heartbeat period, ms (below the usual 60 s proxy idle timeout). */
export const SSE_HEARTBEAT_MS = 20_000;
/** A console that lets this much pile up unread is dropped (it reconnects and reloads). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Fans live events out to connected consoles. */
export class LiveHub {
  /** Connected consoles and when each one's session ends (epoch ms). */
  private readonly clients = new Map<ServerResponse, number>();
  private unsubscribe: Promise<() => Promise<void>> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** Deltas are read one event after the other, so consoles get them in the events' order. */
  private enriching: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly heartbeatMs = SSE_HEARTBEAT_MS,
    private readonly nowMs: () => number = Date.now,
    /** What to add to an event for the consoles (the queue's delta); a failure sends the event alone. */
    private readonly enrich?: (event: LiveEvent) => Promise<object>,
  ) {}

  /** Number of connected consoles. */
  get size(): number {
    return this.clients.size;
  }

  /**
   * Takes over `res` as an event stream (status, headers, ready event) and keeps it until the
   * client goes away, the hub closes, or `untilMs` (the session's end) passes — checked at
   * each heartbeat; the console then finds itself logged out.
   */
  async attach(res: ServerResponse, untilMs = Number.POSITIVE_INFINITY): Promise<void> {
    await this.ensureSubscribed();
    if (this.closed) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(`retry: 3000\n\ndata: ${JSON.stringify({ type: 'ready' })}\n\n`);
    this.clients.set(res, untilMs);
    res.on('close', () => this.clients.delete(res));
    this.heartbeat ??= setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Ends every stream and drops the subscription. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    if (unsubscribe) await (await unsubscribe)().catch(() => undefined);
  }

  private ensureSubscribed(): Promise<() => Promise<void>> {
    this.unsubscribe ??= this.events.subscribe((event) => this.onEvent(event));
    return this.unsubscribe;
  }

  private onEvent(event: LiveEvent): void {
    const enrich = this.enrich;
    if (enrich === undefined || this.clients.size === 0) {
      this.broadcast(`data: ${JSON.stringify(event)}\n\n`);
      return;
    }
    this.enriching = this.enriching.then(async () => {
      const extra = await enrich(event).catch(() => ({}));
      this.broadcast(`data: ${JSON.stringify({ ...event, ...extra })}\n\n`);
    });
  }

  /** Ends streams whose session is over, and keeps the others warm. */
  private beat(): void {
    const now = this.nowMs();
    for (const [res, untilMs] of this.clients) {
      if (untilMs <= now) {
        res.end();
        this.clients.delete(res);
      }
    }
    this.broadcast(': ping\n\n');
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients.keys()) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.logger.warn({}, 'console event stream too slow; dropped');
        res.destroy();
        this.clients.delete(res);
        continue;
      }
      res.write(chunk);
    }
  }
}
