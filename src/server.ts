/**
 * The composition root as a function: config → stores → content → engine → channels → HTTP.
 * `main.ts` calls it and listens; end-to-end tests call it with PORT 0.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import type { Config } from './config.ts';
import type { ContentManager } from './content/manager.ts';
import type { Engine, EngineObserver } from './core/engine.ts';
import type { DurableInbound } from './core/durable-inbound.ts';
import type { ReplyOutboxWorker } from './channels/reply-outbox.ts';
import type { StaffHold } from './core/staff-hold.ts';
import { TicketSweep } from './core/handoff/ticket-sweep.ts';
import { shareContentReloads } from './content/reload-broadcast.ts';
import type { AppMetrics } from './metrics/metrics.ts';
import { systemClock, type Clock, type InboundHandler, type Logger } from './core/ports.ts';
import type { Stores } from './stores/index.ts';
import { createLogger, asPort } from './log/logger.ts';
import { buildApp, type PluginRegistration } from './http/app.ts';
import { WebChannel } from './channels/web/web-channel.ts';
import { webChatRoutes } from './channels/web/routes.ts';
import type { ChannelSetup } from './channels/setup-types.ts';
import { createTelegramStaffGroup } from './channels/telegram/staff-group-setup.ts';
import type { CaseDesk } from './core/handoff/case-desk.ts';
import type { StaffAuth } from './http/staff-auth.ts';
import { setupStaff } from './http/staff-setup.ts';
import { editorRoutes } from './http/editor-routes.ts';
import type { AnalyticsRecorder } from './reports/recorder.ts';
import { createSecurityMetrics } from './metrics/security-metrics.ts';
import { EventLoopLag } from './metrics/event-loop-lag.ts';
import {
  createEngine,
  createServerMetrics,
  editorRoutesOptions,
  eraseAuditObserver,
  webSessions,
  loadFirstContent,
  openStores,
  overloadCheck,
  purgeReportQueries,
  readinessChecks,
  inboundPath,
  staffHold,
  setupChatChannels,
  type LateParts,
  type StaffGroupSlot,
} from './server-steps.ts';

export { SEARCH_QUERY_MAX_CHARS, capQueryLength, headAndTail } from './query-cap.ts';

/** Things tests (or embedders) may replace. */
export interface ServerOverrides {
  readonly logger?: PinoLogger;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** More engine observers (e.g. editors' reports), called after the metrics one. */
  readonly observers?: readonly EngineObserver[];
  /** The event-loop lag monitor (default: a new one, started with the server and stopped with it). */
  readonly lag?: EventLoopLag;
}

/** A composed, not yet listening, server. */
export interface Server {
  readonly app: FastifyInstance;
  readonly engine: Engine;
  readonly content: ContentManager;
  readonly stores: Stores;
  readonly web: WebChannel;
  readonly channels: readonly ChannelSetup[];
  /** Staff use cases (claim, reply, insert guide, release, resolve; notes, transfer, labels, history) for the console and staff chats. */
  readonly desk: CaseDesk;
  /** Console sessions and `requireRole()` for staff/editor routes. */
  readonly staffAuth: StaffAuth;
  /** Prometheus metrics served at GET /metrics. */
  readonly metrics: AppMetrics;
  /** The reply outbox's worker (Redis only): replies the chat apps did not take, sent again. */
  readonly outbox: ReplyOutboxWorker | null;
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
  const late: LateParts = {};
  // The event loop's lag: load shedding, Redis time-outs told apart from outages, /metrics.
  const lag = overrides.lag ?? new EventLoopLag();
  const metrics = createServerMetrics(late, clock, lag);
  const content = await loadFirstContent(config, metrics, logger, () => (late.engine?.inFlightCount ?? 0) > 0);
  const { stores, analytics } = await openStores(config, clock, logger, { lagSinceMs: (sinceMs) => lag.maxSinceMs(sinceMs), onSlow: (op) => metrics.storeSlow(op) });
  late.stores = stores;
  const paths: { inbound?: InboundHandler; engine?: Engine } = {};
  const hold = staffHold({ config, logger, clock, content, stores }, metrics, paths);
  const observers = [metrics.observer, analytics, eraseAuditObserver(stores, logger), hold.observer, ...(overrides.observers ?? [])];
  const engine = createEngine({ config, logger, clock, content, stores }, observers, (m) => hold.hold(m));
  late.engine = engine;
  paths.engine = engine;

  const greetingTtlMs = config.CONVERSATION_GREETING_TTL_HOURS * 3_600_000;
  const web = new WebChannel({ outbox: stores.webOutbox, nowMs: () => clock.nowMs(), logger: logger.child({ part: 'web' }), greetingTtlMs });
  engine.registerChannel(web);
  const security = createSecurityMetrics(metrics.registry);
  const durable = inboundPath(stores, engine, logger, metrics);
  paths.inbound = durable ?? engine;
  const chat = setupChatChannels({ config, logger, clock, content, stores, engine, inbound: durable ?? engine, metrics, fetch: overrides.fetch });

