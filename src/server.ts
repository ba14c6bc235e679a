/**
 * The composition root as a function: config → stores → content → engine → channels → HTTP.
 * `main.ts` calls it and listens; end-to-end tests call it with PORT 0.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from './config.ts';
import { ContentManager } from './content/manager.ts';
import { Engine, type EngineObserver } from './core/engine.ts';
import { combineObservers } from './core/observer.ts';
import { createMetrics, type AppMetrics } from './metrics/metrics.ts';
import { systemClock, type Clock, type GuideIndex } from './core/ports.ts';
import { buildGuideIndex } from './search/index.ts';
import { createStores, type Stores } from './stores/index.ts';
import { createLogger, asPort } from './log/logger.ts';
import { buildApp, type PluginRegistration, type ReadinessCheck } from './http/app.ts';
import { WebChannel } from './channels/web/web-channel.ts';
import { webChatRoutes } from './channels/web/routes.ts';
import type { ChannelSetup, ChannelSetupContext } from './channels/setup-types.ts';
import { setupTelegram } from './channels/telegram/setup.ts';
import type { TelegramStaffGroup } from './channels/telegram/staff-group.ts';
import { createTelegramStaffGroup } from './channels/telegram/staff-group-setup.ts';
import { realSleep } from './channels/telegram/api-client.ts';
import { setupZaloBot } from './channels/zalo-bot/setup.ts';
import { setupZaloOa } from './channels/zalo-oa/setup.ts';
import type { HandoffDesk } from './core/handoff/desk.ts';
import type { StaffAuth } from './http/staff-auth.ts';
import { setupStaff } from './http/staff-setup.ts';
import { editorRoutes, type EditorRoutesOptions } from './http/editor-routes.ts';
import { AnalyticsRecorder, reportClaims } from './reports/recorder.ts';

/**
 * Longest part of a message the search reads. A question is short, and search time grows with
 * length: a 4,000-character message would hold the event loop for about half a second.
 */
export const SEARCH_QUERY_MAX_CHARS = 300;

/** The index, reading at most `maxChars` of each query (the message itself stays whole). */
export function capQueryLength(index: GuideIndex, maxChars: number): GuideIndex {
  const capped = Object.create(index) as GuideIndex & { search: GuideIndex['search'] };
  capped.search = (query, context) => index.search(query.length > maxChars ? headAndTail(query, maxChars) : query, context);
  return capped;
}

/**
 * The start and the end of a long message, `maxChars` in all, cut between words and joined as
 * two clauses: an elderly citizen's long message often puts its question last ("…, giờ phải
 * làm sao?").
 */
export function headAndTail(text: string, maxChars: number): string {
  const half = Math.floor(maxChars / 2);
  let head = text.slice(0, half);
  let tail = text.slice(-half);
  const lastSpace = head.lastIndexOf(' ');
  if (lastSpace > 0) head = head.slice(0, lastSpace);
  const firstSpace = tail.indexOf(' ');
  if (firstSpace >= 0) tail = tail.slice(firstSpace + 1);
  return `${head}, ${tail}`;
}

