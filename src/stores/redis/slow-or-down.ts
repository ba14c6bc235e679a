/**
 * Telling a Redis time-out under local lag from an outage. ioredis rejects a command with
 * "Command timed out" when its timer fires before the reply has been read. When the event loop
 * of this process is late (overload, a long synchronous task), that timer runs in the same
 * loop turn that would have read the reply: Redis answered in time, and this process did not
 * look. Such a time-out is "slow", not "Redis down": the command most likely ran (ioredis never
 * withdraws a command it has queued), and a caller with an idempotent follow-up should use it
 * instead of behaving as in an outage.
 */
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-client-type.ts';

/** ioredis' message for a command whose reply did not come in time. */
const TIMED_OUT = 'Command timed out';

/** What the triage reads; all optional (without them every time-out counts as an outage). */
export interface TimeoutTriage {
  /** The worst event-loop delay seen since an epoch ms (see metrics/event-loop-lag.ts), ms. */
  readonly lagSinceMs?: (sinceMs: number) => number;
  /**
   * Local lag from which a time-out is put down to this process, ms. Default 250: with a
   * 2 s command timeout, a loop that late has delayed the reading of the reply itself.
   */
  readonly suspectMs?: number;
  /** Told of every time-out put down to local lag (metrics), with the operation's name. */
  readonly onSlow?: (op: string) => void;
}

/** Default {@link TimeoutTriage.suspectMs}. */
export const DEFAULT_LAG_SUSPECT_MS = 250;

/** True when `err` (or one of its causes) is ioredis' command time-out. */
export function isCommandTimeout(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e.message === TIMED_OUT || e.message.endsWith(`: ${TIMED_OUT}`)) return true;
  }
  return false;
}

/**
 * True when `err` is a time-out of a call started at `startedMs` (epoch ms) that this process
 * caused: the connection is still up, and either the loop lagged by `suspectMs` or more since
 * then, or the time-out itself fired that late (it could only run once the loop was free).
 * Counts it through `onSlow`. False for everything else (connection lost, Redis hung while this
 * process was idle, an error Redis answered).
 */
export function slowNotDown(triage: TimeoutTriage | undefined, redis: RedisClient, err: unknown, startedMs: number, op: string): boolean {
  if (!isCommandTimeout(err) || redis.status !== 'ready') return false;
  const suspectMs = triage?.suspectMs ?? DEFAULT_LAG_SUSPECT_MS;
  const configured = redis instanceof Cluster ? redis.options.redisOptions?.commandTimeout : redis.options.commandTimeout;
  const timeoutMs = typeof configured === 'number' ? configured : undefined;
  const lateMs = timeoutMs === undefined ? 0 : Date.now() - startedMs - timeoutMs;
  const lagMs = triage?.lagSinceMs?.(startedMs) ?? 0;
  if (Math.max(lateMs, lagMs) < suspectMs) return false;
  triage?.onSlow?.(op);
  return true;
}
