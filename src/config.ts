/**
 * The only reader of the environment. Parsed once against a schema, with defaults; a bad
 * value stops the start with a message that names the variable.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { redisTopologyOf, type RedisTopology } from './redis-config.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** HTTP port (web chat, console, webhooks, health). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Public https base URL of this app; when set, webhooks are registered with the platforms. */
  PUBLIC_URL: optionalText.pipe(z.string().url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Redis connection URL; unset = in-memory store (one instance, nothing survives a restart). */
  REDIS_URL: optionalText,
  REDIS_KEY_PREFIX: z.string().default('dvcbot:'),
  /** Redis Sentinel addresses (`host:port,…`): the primary is asked of them, and followed through a failover. */
  REDIS_SENTINELS: optionalText,
  /** The primary's name the sentinels monitor. Default `mymaster`. */
  REDIS_SENTINEL_NAME: optionalText,
  /** Password of the sentinels themselves (`requirepass` in sentinel.conf), when they have one. */
  REDIS_SENTINEL_PASSWORD: optionalText,
  /** Redis Cluster nodes to start from (`host:port,…`); the rest are discovered. */
  REDIS_CLUSTER_NODES: optionalText,
  /** ACL user and password of the Redis servers, with REDIS_SENTINELS or REDIS_CLUSTER_NODES (REDIS_URL carries its own). */
  REDIS_USERNAME: optionalText,
  REDIS_PASSWORD: optionalText,
  /** Database number with REDIS_SENTINELS (REDIS_URL carries its own; a cluster has only 0). */
  REDIS_DB: z.coerce.number().int().min(0).max(15).optional(),
  CONTENT_DIR: z.string().default('./content'),
  /** Watch CONTENT_DIR and reload on change. */
  CONTENT_WATCH: bool.default(true),
  CONVERSATION_TTL_DAYS: z.coerce.number().positive().default(30),
  TRANSCRIPT_MAX: int(50),
  /** Messages a citizen may send per minute before a polite slow-down message. */
  RATE_LIMIT_PER_MINUTE: int(20),
  /** Messages in flight (all conversations) above which webhooks answer 503 so platforms retry later (0 = no limit). */
  MAX_IN_FLIGHT: int(1000),
  /** Event-loop lag, ms, from which webhooks answer 503 so platforms retry later (0 = off). */
  SHED_LAG_MS: int(300),
  /** Staff console session lifetime, hours. */
  STAFF_SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Office-hours minutes a citizen may wait in the queue before the console shows the wait amber, then red. */
  STAFF_WAIT_AMBER_MINUTES: z.coerce.number().positive().default(5),
  STAFF_WAIT_RED_MINUTES: z.coerce.number().positive().default(15),
  /** Set `secure` on the console cookie (true behind https). Default: true when PUBLIC_URL is https. */
  COOKIE_SECURE: bool.optional(),
  /** Development only (no REDIS_URL, NODE_ENV ≠ production): an editor account created in memory at start. */
  STAFF_DEV_USER: optionalText,
  /** Password of STAFF_DEV_USER (at least 10 characters). Never set in production. */
  STAFF_DEV_PASSWORD: optionalText,
  /** Days analytics events are kept for reports. */
  ANALYTICS_RETENTION_DAYS: z.coerce.number().positive().default(90),
  /** Serve the web chat at `/`. */
  WEB_CHAT_ENABLED: bool.default(true),
  /** Reverse proxies whose X-Forwarded-For is believed: off, a hop count, or addresses/CIDRs (see trustProxyOf). */
  TRUST_PROXY: optionalText,
  /** New web chat conversations one client address may open per minute (0 = no limit). */
  WEB_NEW_CHATS_PER_IP_PER_MINUTE: int(10),
  /** New web chat conversations one client address may open per day (0 = no limit). */
  WEB_NEW_CHATS_PER_IP_PER_DAY: int(300),
  /** New web chat conversations per minute, all clients together (0 = no limit). */
  WEB_NEW_CHATS_PER_MINUTE: int(120),
  /** New web chat conversations per day, all clients together (0 = no limit). */
  WEB_NEW_CHATS_PER_DAY: int(10_000),
  /** Hours a conversation that never got past the greeting is kept (instead of CONVERSATION_TTL_DAYS). */
  CONVERSATION_GREETING_TTL_HOURS: z.coerce.number().positive().default(2),
  /** Staff password checks (scrypt) run at once per instance; more wait in a short queue. */
  STAFF_LOGIN_MAX_CHECKS: z.coerce.number().int().min(1).max(64).default(2),
  /** Minutes a reply the chat app could not take is tried again before it counts as undeliverable (with Redis). */
  OUTBOX_HORIZON_MINUTES: z.coerce.number().positive().max(24 * 60).default(15),
  /** Days audit log entries (staff actions and reads, erasures) are kept. */
  AUDIT_RETENTION_DAYS: z.coerce.number().positive().default(180),

  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: optionalText,
  TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
  TELEGRAM_MODE: z.enum(['webhook', 'polling']).optional(),
  /** Supergroup (with topics) where staff take over conversations; optional. */
  TELEGRAM_STAFF_CHAT_ID: optionalText,

  ZALO_BOT_TOKEN: optionalText,
  ZALO_BOT_WEBHOOK_SECRET: optionalText,
  ZALO_BOT_API_ROOT: z.string().url().default('https://bot-api.zaloplatforms.com'),
  ZALO_BOT_MODE: z.enum(['webhook', 'polling']).optional(),

  ZALO_OA_APP_ID: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_OA_APP_SECRET: optionalText,
  ZALO_OA_ACCESS_TOKEN: optionalText,
  ZALO_OA_REFRESH_TOKEN: optionalText,
  ZALO_OA_API_ROOT: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OA_OAUTH_ROOT: z.string().url().default('https://oauth.zaloapp.com'),
  /**
   * Largest accepted age of a signed OA event, seconds. Zalo redelivers an event it could not
   * deliver for hours (and switches the webhook off after about 12 h of failures), so the
   * default covers a whole day; redeliveries are de-duplicated by event id. At most 7 days.
   */
  ZALO_OA_MAX_EVENT_AGE_S: z.coerce.number().int().min(60).max(7 * 86_400).default(86_400),
});

