/**
 * Is this Redis able to keep a citizen's conversation right now? More than a PING: a replica
 * (after a failover, on a stale address), a full Redis under `noeviction`, a sentinel or a
 * cluster with uncovered slots all answer PING, and all refuse the writes every turn needs.
 * So the check asks each primary's role and makes a write round trip.
 */
import { randomUUID } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import { withTimeout } from './redis-call.ts';
import type { RedisClient } from './redis-client-type.ts';

/** What a readiness check found; `detail` is safe to show (no address, no password). */
export interface StoreReadiness {
  readonly ok: boolean;
  readonly detail: string;
}

/** Options of {@link RedisReadiness}. */
export interface RedisReadinessOptions {
  /** Longest a check may take, ms. Default 1 500. */
  readonly timeoutMs?: number;
  /** Lifetime of the key the write round trip leaves behind, ms. Default 60 000. */
  readonly keyTtlMs?: number;
}

/** The role a server gives in reply to ROLE: `master`, `slave`, `sentinel`. */
async function roleOf(node: Redis): Promise<string> {
  const reply = (await node.call('ROLE')) as unknown[];
  return String(reply[0]);
}

/** True when `node` refuses writes for memory: `maxmemory` reached under `noeviction`. */
async function isFull(node: Redis): Promise<boolean> {
  const info = await node.info('memory');
  const field = (name: string): string => new RegExp(`^${name}:(\\S+)`, 'm').exec(info)?.[1] ?? '';
  const max = Number(field('maxmemory'));
  return max > 0 && field('maxmemory_policy') === 'noeviction' && Number(field('used_memory')) >= max;
}

/** A message for a refused check, without the server's address. */
function why(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 160);
}

/** Readiness of a Redis store: role of every primary, then a write and a read of a key of its own. */
export class RedisReadiness {
  readonly #redis: RedisClient;
  readonly #timeoutMs: number;
  readonly #keyTtlMs: number;
  /** One key per instance (under the client's key prefix), so instances never overwrite each other's. */
  readonly #key = `health:${randomUUID()}`;

  constructor(redis: RedisClient, options: RedisReadinessOptions = {}) {
    this.#redis = redis;
    this.#timeoutMs = options.timeoutMs ?? 1_500;
    this.#keyTtlMs = options.keyTtlMs ?? 60_000;
  }

  /** Runs the check; never throws, never takes longer than the timeout. */
  async check(): Promise<StoreReadiness> {
    if (this.#redis.status !== 'ready') return { ok: false, detail: `redis not connected (${this.#redis.status})` };
    try {
      return await withTimeout(this.#run(), this.#timeoutMs, `no answer within ${this.#timeoutMs} ms`);
    } catch (err) {
      return { ok: false, detail: `redis: ${why(err)}` };
    }
  }

  async #run(): Promise<StoreReadiness> {
    const roles = await this.#roles();
    if (roles !== null) return roles;
    const value = String(Date.now());
    try {
      await this.#redis.set(this.#key, value, 'PX', this.#keyTtlMs);
    } catch (err) {
      return { ok: false, detail: `redis refuses writes: ${why(err)}` };
    }
    const back = await this.#redis.get(this.#key);
    if (back !== value) return { ok: false, detail: 'redis: a write did not read back' };
    return { ok: true, detail: this.#redis instanceof Cluster ? `redis cluster (${this.#redis.nodes('master').length} primaries)` : 'redis primary' };
  }

  /** Null when every node we write to is a primary (and a cluster covers every slot), else why not. */
  async #roles(): Promise<StoreReadiness | null> {
    if (!(this.#redis instanceof Cluster)) {
      const role = await roleOf(this.#redis);
      if (role === 'master') return null;
      const what = role === 'slave' ? 'a read-only replica (after a failover? use REDIS_SENTINELS)' : role === 'sentinel' ? 'a sentinel, not a Redis server' : `role ${role}`;
      return { ok: false, detail: `redis is ${what}` };
    }
    const info = String(await this.#redis.cluster('INFO'));
    const state = /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
    if (state !== 'ok') return { ok: false, detail: `redis cluster state ${state}` };
    const masters = this.#redis.nodes('master');
    const roles = await Promise.all(masters.map((n) => roleOf(n)));
    const demoted = roles.filter((r) => r !== 'master').length;
    if (demoted > 0) return { ok: false, detail: `redis cluster: ${demoted} of ${masters.length} primaries are no longer primaries` };
    // The write below reaches one primary; a full one elsewhere would refuse its share of the turns.
    const full = (await Promise.all(masters.map((n) => isFull(n)))).filter(Boolean).length;
    return full === 0 ? null : { ok: false, detail: `redis cluster: ${full} of ${masters.length} primaries are full (maxmemory, noeviction)` };
  }
}
