/**
 * Small helpers every Redis store uses: error mapping, Lua scripts by SHA, timeouts.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client-type.ts';
import { AppError, StoreUnavailableError } from '../../core/errors.ts';
import { connectionFailureReason, isReplyError, outageReason } from './reply-errors.ts';

export { isReplyError } from './reply-errors.ts';

/**
 * Maps a failed Redis call: our own errors and Redis' reply errors that say our command is wrong
 * (WRONGTYPE…) pass through; replies that stand for an outage (READONLY, OOM, MOVED…, see
 * reply-errors.ts) and anything else (connection down, command timeout) become
 * `StoreUnavailableError` naming `op`, with the reason it is counted under.
 */
export function toStoreError(op: string, err: unknown): Error {
  if (err instanceof AppError) return err;
  const outage = outageReason(err);
  if (outage === null && isReplyError(err)) return err as Error;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`redis ${op} failed: ${message}`, { cause: err, reason: outage ?? connectionFailureReason(err) });
}

/** Runs `call`, rethrowing failures through {@link toStoreError}. */
export async function redisCall<T>(op: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toStoreError(op, err);
  }
}

/**
 * A Lua script run with EVALSHA, falling back to EVAL when the server does not know it yet
 * (first use, or after a restart). Keys go through ioredis' key prefix like any command.
 */
export class LuaScript {
  readonly lua: string;
  readonly sha: string;

  constructor(lua: string) {
    this.lua = lua;
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /** Runs the script; failures are mapped like {@link redisCall} with `op` in the message. */
  async run(redis: RedisClient, op: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return redisCall(op, async () => {
      try {
        return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
        return await redis.eval(this.lua, keys.length, ...keys, ...args);
      }
    });
  }
}

/** Resolves like `promise`, or rejects with `Error(message)` after `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Redis wants whole, positive milliseconds for PX / PEXPIRE. */
export function pxOf(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs));
}
