/**
 * The stores of the app, built in one call: Redis when a URL is configured, memory otherwise.
 * `main.ts` calls {@link createStores}; everything else sees only the ports.
 */
import { StoreUnavailableError } from '../core/errors.ts';
import type { AnalyticsStore, AuditLog, Clock, ConversationHistory, ConversationStore, EventBus, HandoffQueue, InboundLog, KeyValueStore, Logger, RateBudget, ReplyOutbox, StaffDirectory, WebOutboxStore } from '../core/ports.ts';
import { MemoryConversationStore } from './memory/memory-conversation-store.ts';
import { MemoryEventBus } from './memory/memory-event-bus.ts';
import { MemoryHandoffQueue } from './memory/memory-handoff-queue.ts';
import { MemoryKeyValueStore } from './memory/memory-key-value-store.ts';
import { MemoryAuditLog } from './memory/memory-audit-log.ts';
import { MemoryStaffDirectory } from './memory/memory-staff-directory.ts';
import { MemoryAnalyticsStore } from './memory/memory-analytics-store.ts';
import { MemoryWebOutbox } from './memory/memory-web-outbox.ts';
import { MemoryRateBudget } from './memory/memory-rate-budget.ts';
import { MemoryConversationHistory } from './memory/memory-conversation-history.ts';
import { closeRedisClient, createRedisClient, redactRedisUrl, waitForRedisReady } from './redis/client.ts';
import type { RedisClient } from './redis/redis-client-type.ts';
import { RedisReadiness, type StoreReadiness } from './redis/redis-readiness.ts';
import { RedisInboundLog } from './redis/redis-inbound-log.ts';
import { RedisReplyOutbox } from './redis/redis-reply-outbox.ts';
import { RedisSignal, type Signal } from './redis/redis-signal.ts';
import { assertDataNode, createTopologyClient } from './redis/topology.ts';
import { describeRedisTopology, type RedisTopology } from '../redis-config.ts';
import { RedisConversationStore } from './redis/redis-conversation-store.ts';
import { DEDUPE_TTL_MS } from '../core/engine.ts';
import { RedisEventBus } from './redis/redis-event-bus.ts';
import { RedisHandoffQueue } from './redis/redis-handoff-queue.ts';
import { RedisKeyValueStore } from './redis/redis-key-value-store.ts';
import { RedisAuditLog } from './redis/redis-audit-log.ts';
import { RedisStaffDirectory } from './redis/redis-staff-directory.ts';
import { RedisAnalyticsStore } from './redis/redis-analytics-store.ts';
import { RedisWebOutbox } from './redis/redis-web-outbox.ts';
import { RedisRateBudget } from './redis/redis-rate-budget.ts';
import { RedisConversationHistory } from './redis/redis-conversation-history.ts';
import type { TimeoutTriage } from './redis/slow-or-down.ts';

export { MemoryConversationStore, MemoryEventBus, MemoryHandoffQueue, MemoryKeyValueStore, MemoryStaffDirectory, MemoryAuditLog, MemoryAnalyticsStore, MemoryWebOutbox, MemoryRateBudget, MemoryConversationHistory };
export { RedisConversationStore, RedisEventBus, RedisHandoffQueue, RedisKeyValueStore, RedisStaffDirectory, RedisAuditLog, RedisAnalyticsStore, RedisWebOutbox, RedisRateBudget, RedisConversationHistory };
export { createRedisClient, redactRedisUrl, waitForRedisReady, closeRedisClient };

/** Options of {@link createStores}. */
export interface CreateStoresOptions {
  /** Redis URL; undefined = in-memory stores (one instance, nothing survives a restart). */
  readonly redisUrl?: string;
  /** How Redis is reached (one server, Sentinel or Cluster); wins over `redisUrl`. */
  readonly redisTopology?: RedisTopology;
  /** Put before every Redis key and the pub/sub channel, e.g. `dvcbot:`. */
  readonly keyPrefix: string;
  /** Idle lifetime of a conversation (state and transcript), ms. */
  readonly conversationTtlMs: number;
  /** Lifetime of a conversation that never got past the greeting (and of its web outbox), ms. Default: conversationTtlMs. */
  readonly greetingTtlMs?: number;
  /** How long audit entries are kept, ms. Default 180 days. */
  readonly auditRetentionMs?: number;
  /** Transcript lines kept per conversation. */
  readonly transcriptMax: number;
  readonly logger: Logger;
  /** How long to wait for Redis at start before failing, ms. Default 10 000. */
  readonly connectWaitMs?: number;
  /** How long analytics events are kept, ms (ANALYTICS_RETENTION_DAYS). Default 90 days. */
  readonly analyticsRetentionMs?: number;
  /** The clock analytics and history retention are measured with. Default: the system clock. */
  readonly clock?: Clock;
  /** How the conversation store tells a time-out under local lag from an outage (see redis/slow-or-down.ts). */
  readonly triage?: TimeoutTriage;
}

