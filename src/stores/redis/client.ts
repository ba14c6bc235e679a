/**
 * Builds the ioredis client the Redis stores share. Tuned to fail fast while Redis is away
 * (no offline queue, short timeouts) and to reconnect by itself when it comes back.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../core/errors.ts';
import { silentLogger, type Logger } from '../../core/ports.ts';
import type { RedisClient } from './redis-client-type.ts';

/** Options of {@link createRedisClient}. All durations in ms. */
export interface RedisClientOptions {
  /** Prepended by ioredis to every key (and by our event bus to its channel), e.g. `dvcbot:`. */
  readonly keyPrefix?: string;
  /** Connection events are logged here (the URL's password never is). Default: silent. */
  readonly logger?: Logger;
  /** Give up one connection attempt after this long. Default 2 000. */
  readonly connectTimeoutMs?: number;
  /** Reject a command with no reply after this long (a hung server must not hang us). Default 2 000. */
  readonly commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (exponential backoff up to it). Default 2 000. */
  readonly maxReconnectDelayMs?: number;
  /** Name shown by `CLIENT LIST`. Default `dvcbot`. */
  readonly connectionName?: string;
}

/**
 * The URL with its password (and any `password` query parameter) replaced by `***`, safe to
 * log. An unparseable URL becomes `<invalid redis url>` (it might still hold a secret).
 */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    if (u.searchParams.has('password')) u.searchParams.set('password', '***');
    return u.toString();
  } catch {
    return '<invalid redis url>';
  }
}

/**
 * Logs the life of a connection once per change (down, back up), not on every retry,
 * and keeps ioredis from printing "Unhandled error event" to the console.
 */
export function attachConnectionLogging(client: RedisClient, logger: Logger, target: string): void {
  let down = false;
  const lost = (err?: Error): void => {
    if (down) return;
    down = true;
    const detail = err === undefined ? {} : { err: { name: err.name, message: err.message } };
    logger.warn({ target, ...detail }, 'redis connection lost');
  };
  client.on('error', (err: Error) => lost(err));
  // A server that shuts down cleanly closes the socket without an error; ioredis then
  // announces `reconnecting` (never after a deliberate quit/disconnect).
  client.on('reconnecting', () => lost());
  client.on('ready', () => {
    if (down) logger.info({ target }, 'redis connection back');
    else logger.debug({ target }, 'redis connected');
    down = false;
  });
}

/**
 * The options every connection of the app shares, whatever the topology (one server, a
 * Sentinel's primary, the nodes of a cluster).
 */
export function baseRedisOptions(options: RedisClientOptions): RedisOptions {
  const maxDelayMs = options.maxReconnectDelayMs ?? 2_000;
  return {
    keyPrefix: options.keyPrefix,
    connectionName: options.connectionName ?? 'dvcbot',
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 2_000,
    enableOfflineQueue: false,
    // With no offline queue, this flushes commands in flight the moment the connection drops.
    maxRetriesPerRequest: 0,
    // A command cut off by a dropped connection fails; replaying it later (RPUSH twice) is worse.
    autoResendUnfulfilledCommands: false,
    // Commands issued in the same event-loop turn (many conversations at once) leave in one
    // write: under load most of a command's cost is the socket write, not Redis.
    enableAutoPipelining: true,
    retryStrategy: (times: number) =>
      Math.min(50 * 2 ** Math.min(times - 1, 10), maxDelayMs) + Math.floor(Math.random() * 100),
  };
}

/**
 * Creates an ioredis client for `url` (`redis://[:password@]host:port[/db]`, `rediss://`
 * for TLS), with auto-pipelining (commands issued in one event-loop turn share a write).
 * It connects at once and never stops reconnecting (capped exponential backoff
 * with jitter). While disconnected every command rejects at once (no offline queue), so
 * stores turn that into `StoreUnavailableError` instead of waiting. Use
 * {@link waitForRedisReady} before the first command.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const logger = (options.logger ?? silentLogger).child({ component: 'redis' });
  const client = new Redis(url, baseRedisOptions(options));
  attachConnectionLogging(client, logger, redactRedisUrl(url));
  return client;
}

/**
 * Resolves when `client` is ready for commands. Rejects with `StoreUnavailableError` after
 * `timeoutMs` (the client keeps trying in the background; disconnect it if you give up).
 */
export function waitForRedisReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = (): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      reject(new StoreUnavailableError('redis connection closed before it was ready'));
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      client.off('end', onEnd);
      reject(new StoreUnavailableError(`redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

/** Closes `client` politely (QUIT), or drops it when Redis does not answer within `timeoutMs`. */
export async function closeRedisClient(client: RedisClient, timeoutMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.quit(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('quit timed out')), timeoutMs);
      }),
    ]);
  } catch {
    client.disconnect();
  } finally {
    clearTimeout(timer);
  }
}
