/**
 * The steps of the composition root ({@link createServer} in server.ts), one job each: metrics,
 * the first content load, the stores, the engine, the chat apps and the HTTP side's options.
 */
import type { Config } from './config.ts';
import { ContentManager, type IndexBuilder } from './content/manager.ts';
import { workerLoader } from './content/off-thread-load.ts';
import { eventLoopPacer } from './content/sliced-build.ts';
import { PostingsArena } from './search/postings-arena.ts';
import { Engine, newState, type EngineObserver } from './core/engine.ts';
import { heldTime, StaffHold } from './core/staff-hold.ts';
import { say } from './core/dialogue/views.ts';
import type { InboundMessage } from './core/types.ts';
import { combineObservers } from './core/observer.ts';
import { acceptInbound, type Clock, type InboundHandler, type Logger } from './core/ports.ts';
import { DurableInbound } from './core/durable-inbound.ts';
import { ReplyOutboxWorker } from './channels/reply-outbox.ts';
import { createMetrics, type AppMetrics } from './metrics/metrics.ts';
import { buildGuideIndex, buildGuideIndexSliced, IndexMemory } from './search/index.ts';
import { withResultCache } from './search/result-cache.ts';
import { createStores, type Stores } from './stores/index.ts';
import type { TimeoutTriage } from './stores/redis/slow-or-down.ts';
import type { ReadinessCheck } from './http/app.ts';
import type { ChannelSetup, ChannelSetupContext } from './channels/setup-types.ts';
import { setupTelegram, type TelegramSetup } from './channels/telegram/setup.ts';
import type { TelegramStaffGroup } from './channels/telegram/staff-group.ts';
import { realSleep } from './channels/telegram/api-client.ts';
import { setupZaloBot } from './channels/zalo-bot/setup.ts';
import { setupZaloOa } from './channels/zalo-oa/setup.ts';
import { WebhookWatch } from './channels/webhook-watch.ts';
import type { StaffAuth } from './http/staff-auth.ts';
import type { EditorRoutesOptions } from './http/editor-routes.ts';
import { AnalyticsRecorder, reportClaims, storedQuery } from './reports/recorder.ts';
import { SEARCH_QUERY_MAX_CHARS, capQueryLength } from './query-cap.ts';
import { WebSessions } from './channels/web/sessions.ts';
import type { SecurityMetrics } from './metrics/security-metrics.ts';
import type { LagProbe } from './metrics/event-loop-lag.ts';
import { createShedder } from './http/load-shedding.ts';

/** Parts built after the metrics, which read them at scrape time once they exist. */
export interface LateParts {
  stores?: Stores;
  engine?: Engine;
}

/** What most composition steps share. */
export interface BaseParts {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly content: ContentManager;
  readonly stores: Stores;
}

/** A slot filled once the staff desk exists; Telegram's staff updates wait for it. */
export interface StaffGroupSlot {
  current: TelegramStaffGroup | undefined;
}

/** The app's metrics, reading the stores and the engine from `late` once they are there. */
export function createServerMetrics(late: LateParts, clock: Clock, lag?: LagProbe): AppMetrics {
  return createMetrics({
    lag,
    queue: async () => (late.stores ? late.stores.handoffs.counts() : { waiting: 0, active: 0, oldestWaitingSinceMs: null, waitingSinceSumMs: 0 }),
    storeUp: async () => (late.stores ? late.stores.conversations.ping() : false),
    inFlight: () => late.engine?.inFlightCount ?? 0,
    outboxChats: async () => (late.stores?.replyOutbox ? late.stores.replyOutbox.chats() : 0),
    nowMs: () => clock.nowMs(),
  });
}