/** Every store the app uses, and how to close them. */
export interface Stores {
  readonly kind: 'redis' | 'memory';
  readonly conversations: ConversationStore;
  readonly handoffs: HandoffQueue;
  readonly events: EventBus;
  readonly kv: KeyValueStore;
  /** Staff accounts, console sessions and failed-login counters. */
  readonly staff: StaffDirectory;
  /** Who claimed, replied to and resolved which hand-off. */
  readonly audit: AuditLog;
  /** Events for editors' reports, kept for the retention period. */
  readonly analytics: AnalyticsStore;
  /** The web chat's outbox (what the page fetches), kept as long as the conversation. */
  readonly webOutbox: WebOutboxStore;
  /** Sliding-window budgets (new web chat conversations per address and overall). */
  readonly budget: RateBudget;
  /** Past and present hand-offs (cases), searchable; kept as long as a conversation, from each case's start. */
  readonly history: ConversationHistory;
  /**
   * The durable inbound log (Redis only): what webhooks accept is written there first, and a
   * conversation's messages are handled in order by whichever instance holds it. Memory: none
   * (one instance; a message is handled where it arrives).
   */
  readonly inbound?: InboundLog;
  /** Replies a chat app could not take, kept to be sent again (Redis only). */
  readonly replyOutbox?: ReplyOutbox;
  /** "Content reloaded" heard by every instance (Redis only; one instance needs none). */
  readonly contentSignal?: Signal;
  /** The shared Redis client (Redis kind only), e.g. for health checks or rate limits. */
  readonly redis?: RedisClient;
  /**
   * Can the store keep conversations right now? Redis: every primary's role and a write round
   * trip (a replica, a full Redis, a sentinel are not ready); memory: always.
   */
  ready(): Promise<StoreReadiness>;
  /** Closes the subscriber and the client; safe to call twice. */
  close(): Promise<void>;
}

/** The memory stores: one instance only, nothing kept over a restart. */
function memoryStores(opts: CreateStoresOptions, logger: Logger): Stores {
  const events = new MemoryEventBus({ logger });
  const webOutbox = new MemoryWebOutbox({ ttlMs: opts.conversationTtlMs });
  return {
    kind: 'memory',
    conversations: new MemoryConversationStore({
      ttlMs: opts.conversationTtlMs,
      greetingTtlMs: opts.greetingTtlMs,
      transcriptMax: opts.transcriptMax,
    }),
    handoffs: new MemoryHandoffQueue(),
    events,
    kv: new MemoryKeyValueStore(),
    staff: new MemoryStaffDirectory(),
    audit: new MemoryAuditLog({ retentionMs: opts.auditRetentionMs, clock: opts.clock }),
    analytics: new MemoryAnalyticsStore({ retentionMs: opts.analyticsRetentionMs, clock: opts.clock }),
    webOutbox,
    budget: new MemoryRateBudget(),
    history: new MemoryConversationHistory({ retentionMs: opts.conversationTtlMs, clock: opts.clock }),
    ready: async () => ({ ok: true, detail: 'memory' }),
    close: async () => {
      await webOutbox.close();
      await events.close();
    },
  };
}

/**
 * Builds the stores. With `redisUrl` it connects and waits until Redis is ready (up to
 * `connectWaitMs`), then rejects with `StoreUnavailableError` naming the URL without its
 * password. Without it, memory stores (single instance only); this function logs nothing
 * about that, so the caller warns once in its own words (`createServer` names `REDIS_URL`).
 */
export async function createStores(opts: CreateStoresOptions): Promise<Stores> {
  const logger = opts.logger.child({ component: 'stores' });
  const topology = opts.redisTopology ?? (opts.redisUrl === undefined ? undefined : { kind: 'standalone' as const, url: opts.redisUrl });
  // No warning here: the caller says it once, in its own words (the server names REDIS_URL).
  if (topology === undefined) return memoryStores(opts, logger);

  const target = describeRedisTopology(topology, redactRedisUrl);
  const redis = createTopologyClient(topology, { keyPrefix: opts.keyPrefix, logger });
  try {
    await waitForRedisReady(redis, opts.connectWaitMs ?? 10_000);
    await assertDataNode(redis, target);
  } catch (err) {
    redis.disconnect();
    if (err instanceof StoreUnavailableError && /Sentinel/.test(err.message)) throw err;
    throw new StoreUnavailableError(`redis at ${target} is not reachable`, { cause: err });
  }
  const readiness = new RedisReadiness(redis);
  const contentSignal = new RedisSignal({ redis, name: 'content-reloads', logger });
  logger.info({ target, keyPrefix: opts.keyPrefix }, 'redis stores ready');
  const events = new RedisEventBus({ redis, logger });
  const webOutbox = new RedisWebOutbox({ redis, ttlMs: opts.conversationTtlMs, logger });
  const conversations = new RedisConversationStore({
    redis,
    ttlMs: opts.conversationTtlMs,
    greetingTtlMs: opts.greetingTtlMs,
    transcriptMax: opts.transcriptMax,
    logger,
    triage: opts.triage,
  });
  let closed = false;
  return {
    kind: 'redis',
    conversations,
    handoffs: new RedisHandoffQueue({ redis, ttlMs: opts.conversationTtlMs }),
    events,
    kv: new RedisKeyValueStore({ redis }),
    staff: new RedisStaffDirectory({ redis }),
    audit: new RedisAuditLog({ redis, retentionMs: opts.auditRetentionMs, clock: opts.clock }),
    analytics: new RedisAnalyticsStore({ redis, retentionMs: opts.analyticsRetentionMs, clock: opts.clock }),
    webOutbox,
    budget: new RedisRateBudget({ redis }),
    history: new RedisConversationHistory({ redis, retentionMs: opts.conversationTtlMs, clock: opts.clock }),
    inbound: new RedisInboundLog({ redis, logger, turnStart: { starts: conversations.turnStarts, seenTtlMs: DEDUPE_TTL_MS } }),
    replyOutbox: new RedisReplyOutbox({ redis }),
    contentSignal,
    redis,
    ready: () => readiness.check(),
    async close() {
      if (closed) return;
      closed = true;
      await webOutbox.close();
      await events.close();
      await contentSignal.close();
      await closeRedisClient(redis);
    },
  };
}