type Env = z.infer<typeof EnvSchema>;

/**
 * Which reverse proxies are believed: `false` (none: the socket's address is the client's), a hop
 * count (the last N addresses of X-Forwarded-For are proxies), or proxy addresses and CIDR ranges
 * (`loopback`, `linklocal` and `uniquelocal` name the usual private ranges).
 */
export type TrustProxy = false | number | readonly string[];

/** The validated, frozen configuration. */
export interface Config extends Env {
  readonly telegramMode: 'webhook' | 'polling';
  readonly zaloBotMode: 'webhook' | 'polling';
  readonly cookieSecure: boolean;
  /** TRUST_PROXY, parsed. */
  readonly trustProxy: TrustProxy;
  /** How Redis is reached (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES); undefined = in-memory stores. */
  readonly redisTopology: RedisTopology | undefined;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** True for an IP address, a CIDR range (`10.0.0.0/8`, `fd00::/8`) or one of the proxy-addr names. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * Parses TRUST_PROXY: unset, `false`, `0` or `off` → off; a whole number → that many proxy hops;
 * otherwise a comma-separated list of addresses and CIDR ranges. `true` is refused: it would
 * believe any X-Forwarded-For, so anyone could pick the address the limits count.
 * Returns the value or a problem line naming the variable.
 */
export function trustProxyOf(raw: string | undefined): { value: TrustProxy } | { problem: string } {
  const v = raw?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'false' || v === 'off' || v === 'no' || v === '0') return { value: false };
  if (v === 'true' || v === 'yes' || v === 'on') {
    return { problem: '  TRUST_PROXY: "true" would believe any X-Forwarded-For; give the proxy hops (1) or addresses (127.0.0.1, 10.0.0.0/8)' };
  }
  if (/^\d+$/.test(v)) return Number(v) <= 10 ? { value: Number(v) } : { problem: '  TRUST_PROXY: at most 10 proxy hops' };
  const entries = v.split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  const bad = entries.filter((e) => !isProxyAddress(e));
  if (entries.length === 0 || bad.length > 0) {
    return { problem: `  TRUST_PROXY: not an address or CIDR range: ${bad.join(', ') || '(empty)'} (use e.g. 1, or 127.0.0.1,10.0.0.0/8, or loopback)` };
  }
  return { value: Object.freeze(entries) };
}

