/**
 * Prometheus metrics (prom-client) for GET /metrics: what the engine saw and did (through an
 * EngineObserver), channel send retries, content reloads, and the hand-off queue and store
 * health read at scrape time. One registry per server, so two servers in one process (tests)
 * never share counters. Label values come from small fixed sets (channel names, decisions,
 * error codes): never from citizens' text or ids.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EngineObserver } from '../core/engine.ts';
import type { HandoffCounts } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import type { LagProbe } from './event-loop-lag.ts';
import type { ReplyOutboxCounts } from '../channels/reply-outbox.ts';

/** Prefix of every metric of this app (process and Node.js metrics keep their usual names). */
export const METRIC_PREFIX = 'dvcbot_';

/** Buckets of the reply latency histogram, seconds: 5 ms … 10 s. */
export const REPLY_LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long one reading of the queue is reused by the gauges of one scrape, ms. */
const QUEUE_READING_TTL_MS = 1_000;

/** What the metrics read at scrape time. Both are optional; a failing reader is skipped. */
export interface MetricsOptions {
  /** The hand-off queue's kept counts (stores.handoffs.counts): never a read of the whole queue. */
  readonly queue?: () => Promise<HandoffCounts>;
  /** True when the state store answers (stores.conversations.ping). */
  readonly storeUp?: () => Promise<boolean>;
  /** Messages the engine is handling right now. */
  readonly inFlight?: () => number;
  /** Chats with replies waiting in the outbox (Redis only). */
  readonly outboxChats?: () => Promise<number>;
  /** Current time, epoch ms (for waiting times). Default Date.now. */
  readonly nowMs?: () => number;
  /** The event loop's lag, as load shedding sees it. */
  readonly lag?: LagProbe;
  /** Also export process_* and nodejs_* metrics (heap, event loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
}

/** The app's metrics and the ways to feed them. */
export interface AppMetrics {
  readonly registry: Registry;
  /** Give this to the Engine (combined with other observers). */
  readonly observer: EngineObserver;
  /** Counts one content reload attempt (ContentManager.onReload). */
  contentReloaded(ok: boolean): void;
  /** Counts one webhook or web chat message refused with 503: too much in flight, or the event loop too late. */
  shed(reason: 'in-flight' | 'lag'): void;
  /** Counts one search answered from the cache of recent results (true) or searched (false). */
  searchCached(hit: boolean): void;
  /** Counts one Redis time-out put down to this process' own lag (retried, not treated as an outage), by operation. */
  storeSlow(op: string): void;
  /** Counts one retried platform call (a channel client's backoff). */
  retried(channel: ChannelName | string): void;
  /** Counts one webhook request refused (bad secret or signature, stale, malformed), by channel and reason. */
  refused(channel: ChannelName | string, reason: string): void;
  /** What the reply outbox counts: replies deferred, delivered later, given up on. */
  readonly outbox: ReplyOutboxCounts;
  /** Counts a message for staff held while the store was away, handed over again, or failed (the citizen told). */
  held(channel: ChannelName | string, outcome: 'held' | 'delivered' | 'failed'): void;
  /** Counts one accepted message that could not be written to the durable inbound log (handled at once, as in an outage). */
  unlogged(channel: ChannelName | string): void;
  /** Counts one platform answer saying "too fast" (`rate-limit`) or "quota used up" (`quota`). */
  limited(channel: ChannelName | string, kind: 'rate-limit' | 'quota'): void;
  /** The Prometheus text exposition, for GET /metrics. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** A stable, low-cardinality label for an error: its `code` when it has one we know the shape of. */
function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(code) ? code : 'UNKNOWN';
}

/** Counters and the latency histogram the engine's hooks feed. */
interface EngineMetrics {
  readonly messagesIn: Counter<'channel' | 'kind'>;
  readonly messagesOut: Counter<'channel'>;
  readonly duplicates: Counter<'channel'>;
  readonly decisions: Counter<'channel' | 'decision'>;
  readonly handoffs: Counter<'channel' | 'reason'>;
  readonly feedback: Counter<'channel' | 'helpful'>;
  readonly ratings: Counter<'channel' | 'score'>;
  readonly erasures: Counter<'channel'>;
  readonly rateLimited: Counter<'channel'>;
  readonly sendErrors: Counter<'channel' | 'code'>;
  readonly turnsFailed: Counter<'channel' | 'reason'>;
  readonly latency: Histogram<'channel'>;
  readonly stateless: Counter<'channel' | 'reason'>;
  readonly unsaved: Counter<'channel'>;
}

/** Counters fed by the server itself rather than the engine. */
interface ServerCounters {
  readonly retries: Counter<'channel'>;
  readonly shed: Counter<'reason'>;
  readonly storeSlow: Counter<'op'>;
  readonly searchCache: Counter<'result'>;
  readonly reloads: Counter<'result'>;
  readonly refused: Counter<'channel' | 'reason'>;
  readonly limits: Counter<'channel' | 'kind'>;
  readonly unlogged: Counter<'channel'>;
  readonly held: Counter<'channel' | 'outcome'>;
  readonly deferred: Counter<'channel'>;
  readonly redelivered: Counter<'channel'>;
  readonly undeliverable: Counter<'channel' | 'reason'>;
}

/** Registers the counters and the histogram, in the order /metrics lists them. */
function registerCounters(registers: Registry[]): EngineMetrics & ServerCounters {
  const p = METRIC_PREFIX;
  const messagesIn = new Counter({ name: `${p}messages_in_total`, help: 'Citizen messages received, by channel and kind.', labelNames: ['channel', 'kind'], registers });
  const messagesOut = new Counter({ name: `${p}messages_out_total`, help: 'Messages sent to citizens (chunks as sent to the platform), by channel.', labelNames: ['channel'], registers });
  const duplicates = new Counter({ name: `${p}duplicates_total`, help: 'Inbound messages dropped as already handled (platform redelivery).', labelNames: ['channel'], registers });
  const decisions = new Counter({ name: `${p}decisions_total`, help: 'Search decisions: answer, clarify, fallback, handoff, greeting.', labelNames: ['channel', 'decision'], registers });
  const handoffs = new Counter({ name: `${p}handoffs_total`, help: 'Conversations handed to staff, by reason.', labelNames: ['channel', 'reason'], registers });
  const feedback = new Counter({ name: `${p}feedback_total`, help: 'Was this helpful? answers.', labelNames: ['channel', 'helpful'], registers });
  const ratings = new Counter({ name: `${p}ratings_total`, help: 'Ratings given after a hand-off, by score.', labelNames: ['channel', 'score'], registers });
  const erasures = new Counter({ name: `${p}erasures_total`, help: 'Conversations erased at the citizen\'s request.', labelNames: ['channel'], registers });
  const rateLimited = new Counter({ name: `${p}rate_limited_total`, help: 'Messages dropped by the per-conversation rate limit.', labelNames: ['channel'], registers });
  const sendErrors = new Counter({ name: `${p}send_errors_total`, help: 'Replies that could not be sent (after the client retries), by error code.', labelNames: ['channel', 'code'], registers });
  const turnsFailed = new Counter({ name: `${p}turns_failed_total`, help: 'Citizen messages whose turn could not use the store (answered without state, or its state not saved) or failed, by reason (down, timeout, readonly, oom, moved, masterdown, loading, busy, unknown-command, lock-timeout, error…).', labelNames: ['channel', 'reason'], registers });
  const retries = new Counter({ name: `${p}send_retries_total`, help: 'Platform API calls retried after a 5xx, a 429 or a network error.', labelNames: ['channel'], registers });
  const shed = new Counter({ name: `${p}webhooks_shed_total`, help: 'Webhooks and web chat messages answered 503, by reason: too many messages in flight (in-flight, MAX_IN_FLIGHT) or the event loop too late (lag, SHED_LAG_MS).', labelNames: ['reason'], registers });
  const storeSlow = new Counter({ name: `${p}store_slow_total`, help: 'Redis time-outs on the turn path put down to this process\'s own event-loop lag (retried, not an outage), by operation.', labelNames: ['op'], registers });
  const searchCache = new Counter({ name: `${p}search_cache_total`, help: 'Searches answered from the cache of recent results (hit) or searched (miss).', labelNames: ['result'], registers });
  const stateless = new Counter({ name: `${p}stateless_answers_total`, help: 'Messages answered without their conversation\'s state: the store failed (store) or the lock was not free in time (lock).', labelNames: ['channel', 'reason'], registers });
  const unsaved = new Counter({ name: `${p}unsaved_turns_total`, help: 'Turns answered whose state could not be saved afterwards.', labelNames: ['channel'], registers });
  const reloads = new Counter({ name: `${p}content_reloads_total`, help: 'Content reload attempts, by result (ok, rejected).', labelNames: ['result'], registers });
  const refused = new Counter({ name: `${p}webhooks_refused_total`, help: 'Webhook requests refused (bad or missing secret or signature, stale event, malformed body), by channel and reason.', labelNames: ['channel', 'reason'], registers });
  const limits = new Counter({ name: `${p}platform_limits_total`, help: 'Platform answers saying too fast (rate-limit) or quota used up (quota), by channel.', labelNames: ['channel', 'kind'], registers });
  const unlogged = new Counter({ name: `${p}inbound_unlogged_total`, help: 'Accepted messages that could not be written to the durable inbound log (Redis away or refusing writes): handled at once by the instance that received them, as in an outage.', labelNames: ['channel'], registers });
  const held = new Counter({ name: `${p}held_for_staff_total`, help: 'Messages of citizens with staff that arrived while the store was away: held (never answered by the bot), delivered (handed over again once it was back), failed (the citizen told it did not reach staff).', labelNames: ['channel', 'outcome'], registers });
  const deferred = new Counter({ name: `${p}replies_deferred_total`, help: 'Replies the chat app could not take (network, 5xx, 429 after retries) kept in the outbox to be sent again.', labelNames: ['channel'], registers });
  const redelivered = new Counter({ name: `${p}replies_redelivered_total`, help: 'Replies from the outbox that reached the chat app.', labelNames: ['channel'], registers });
  const undeliverable = new Counter({ name: `${p}replies_undeliverable_total`, help: 'Replies given up on: expired (not taken within OUTBOX_HORIZON_MINUTES) or rejected (the app refused them for good).', labelNames: ['channel', 'reason'], registers });
  const latency = new Histogram({
    name: `${p}reply_latency_seconds`,
    help: 'From a message entering the engine to its replies being sent, seconds.',
    labelNames: ['channel'],
    buckets: REPLY_LATENCY_BUCKETS_S,
    registers,
  });
  return { messagesIn, messagesOut, duplicates, decisions, handoffs, feedback, ratings, erasures, rateLimited, sendErrors, turnsFailed, retries, shed, storeSlow, searchCache, reloads, refused, limits, unlogged, held, deferred, redelivered, undeliverable, latency, stateless, unsaved };
}

/** The hand-off queue's counts as read at scrape time: one reading shared by the gauges of one scrape. */
interface QueueReader {
  /** The counts, or null when there is no reader or the store failed. */
  read(): Promise<HandoffCounts | null>;
  /** Forgets the reading, so the next scrape reads afresh. */
  reset(): void;
}

/** A {@link QueueReader} over `counts`, reusing a reading for {@link QUEUE_READING_TTL_MS}. */
function queueReader(counts: MetricsOptions['queue'], nowMs: () => number): QueueReader {
  let reading: { atMs: number; counts: Promise<HandoffCounts | null> } | null = null;
  return {
    read() {
      if (!counts) return Promise.resolve(null);
      const at = nowMs();
      if (!reading || at - reading.atMs > QUEUE_READING_TTL_MS) {
        reading = { atMs: at, counts: counts().catch(() => null) };
      }
      return reading.counts;
    },
    reset() {
      reading = null;
    },
  };
}

/** Registers the queue length and waiting time gauges, read from the queue's kept counts at scrape time. */
function registerQueueGauges(registers: Registry[], queue: QueueReader, nowMs: () => number): void {
  const p = METRIC_PREFIX;
  new Gauge({
    name: `${p}handoff_queue_length`,
    help: 'Conversations in the hand-off queue, by status (waiting, active).',
    labelNames: ['status'],
    registers,
    async collect() {
      const counts = await queue.read();
      if (counts === null) return; // store down: keep the last reading rather than claim zero
      this.set({ status: 'waiting' }, counts.waiting);
      this.set({ status: 'active' }, counts.active);
    },
  });
  new Gauge({
    name: `${p}handoff_queue_wait_seconds`,
    help: 'How long citizens in the queue have been waiting for a person: oldest and mean, seconds.',
    labelNames: ['stat'],
    registers,
    async collect() {
      const counts = await queue.read();
      if (counts === null) return;
      const now = nowMs();
      this.set({ stat: 'oldest' }, counts.oldestWaitingSinceMs === null ? 0 : Math.max(0, now - counts.oldestWaitingSinceMs) / 1000);
      this.set({ stat: 'mean' }, counts.waiting > 0 ? Math.max(0, now - counts.waitingSinceSumMs / counts.waiting) / 1000 : 0);
    },
  });
}

/** Registers the in-flight and store-up gauges, each only when its reader is given. */
function registerProbeGauges(registers: Registry[], options: MetricsOptions): void {
  const p = METRIC_PREFIX;
  if (options.inFlight) {
    const inFlight = options.inFlight;
    new Gauge({
      name: `${p}in_flight_messages`,
      help: 'Messages being handled right now (all conversations).',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
  }
  if (options.outboxChats) {
    const chats = options.outboxChats;
    new Gauge({
      name: `${p}outbox_chats`,
      help: 'Chats with replies waiting in the outbox because the chat app did not take them (Redis only).',
      registers,
      async collect() {
        const n = await chats().catch(() => null);
        if (n !== null) this.set(n);
      },
    });
  }
  if (options.storeUp) {
    const storeUp = options.storeUp;
    new Gauge({
      name: `${p}store_up`,
      help: '1 when the state store (Redis) answers, else 0.',
      registers,
      async collect() {
        this.set((await storeUp().catch(() => false)) ? 1 : 0);
      },
    });
  }
}

/** Registers the event-loop lag gauges, read from `lag` at scrape time. */
function registerLagGauges(registers: Registry[], lag: LagProbe): void {
  const p = METRIC_PREFIX;
  new Gauge({
    name: `${p}event_loop_lag_seconds`,
    help: 'How late the event loop runs now (the worst delay of the last 100-200 ms), seconds: what load shedding compares with SHED_LAG_MS.',
    registers,
    collect() {
      this.set(lag.currentMs() / 1000);
    },
  });
  new Gauge({
    name: `${p}event_loop_lag_max_seconds`,
    help: 'The worst event-loop delay of the last 60 s, seconds.',
    registers,
    collect() {
      this.set(lag.worstSinceMs(Date.now() - 60_000) / 1000); // the lag's own clock, not a test's
    },
  });
}

/** The engine observer that feeds the counters and the latency histogram. */
function engineObserver(m: EngineMetrics): EngineObserver {
  return {
    inbound: (channel, kind) => m.messagesIn.inc({ channel, kind }),
    duplicate: (channel) => m.duplicates.inc({ channel }),
    decision: (e) => m.decisions.inc({ channel: e.channel, decision: e.result.decision }),
    feedback: (e) => m.feedback.inc({ channel: e.channel, helpful: String(e.helpful) }),
    handoff: (e) => m.handoffs.inc({ channel: e.channel, reason: e.reason }),
    rating: (e) => m.ratings.inc({ channel: e.channel, score: String(Math.round(e.score)) }),
    sent: (channel, messages) => m.messagesOut.inc({ channel }, messages),
    sendError: (channel, error) => m.sendErrors.inc({ channel, code: errorCode(error) }),
    replyLatency: (channel, ms) => m.latency.observe({ channel }, Math.max(0, ms) / 1000),
    rateLimited: (channel) => m.rateLimited.inc({ channel }),
    erased: (e) => m.erasures.inc({ channel: e.channel }),
    stateless: (channel, reason) => m.stateless.inc({ channel, reason }),
    unsaved: (channel) => m.unsaved.inc({ channel }),
    turnFailed: (e) => m.turnsFailed.inc({ channel: e.channel, reason: /^[a-z][a-z-]{0,23}$/.test(e.reason) ? e.reason : 'other' }),
  };
}

/** Builds a fresh registry with every metric of the app. */
export function createMetrics(options: MetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  const nowMs = options.nowMs ?? Date.now;
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counters = registerCounters(registers);
  const queue = queueReader(options.queue, nowMs);
  registerQueueGauges(registers, queue, nowMs);
  registerProbeGauges(registers, options);
  if (options.lag) registerLagGauges(registers, options.lag);
  return {
    registry,
    observer: engineObserver(counters),
    shed: (reason) => counters.shed.inc({ reason }),
    storeSlow: (op) => counters.storeSlow.inc({ op }),
    searchCached: (hit) => counters.searchCache.inc({ result: hit ? 'hit' : 'miss' }),
    contentReloaded: (ok) => counters.reloads.inc({ result: ok ? 'ok' : 'rejected' }),
    retried: (channel) => counters.retries.inc({ channel }),
    refused: (channel, reason) => counters.refused.inc({ channel, reason }),
    limited: (channel, kind) => counters.limits.inc({ channel, kind }),
    unlogged: (channel) => counters.unlogged.inc({ channel }),
    held: (channel, outcome) => counters.held.inc({ channel, outcome }),
    outbox: {
      deferred: (channel) => counters.deferred.inc({ channel }),
      delivered: (channel) => counters.redelivered.inc({ channel }),
      undeliverable: (channel, reason) => counters.undeliverable.inc({ channel, reason }),
    },
    async render() {
      queue.reset(); // one fresh queue reading per scrape, shared by its gauges
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
