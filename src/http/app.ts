/**
 * Builds the Fastify app (no listen): health, readiness, metrics, the web chat, the staff
 * console, and the webhook routes of the configured channels. Plugins get their dependencies
 * as options; tests call `buildApp(deps).inject()`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger as PinoLogger } from 'pino';

/** Largest request body accepted anywhere (routes may set a smaller one). */
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** One readiness check for /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** A plugin and its options, registered as-is. */
export interface PluginRegistration {
  readonly plugin: FastifyPluginAsync<never>;
  readonly options: object;
}

/** What the app is built from. */
export interface AppDeps {
  readonly logger: PinoLogger;
  readonly readiness: readonly ReadinessCheck[];
  /** Prometheus text exposition, when metrics are enabled. */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Channel webhooks, the web chat, the console…: registered in order. */
  readonly plugins: readonly PluginRegistration[];
  /** False while shutting down: webhooks answer 503 so platforms retry elsewhere/later. */
  readonly accepting?: () => boolean;
  /** True while too much work is in flight: webhooks answer 503 so platforms retry a little later. */
  readonly overloaded?: () => boolean;
  readonly bodyLimitBytes?: number;
  /**
   * Which reverse proxies' X-Forwarded-For is believed for `req.ip` (login limits, web chat
   * budgets): false (default: the socket's address), a hop count, or addresses / CIDR ranges.
   */
  readonly trustProxy?: false | number | readonly string[];
}

/**
 * TRUST_PROXY as Fastify takes it. A hop count becomes a function trusting the first N hops from
 * the socket (Fastify 5 refuses a bare number: it cannot tell the proxy from a direct client, so
 * a count is only safe when nothing but the proxy can reach the port; docs/operations.md says so).
 */
export function fastifyTrustProxy(trust: AppDeps['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === undefined || trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** True for requests that start work in the engine: webhooks and the web chat's messages. */
function startsWork(method: string, url: string): boolean {
  return url.startsWith('/webhooks/') || (method === 'POST' && url.startsWith('/api/web/messages'));
}

/** Builds the app. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // Request lines would carry URLs and ids into logs; errors are logged by our handler instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    trustProxy: fastifyTrustProxy(deps.trustProxy),
    return503OnClosing: true,
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err: { name: err.name, code: err.code, message: err.message }, url: req.routeOptions.url }, 'request failed');
      return reply.code(500).send({ error: 'internal_error' });
    }
    return reply.code(status).send({ error: err.code ?? 'bad_request', message: err.message });
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'not_found' }));

  // Shutting down: every answer closes its connection, so a keep-alive socket that was busy when
  // the server began to close (a web long-poll) cannot hold the close open afterwards.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (deps.accepting && !deps.accepting()) reply.header('connection', 'close');
    return payload;
  });

  app.addHook('onRequest', async (req, reply) => {
    if (deps.accepting && !deps.accepting() && req.url.startsWith('/webhooks/')) {
      return reply.code(503).header('retry-after', '5').send({ error: 'shutting_down' });
    }
    // The web chat's messages feed the engine too: past MAX_IN_FLIGHT they wait for a retry like webhooks.
    if (startsWork(req.method, req.url) && deps.overloaded?.()) {
      return reply.code(503).header('retry-after', '2').send({ error: 'overloaded' });
    }
    return undefined;
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      deps.readiness.map(async (c) => {
        try {
          return { name: c.name, ...(await c.check()) };
        } catch (err) {
          return { name: c.name, ok: false, detail: (err as Error).message };
        }
      }),
    );
    const ok = results.every((r) => r.ok);
    return reply.code(ok ? 200 : 503).send({ ok, checks: results });
  });
  if (deps.metrics) {
    const metrics = deps.metrics;
    app.get('/metrics', async (_req, reply) => {
      const m = await metrics();
      return reply.header('content-type', m.contentType).send(m.body);
    });
  }
  for (const p of deps.plugins) await app.register(p.plugin, p.options as never);
  return app;
}