/** A configuration value is missing or wrong. The message names the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/**
 * Parses an environment (default `process.env`) into a frozen Config.
 * Throws ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const result = EnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = result.data;
  const problems = channelProblems(e);
  const proxy = trustProxyOf(e.TRUST_PROXY);
  if ('problem' in proxy) problems.push(proxy.problem);
  const redis = redisTopologyOf(e);
  if ('problems' in redis) problems.push(...redis.problems);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return Object.freeze({
    ...e,
    telegramMode: telegramModeOf(e),
    zaloBotMode: zaloBotModeOf(e),
    cookieSecure: e.COOKIE_SECURE ?? (e.PUBLIC_URL?.startsWith('https://') ?? false),
    trustProxy: 'value' in proxy ? proxy.value : false,
    redisTopology: 'value' in redis ? redis.value : undefined,
  });
}

/** Telegram's mode: TELEGRAM_MODE, else webhook with PUBLIC_URL, else polling. */
function telegramModeOf(e: Env): 'webhook' | 'polling' {
  return e.TELEGRAM_MODE ?? (e.PUBLIC_URL ? 'webhook' : 'polling');
}

/** The Zalo Bot's mode: ZALO_BOT_MODE, else webhook with a secret or PUBLIC_URL, else polling. */
function zaloBotModeOf(e: Env): 'webhook' | 'polling' {
  return e.ZALO_BOT_MODE ?? (e.ZALO_BOT_WEBHOOK_SECRET || e.PUBLIC_URL ? 'webhook' : 'polling');
}

/**
 * The channel settings that parse but cannot work, one line each naming the variable. A webhook
 * mode without its secret is refused whichever way the mode was chosen (explicitly or by
 * PUBLIC_URL): the route would answer every real update 401 while health looked green.
 */
function channelProblems(e: Env): string[] {
  const problems: string[] = [];
  if (e.TELEGRAM_BOT_TOKEN && telegramModeOf(e) === 'webhook' && !e.TELEGRAM_WEBHOOK_SECRET) {
    const why = e.TELEGRAM_MODE === 'webhook' ? 'TELEGRAM_MODE=webhook' : 'PUBLIC_URL is set, so Telegram uses a webhook (or set TELEGRAM_MODE=polling)';
    problems.push(`  TELEGRAM_WEBHOOK_SECRET: required in webhook mode (${why}); without it every update would be refused`);
  }
  if (e.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{1,256}$/.test(e.TELEGRAM_WEBHOOK_SECRET)) {
    problems.push('  TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram rule)');
  }
  if (e.ZALO_BOT_TOKEN && zaloBotModeOf(e) === 'webhook' && !e.ZALO_BOT_WEBHOOK_SECRET) {
    const why = e.ZALO_BOT_MODE === 'webhook' ? 'ZALO_BOT_MODE=webhook' : 'PUBLIC_URL is set, so the Zalo Bot uses a webhook (or set ZALO_BOT_MODE=polling)';
    problems.push(`  ZALO_BOT_WEBHOOK_SECRET: required in webhook mode (${why})`);
  }
  if (e.ZALO_BOT_WEBHOOK_SECRET && (e.ZALO_BOT_WEBHOOK_SECRET.length < 8 || e.ZALO_BOT_WEBHOOK_SECRET.length > 256)) {
    problems.push(`  ZALO_BOT_WEBHOOK_SECRET: 8-256 characters (Zalo Bot Platform rule for setWebhook's secret_token)`);
  }
  if (e.ZALO_OA_APP_ID && !e.ZALO_OA_SECRET_KEY) {
    problems.push('  ZALO_OA_SECRET_KEY: required with ZALO_OA_APP_ID (webhook signatures)');
  }
  if (e.STAFF_WAIT_RED_MINUTES <= e.STAFF_WAIT_AMBER_MINUTES) {
    problems.push('  STAFF_WAIT_RED_MINUTES: must be more than STAFF_WAIT_AMBER_MINUTES');
  }
  return problems;
}