  const plugins: PluginRegistration[] = [];
  if (config.WEB_CHAT_ENABLED) {
    const sessions = webSessions({ config, logger, clock, content, stores }, security);
    plugins.push({ plugin: webChatRoutes as never, options: { channel: web, inbound: engine, snapshot: () => content.current(), sessions } });
  }
  for (const s of chat.channels) if (s.webhook) plugins.push(s.webhook);
  const staff = await setupStaff({ config, stores, driver: engine, snapshot: () => content.current(), clock, logger, security });
  chat.staffGroup.current = createTelegramStaffGroup({ staffChatId: config.TELEGRAM_STAFF_CHAT_ID, telegram: chat.telegram, desk: staff.desk, events: stores.events, kv: stores.kv, logger: chat.logger });
  plugins.push(...staff.plugins);
  plugins.push({ plugin: editorRoutes as never, options: editorRoutesOptions({ config, logger, clock, content, stores }, staff.auth, analytics) });

  const gate = { accepting: true };
  const app = await buildApp({
    logger: pinoLogger,
    readiness: readinessChecks(content, stores, chat.channels),
    plugins,
    accepting: () => gate.accepting,
    overloaded: overloadCheck(config, engine, metrics, lag),
    metrics: () => metrics.render(),
    trustProxy: config.trustProxy,
  });
  const sweep = new TicketSweep({ queue: stores.handoffs, history: stores.history, events: stores.events, kv: stores.kv, clock, logger: logger.child({ part: 'staff' }), idleMs: config.CONVERSATION_TTL_DAYS * 86_400_000 });
  // Started once the heavy building is over: the first content load is no backlog of requests.
  lag.start();
  const parts: RunningParts = { config, logger, content, stores, engine, durable, hold, sweep, outbox: chat.outbox, analytics, app, channels: chat.channels, staffGroup: chat.staffGroup, gate, lag };
  return {
    app,
    engine,
    content,
    stores,
    web,
    channels: chat.channels,
    metrics,
    outbox: chat.outbox,
    analytics,
    desk: staff.desk,
    staffAuth: staff.auth,
    start: () => startServer(parts),
    stop: () => stopServer(parts),
  };
}

/** What start() and stop() work on. */
interface RunningParts {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly content: ContentManager;
  readonly stores: Stores;
  readonly engine: Engine;
  /** The durable inbound log's use (Redis only). */
  readonly durable: DurableInbound | null;
  /** The reply outbox's worker (Redis only). */
  readonly outbox: ReplyOutboxWorker | null;
  /** Messages for staff held while the store is away. */
  readonly hold: StaffHold;
  /** Closes the tickets of citizens who left. */
  readonly sweep: TicketSweep;
  /** Stops following other instances' content reloads (set by start()). */
  unshare?: () => Promise<void>;
  readonly analytics: AnalyticsRecorder;
  readonly app: FastifyInstance;
  readonly channels: readonly ChannelSetup[];
  readonly staffGroup: StaffGroupSlot;
  /** False once stop() began: webhooks are refused. */
  readonly gate: { accepting: boolean };
  readonly lag: EventLoopLag;
}

/** Listens, then starts channels (a failing one is logged) and the content watcher. Returns the base URL. */
async function startServer(parts: RunningParts): Promise<string> {
  const { config, logger } = parts;
  await parts.staffGroup.current?.start();
  const url = await parts.app.listen({ port: config.PORT, host: config.HOST });
  for (const s of parts.channels) {
    try {
      await s.start?.();
    } catch (err) {
      logger.error({ channel: s.channel.name, err: (err as Error).message }, 'channel failed to start');
    }
  }
  if (config.CONTENT_WATCH) parts.content.watch();
  // A reload here reaches every instance, and theirs reach this one (Redis pub/sub).
  if (parts.stores.contentSignal) parts.unshare = await shareContentReloads(parts.content, parts.stores.contentSignal, logger.child({ part: 'content' }));
  // What an earlier run of any instance left pending is taken over now, then every few seconds.
  parts.durable?.start();
  parts.outbox?.start();
  await parts.hold.start();
  parts.sweep.start();
  // Once per deployment, in the background: reports kept before masking-before-normalising.
  void purgeReportQueries(parts.stores, logger).catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'report queries not purged; retried at the next start'));
  return url;
}

/** Graceful stop: refuse webhooks, finish in-flight messages, stop channels, close HTTP and Redis. */
async function stopServer(parts: RunningParts): Promise<void> {
  parts.gate.accepting = false;
  // Upstream first: channels stop polling and drain what their webhooks already accepted
  // (which feeds the engine), then the engine finishes its turns.
  for (const s of parts.channels) await s.stop?.().catch(() => undefined);
  // Queues being drained here are finished (or their leases let go of, for another instance).
  await parts.durable?.stop(8_000);
  // Citizens whose messages for staff are still held are told they did not reach them.
  await parts.hold.stop();
  parts.sweep.stop();
  await parts.engine.drain(10_000);
  parts.outbox?.stop();
  await parts.staffGroup.current?.stop();
  await parts.analytics.close();
  await parts.unshare?.();
  parts.content.close();
  // Pending web long-polls answer now (empty) instead of holding app.close() for up to 25 s;
  // the outbox's reads still work until stores.close().
  await parts.stores.webOutbox.close();
  await parts.app.close();
  await parts.stores.close();
  parts.lag.stop();
}