/** The content manager after its first load (counted by the metrics); throws when the content is invalid. */
export async function loadFirstContent(config: Readonly<Config>, metrics: AppMetrics, logger: Logger, busy?: () => boolean): Promise<ContentManager> {
  // Built in slices (search/steps.ts): a reload never holds citizens' replies up for long.
  // Each index has its own cache of recent results: a reload starts with an empty one.
  // The memory keeps what each guide gave the last index: a reload reads only the changed guides.
  // The posting arrays of the index in use are kept; a reload writes into those of the one before
  // (no 26 MB allocated per reload at 5,000 guides, which forced full collections mid-reload).
  const memory = new IndexMemory();
  const postings = new PostingsArena();
  const build: IndexBuilder = async (bundle, pacer) => {
    const index = pacer ? await buildGuideIndexSliced(bundle, pacer, { postings }, memory) : buildGuideIndex(bundle, { postings }, memory);
    return capQueryLength(withResultCache(index, { counted: (hit) => metrics.searchCached(hit) }), SEARCH_QUERY_MAX_CHARS);
  };
  // The files are read, parsed and checked in a worker thread kept between reloads (a reload
  // parses only the changed files); only the index is built here. The worker is told the guides
  // in hand: unchanged ones come back as the same objects. content.close() ends the worker.
  // A reload's work on this thread runs in the gaps between citizens' turns (`busy`).
  const pacer = eventLoopPacer(busy ? { busy } : {});
  const content = new ContentManager(config.CONTENT_DIR, build, logger.child({ part: 'content' }), pacer, workerLoader(() => pacer.pause()));
  content.onReload((o) => {
    if (o.ok) postings.commit(); // called right after the swap: the index just built is in use
    metrics.contentReloaded(o.ok);
  });
  const outcome = await content.reload();
  if (!outcome.ok) {
    content.close();
    const errors = outcome.problems.filter((p) => p.severity === 'error').length;
    throw new Error(`content in ${config.CONTENT_DIR} has ${errors} error(s); run "npm run content:check" to see them`);
  }
  return content;
}

/** The stores (Redis or memory) and the analytics recorder that every hand-off claim reports to. */
export async function openStores(config: Readonly<Config>, clock: Clock, logger: Logger, triage?: TimeoutTriage): Promise<{ stores: Stores; analytics: AnalyticsRecorder }> {
  const baseStores = await createStores({
    redisTopology: config.redisTopology,
    keyPrefix: config.REDIS_KEY_PREFIX,
    conversationTtlMs: config.CONVERSATION_TTL_DAYS * 86_400_000,
    greetingTtlMs: config.CONVERSATION_GREETING_TTL_HOURS * 3_600_000,
    auditRetentionMs: config.AUDIT_RETENTION_DAYS * 86_400_000,
    transcriptMax: config.TRANSCRIPT_MAX,
    analyticsRetentionMs: config.ANALYTICS_RETENTION_DAYS * 86_400_000,
    clock,
    logger: logger.child({ part: 'store' }),
    triage,
  });
  // Editors' reports: the engine's hooks and every hand-off claim (staff wait) are queued and written in batches.
  const analytics = new AnalyticsRecorder({ store: baseStores.analytics, clock, logger: logger.child({ part: 'analytics' }) });
  const stores: Stores = { ...baseStores, handoffs: reportClaims(baseStores.handoffs, (ticket) => analytics.claimed(ticket)) };
  if (stores.kind === 'memory') {
    logger.warn({}, 'REDIS_URL is not set: using the in-memory store (one instance only; conversations are lost on restart)');
  }
  return { stores, analytics };
}

/**
 * "Delete my data": the audit log keeps that it happened, with the channel only (no id of the
 * citizen), and the conversation's id is removed from every earlier audit line (staff reads,
 * claims…); a web chat's kept messages go too (the confirmation that follows starts the outbox again).
 */
export function eraseAuditObserver(stores: Stores, logger: Logger): EngineObserver {
  const warn = (what: string) => (err: unknown) => logger.warn({ err: (err as Error).message }, what);
  return {
    erased: (e) => {
      void stores.audit.append({ atMs: e.atMs, actor: 'citizen', action: 'erase', channel: e.channel }).catch(warn('erase audit entry not written'));
      void stores.audit.forget(e.conversationId).catch(warn('conversation id not removed from the audit log after an erase'));
      if (e.channel === 'web') {
        void stores.webOutbox.clear(e.conversationId.slice('web:'.length)).catch(warn('web outbox not cleared after an erase'));
      }
    },
  };
}

/** Version of the purge of report queries; a new masking rule for kept data raises it. */
export const REPORT_PURGE_VERSION = '1';
const REPORT_PURGE_KEY = 'privacy:report-purge';