/** Things tests (or embedders) may replace. */
export interface ServerOverrides {
  readonly logger?: PinoLogger;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** More engine observers (e.g. editors' reports), called after the metrics one. */
  readonly observers?: readonly EngineObserver[];
}

/** A composed, not yet listening, server. */
export interface Server {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly content: ContentManager;
  readonly stores: Stores;
  readonly web: WebChannel;
  readonly channels: readonly ChannelSetup[];
  /** Staff use cases (claim, reply, insert guide, release, resolve) for the console and staff chats. */
  readonly desk: HandoffDesk;
  /** Console sessions and `requireRole()` for staff/editor routes. */
  readonly staffAuth: StaffAuth;
  /** Prometheus metrics served at GET /metrics. */
  readonly metrics: AppMetrics;
  /** Records questions, feedback, hand-offs, claims and ratings for editors' reports. */
  readonly analytics: AnalyticsRecorder;
  /** Listens, then starts channels (setWebhook / polling) and the content watcher. Returns the base URL. */
  start(): Promise<string>;
  /** Graceful stop: refuse webhooks, finish in-flight messages, stop channels, close HTTP and Redis. */
  stop(): Promise<void>;
}

/** Builds everything from a validated config. Fails (throws) when the content is invalid. */
export async function createServer(config: Readonly<Config>, overrides: ServerOverrides = {}): Promise<Server> {
  const pinoLogger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const logger = asPort(pinoLogger);
  const clock = overrides.clock ?? systemClock;

  // Metrics first, so the first content load is counted; the stores are read once they exist.
  let storesForMetrics: Stores | undefined;
  let engineForMetrics: Engine | undefined;
  const metrics = createMetrics({
    queue: async () => (storesForMetrics ? storesForMetrics.handoffs.list() : []),
    storeUp: async () => (storesForMetrics ? storesForMetrics.conversations.ping() : false),
    inFlight: () => engineForMetrics?.inFlightCount ?? 0,
    nowMs: () => clock.nowMs(),
  });
  const content = new ContentManager(config.CONTENT_DIR, (bundle) => capQueryLength(buildGuideIndex(bundle), SEARCH_QUERY_MAX_CHARS), logger.child({ part: 'content' }));
  content.onReload((o) => metrics.contentReloaded(o.ok));
  const outcome = await content.reload();
  if (!outcome.ok) {
    const errors = outcome.problems.filter((p) => p.severity === 'error').length;
    throw new Error(`content in ${config.CONTENT_DIR} has ${errors} error(s); run "npm run content:check" to see them`);
  }

  const baseStores = await createStores({
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    conversationTtlMs: config.CONVERSATION_TTL_DAYS * 86_400_000,
    transcriptMax: config.TRANSCRIPT_MAX,
    analyticsRetentionMs: config.ANALYTICS_RETENTION_DAYS * 86_400_000,
    clock,
    logger: logger.child({ part: 'store' }),
  });
  // Editors' reports: the engine's hooks and every hand-off claim (staff wait) are queued and written in batches.
  const analytics = new AnalyticsRecorder({ store: baseStores.analytics, clock, logger: logger.child({ part: 'analytics' }) });
  const stores: Stores = { ...baseStores, handoffs: reportClaims(baseStores.handoffs, (ticket) => analytics.claimed(ticket)) };
  storesForMetrics = stores;
  if (stores.kind === 'memory') {
    logger.warn({}, 'REDIS_URL is not set: using the in-memory store (one instance only; conversations are lost on restart)');
  }

  // "Delete my data": the audit log keeps that it happened, with ids only; a web chat's kept
  // messages go too (the confirmation that follows starts the outbox again).
  const eraseAudit: EngineObserver = {
    erased: (e) => {
      void stores.audit.append({ atMs: e.atMs, actor: 'citizen', action: 'erase', conversationId: e.conversationId }).catch((err: unknown) =>
        logger.warn({ err: (err as Error).message }, 'erase audit entry not written'),
      );
      if (e.channel === 'web') {
        void stores.webOutbox.clear(e.conversationId.slice('web:'.length)).catch((err: unknown) =>
          logger.warn({ err: (err as Error).message }, 'web outbox not cleared after an erase'),
        );
      }
    },
  };
  const engine = new Engine({
    snapshot: () => content.current(),
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock,
    logger: logger.child({ part: 'engine' }),
    options: { conversationTtlDays: config.CONVERSATION_TTL_DAYS, rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE },
    observer: combineObservers([metrics.observer, analytics, eraseAudit, ...(overrides.observers ?? [])], (err, hook) =>
      logger.warn({ hook, err: (err as Error).message }, 'engine observer failed'),
    ),
  });

  engineForMetrics = engine;

  const web = new WebChannel({ outbox: stores.webOutbox, nowMs: () => clock.nowMs(), logger: logger.child({ part: 'web' }) });
  engine.registerChannel(web);

  const ctx: ChannelSetupContext = {
    config,
    logger: logger.child({ part: 'channel' }),
    inbound: engine,
    store: stores.conversations,
    kv: stores.kv,
    clock,
    fetch: overrides.fetch,
    retried: (channel) => metrics.retried(channel),
  };
  // Every retry of a Bot API call goes through this sleep: count it, then wait.
  const telegramSleep = (ms: number) => (metrics.retried('telegram'), realSleep(ms));
  // The staff group needs the desk (built below); updates from the staff chat wait for it.
  let staffGroup: TelegramStaffGroup | undefined;
  const telegram = setupTelegram(ctx, { sleep: telegramSleep, staffUpdateHandler: (u) => staffGroup?.handleUpdate(u) ?? Promise.resolve() });
  const channels = [telegram, setupZaloBot(ctx), setupZaloOa(ctx, { typeNumberHint: content.current().content.messages.vi.type_number })].filter((s): s is ChannelSetup => s !== null);
  for (const s of channels) engine.registerChannel(s.channel);

  const plugins: PluginRegistration[] = [];
  if (config.WEB_CHAT_ENABLED) {
    plugins.push({ plugin: webChatRoutes as never, options: { channel: web, inbound: engine, snapshot: () => content.current() } });
  }
  for (const s of channels) if (s.webhook) plugins.push(s.webhook);
  const staff = await setupStaff({ config, stores, driver: engine, snapshot: () => content.current(), clock, logger });
  staffGroup = createTelegramStaffGroup({ staffChatId: config.TELEGRAM_STAFF_CHAT_ID, telegram, desk: staff.desk, events: stores.events, kv: stores.kv, logger: ctx.logger });
  plugins.push(...staff.plugins);
  const editorOptions: EditorRoutesOptions = {
    auth: staff.auth,
    content,
    contentDir: config.CONTENT_DIR,
    analytics: stores.analytics,
    clock,
    logger: logger.child({ part: 'editors' }),
    flush: () => analytics.flush(),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
  plugins.push({ plugin: editorRoutes as never, options: editorOptions });

  const readiness: ReadinessCheck[] = [
    { name: 'content', check: async () => ({ ok: content.loaded, detail: content.loaded ? content.current().version : 'not loaded' }) },
    { name: 'store', check: async () => ({ ok: await stores.conversations.ping(), detail: stores.kind }) },
    ...channels.filter((s) => s.health).map((s) => ({ name: s.channel.name, check: () => s.health!() })),
  ];

  let accepting = true;
  // Past MAX_IN_FLIGHT messages, webhooks answer 503 (platforms retry later) instead of queueing without bound.
  const overloaded = (): boolean => {
    const over = config.MAX_IN_FLIGHT > 0 && engine.inFlightCount >= config.MAX_IN_FLIGHT;
    if (over) metrics.shed();
    return over;
  };
  const app = await buildApp({ logger: pinoLogger, readiness, plugins, accepting: () => accepting, overloaded, metrics: () => metrics.render() });

  return {
    app,
    engine,
    content,
    stores,
    web,
    channels,
    metrics,
    analytics,
    desk: staff.desk,
    staffAuth: staff.auth,
    async start() {
      await staffGroup?.start();
      const url = await app.listen({ port: config.PORT, host: config.HOST });
      for (const s of channels) {
        try {
          await s.start?.();
        } catch (err) {
          logger.error({ channel: s.channel.name, err: (err as Error).message }, 'channel failed to start');
        }
      }
      if (config.CONTENT_WATCH) content.watch();
      return url;
    },
    async stop() {
      accepting = false;
      // Upstream first: channels stop polling and drain what their webhooks already accepted
      // (which feeds the engine), then the engine finishes its turns.
      for (const s of channels) await s.stop?.().catch(() => undefined);
      await engine.drain(10_000);
      await staffGroup?.stop();
      await analytics.close();
      content.close();
      // Pending web long-polls answer now (empty) instead of holding app.close() for up to 25 s;
      // the outbox's reads still work until stores.close().
      await stores.webOutbox.close();
      await app.close();
      await stores.close();
    },
  };
}