/**
 * Purges what reports kept before queries were masked before normalising (e-mail addresses'
 * words, passwords' values, long numbers): every kept question's query goes through
 * {@link storedQuery} again, once per deployment (a marker in the key-value store), on one
 * instance at a time. Resolves how many changed (0 when done before or running elsewhere).
 */
export async function purgeReportQueries(stores: Stores, logger: Logger): Promise<number> {
  if ((await stores.kv.get(REPORT_PURGE_KEY)) === REPORT_PURGE_VERSION) return 0;
  if (!(await stores.kv.setIfAbsent(`${REPORT_PURGE_KEY}:running`, '1', 15 * 60_000))) return 0;
  try {
    const changed = await stores.analytics.rewriteQueries(storedQuery);
    await stores.kv.set(REPORT_PURGE_KEY, REPORT_PURGE_VERSION);
    logger.info({ changed }, 'report queries kept before masking purged');
    return changed;
  } finally {
    await stores.kv.delete(`${REPORT_PURGE_KEY}:running`).catch(() => undefined);
  }
}

/** The web chat's sessions: cookies for the conversation lifetime, new ones within the WEB_NEW_CHATS_* budgets. */
export function webSessions(base: BaseParts, security: SecurityMetrics): WebSessions {
  const { config, logger, clock, stores } = base;
  return new WebSessions({
    budget: stores.budget,
    limits: {
      perIpPerMinute: config.WEB_NEW_CHATS_PER_IP_PER_MINUTE,
      perIpPerDay: config.WEB_NEW_CHATS_PER_IP_PER_DAY,
      perMinute: config.WEB_NEW_CHATS_PER_MINUTE,
      perDay: config.WEB_NEW_CHATS_PER_DAY,
    },
    conversations: stores.conversations,
    clock,
    logger: logger.child({ part: 'web' }),
    cookieSecure: config.cookieSecure,
    cookieMaxAgeS: config.CONVERSATION_TTL_DAYS * 86_400,
    counted: (outcome) => security.webChat(outcome),
  });
}

/** The engine over the stores and the live content, telling `observers` (in order) what it does. */
export function createEngine(base: BaseParts, observers: readonly EngineObserver[], holdForStaff?: (msg: InboundMessage) => boolean): Engine {
  const { config, logger, clock, content, stores } = base;
  return new Engine({
    snapshot: () => content.current(),
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock,
    logger: logger.child({ part: 'engine' }),
    options: { conversationTtlDays: config.CONVERSATION_TTL_DAYS, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE },
    observer: combineObservers(observers, (err, hook) => logger.warn({ hook, err: (err as Error).message }, 'engine observer failed')),
    history: stores.history,
    ...(holdForStaff ? { holdForStaff } : {}),
  });
}

/**
 * Who is with staff, and what their messages become while the store is away (held, handed over
 * again, or the citizen told): see core/staff-hold.ts. `inbound` and `engine` are read when used.
 */
export function staffHold(base: BaseParts, metrics: AppMetrics, late: { inbound?: InboundHandler; engine?: Engine }): StaffHold {
  const { config, logger, clock, stores } = base;
  return new StaffHold({
    queue: stores.handoffs,
    events: stores.events,
    ready: async () => (await stores.ready()).ok,
    resubmit: (m) => acceptInbound(late.inbound ?? late.engine!, m),
    tell: async (m, lang, heldAtMs) => {
      const engine = late.engine!;
      const state = { ...newState(m, clock.nowMs()), lang };
      await engine.deliver(state, [{ text: say(engine.view(state), 'handoff.not_delivered', { time: heldTime(heldAtMs) }) }], { record: false });
    },
    clock,
    logger: logger.child({ part: 'staff-hold' }),
    horizonMs: config.OUTBOX_HORIZON_MINUTES * 60_000,
    counted: (channel, outcome) => metrics.held(channel, outcome),
  });
}

/**
 * Where the chat apps hand what their webhooks accept: with Redis, the durable inbound log in
 * front of the engine (nothing accepted is lost, a conversation's messages go in order across
 * instances); in memory, the engine itself.
 */
export function inboundPath(stores: Stores, engine: Engine, logger: Logger, metrics: AppMetrics): DurableInbound | null {
  if (!stores.inbound) return null;
  return new DurableInbound({ log: stores.inbound, engine, logger: logger.child({ part: 'inbound' }), unlogged: (m) => metrics.unlogged(m.channel) });
}

/** The chat apps, as the rest of the composition root needs them. */
export interface ChatChannels {
  /** The channels' logger (`part: channel`), which the Telegram staff group shares. */
  readonly logger: Logger;
  readonly telegram: TelegramSetup | null;
  readonly channels: readonly ChannelSetup[];
  readonly staffGroup: StaffGroupSlot;
  /** The reply outbox's worker (Redis only). */
  readonly outbox: ReplyOutboxWorker | null;
}

/** The configured chat apps (Telegram, Zalo Bot, Zalo OA), registered with the engine. */
export function setupChatChannels(parts: BaseParts & { engine: Engine; inbound: InboundHandler; metrics: AppMetrics; fetch: typeof fetch | undefined }): ChatChannels {
  const { config, clock, content, stores, engine, metrics } = parts;
  const ctx: ChannelSetupContext = {
    config,
    logger: parts.logger.child({ part: 'channel' }),
    inbound: parts.inbound,
    store: stores.conversations,
    kv: stores.kv,
    clock,
    fetch: parts.fetch,
    retried: (channel) => metrics.retried(channel),
    webhooks: new WebhookWatch({ logger: parts.logger.child({ part: 'channel' }), count: (channel, reason) => metrics.refused(channel, reason), nowMs: () => clock.nowMs() }),
    limited: (channel, kind) => metrics.limited(channel, kind),
  };
  // Every retry of a Bot API call goes through this sleep: count it, then wait.
  const telegramSleep = (ms: number) => (metrics.retried('telegram'), realSleep(ms));
  // The staff group needs the desk (built later); updates from the staff chat wait for it.
  const staffGroup: StaffGroupSlot = { current: undefined };
  const telegram = setupTelegram(ctx, { sleep: telegramSleep, staffUpdateHandler: (u) => staffGroup.current?.handleUpdate(u) ?? Promise.resolve() });
  const channels = [telegram, setupZaloBot(ctx), setupZaloOa(ctx, { typeNumberHint: content.current().content.messages.vi.type_number })].filter((s): s is ChannelSetup => s !== null);
  // With Redis, replies a chat app cannot take now are kept in the outbox and sent again.
  const outbox = stores.replyOutbox
    ? new ReplyOutboxWorker({ outbox: stores.replyOutbox, clock, logger: ctx.logger, horizonMs: config.OUTBOX_HORIZON_MINUTES * 60_000, counts: metrics.outbox })
    : null;
  for (const s of channels) engine.registerChannel(outbox ? outbox.wrap(s.channel) : s.channel);
  return { logger: ctx.logger, telegram, channels, staffGroup, outbox };
}

/** Options of the Editors page and API. */
export function editorRoutesOptions(base: BaseParts, auth: StaffAuth, analytics: AnalyticsRecorder): EditorRoutesOptions {
  const { config, logger, clock, content, stores } = base;
  return {
    auth,
    content,
    contentDir: config.CONTENT_DIR,
    analytics: stores.analytics,
    clock,
    logger: logger.child({ part: 'editors' }),
    flush: () => analytics.flush(),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
}

/** What /readyz checks: the content, the store, and every channel that has a health check. */
export function readinessChecks(content: ContentManager, stores: Stores, channels: readonly ChannelSetup[]): ReadinessCheck[] {
  return [
    { name: 'content', check: async () => ({ ok: content.loaded, detail: content.loaded ? content.current().version : 'not loaded' }) },
    { name: 'store', check: () => stores.ready() },
    ...channels.filter((s) => s.health).map((s) => ({ name: s.channel.name, check: () => s.health!() })),
  ];
}

/**
 * Past MAX_IN_FLIGHT messages, or while the event loop runs SHED_LAG_MS late, webhooks answer
 * 503 (platforms retry later) instead of queueing without bound (see http/load-shedding.ts).
 */
export function overloadCheck(config: Readonly<Config>, engine: Engine, metrics: AppMetrics, lag?: LagProbe): () => boolean {
  const shed = createShedder({
    inFlight: () => engine.inFlightCount,
    maxInFlight: config.MAX_IN_FLIGHT,
    lag,
    lagThresholdMs: config.SHED_LAG_MS,
    counted: (reason) => metrics.shed(reason),
  });
  return () => shed() !== undefined;
}
