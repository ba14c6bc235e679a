/**
 * Staff accounts, console sessions and failed-login counters in Redis (shared by every
 * instance; accounts survive restarts).
 *
 * Keys (after the client's prefix; the `{staff}` hash tag keeps an account, its sessions and
 * their index on one slot, so each MULTI below is valid on a cluster too):
 * - `staff:{staff}:accounts`                 HASH username → account JSON (as many fields as accounts)
 * - `staff:{staff}:session:<sessionId>`      STRING session JSON, expires with the session
 * - `staff:{staff}:sessions-of:<username>`   SET of session ids (so removing an account ends them), expires with the newest
 * - `staff:login-fail:<key>`                 counter, expires `windowMs` after the first failure
 *
 * Until 2026-12 the first three had no hash tag (`staff:accounts`…); the accounts are moved
 * under the tag on first use (sessions of that time simply lapse: staff log in once more).
 */
import type { RedisClient } from './redis-client-type.ts';
import type { StaffAccount, StaffDirectory, StaffRole, StaffSession } from '../../core/ports.ts';
import { LuaScript, pxOf, redisCall } from './redis-call.ts';

const ACCOUNTS = 'staff:{staff}:accounts';
/** Where the accounts were kept before the hash tag. */
const LEGACY_ACCOUNTS = 'staff:accounts';
const sessionKey = (id: string): string => `staff:{staff}:session:${id}`;
const sessionsOfKey = (username: string): string => `staff:{staff}:sessions-of:${username}`;
const failKey = (key: string): string => `staff:login-fail:${key}`;

/** INCR, and start the window on the first failure only. */
const COUNT_FAILURE = new LuaScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`);

/** Options of {@link RedisStaffDirectory}. */
export interface RedisStaffDirectoryOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
}

const isRole = (v: unknown): v is StaffRole => v === 'staff' || v === 'editor';

function parseAccount(json: string | null | undefined): StaffAccount | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<StaffAccount>;
    if (typeof v.username !== 'string' || !isRole(v.role) || typeof v.passwordHash !== 'string') return null;
    return {
      username: v.username,
      role: v.role,
      passwordHash: v.passwordHash,
      createdAtMs: Number(v.createdAtMs ?? 0),
      ...(typeof v.passwordChangedAtMs === 'number' && { passwordChangedAtMs: v.passwordChangedAtMs }),
      ...(typeof v.displayName === 'string' && { displayName: v.displayName }),
    };
  } catch {
    return null;
  }
}

function parseSession(json: string | null): StaffSession | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as Partial<StaffSession>;
    if (typeof v.username !== 'string' || !isRole(v.role)) return null;
    return { username: v.username, role: v.role, createdAtMs: Number(v.createdAtMs), expiresAtMs: Number(v.expiresAtMs) };
  } catch {
    return null;
  }
}

/** {@link StaffDirectory} on Redis. Fails with `StoreUnavailableError` while Redis is unreachable. */
export class RedisStaffDirectory implements StaffDirectory {
  readonly #redis: RedisClient;
  #moved: Promise<void> | undefined;

  constructor(options: RedisStaffDirectoryOptions) {
    this.#redis = options.redis;
  }

  /**
   * Moves the accounts kept before the hash tag, once per instance (RENAMENX: never over accounts
   * already under the tag). Nothing to move, or a cluster (where such keys never worked), is fine.
   */
  #moveLegacy(): Promise<void> {
    this.#moved ??= redisCall('staff migrate', async () => {
      if ((await this.#redis.exists(LEGACY_ACCOUNTS)) === 0) return;
      await this.#redis.renamenx(LEGACY_ACCOUNTS, ACCOUNTS);
    }).catch(() => {
      this.#moved = undefined; // tried again on the next call
    });
    return this.#moved;
  }

  async getAccount(username: string): Promise<StaffAccount | null> {
    await this.#moveLegacy();
    return parseAccount(await redisCall('staff get', () => this.#redis.hget(ACCOUNTS, username)));
  }

  async putAccount(account: StaffAccount): Promise<void> {
    await this.#moveLegacy();
    await redisCall('staff put', () => this.#redis.hset(ACCOUNTS, account.username, JSON.stringify(account)));
  }

  async removeAccount(username: string): Promise<boolean> {
    await this.#moveLegacy();
    return redisCall('staff remove', async () => {
      const ids = await this.#redis.smembers(sessionsOfKey(username));
      const multi = this.#redis.multi().hdel(ACCOUNTS, username).del(sessionsOfKey(username));
      for (const id of ids) multi.del(sessionKey(id));
      const results = await multi.exec();
      return Number(results?.[0]?.[1] ?? 0) > 0;
    });
  }

  async endSessions(username: string): Promise<number> {
    return redisCall('staff end sessions', async () => {
      const ids = await this.#redis.smembers(sessionsOfKey(username));
      const multi = this.#redis.multi().del(sessionsOfKey(username));
      for (const id of ids) multi.del(sessionKey(id));
      const results = (await multi.exec()) ?? [];
      return results.slice(1).reduce((n, [, deleted]) => n + Number(deleted ?? 0), 0);
    });
  }

  async listAccounts(): Promise<StaffAccount[]> {
    await this.#moveLegacy();
    const all = await redisCall('staff list', () => this.#redis.hvals(ACCOUNTS));
    return all
      .map((json) => parseAccount(json))
      .filter((a): a is StaffAccount => a !== null)
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async createSession(sessionId: string, session: StaffSession, ttlMs: number): Promise<void> {
    const px = pxOf(ttlMs);
    await redisCall('session create', async () => {
      const multi = this.#redis
        .multi()
        .set(sessionKey(sessionId), JSON.stringify(session), 'PX', px)
        .sadd(sessionsOfKey(session.username), sessionId);
      // The index lives as long as the newest session; stale ids in it point at nothing.
      multi.pexpire(sessionsOfKey(session.username), px);
      await multi.exec();
    });
  }

  async getSession(sessionId: string): Promise<StaffSession | null> {
    return parseSession(await redisCall('session get', () => this.#redis.get(sessionKey(sessionId))));
  }

  async deleteSession(sessionId: string): Promise<void> {
    await redisCall('session delete', async () => {
      const session = parseSession(await this.#redis.get(sessionKey(sessionId)));
      const multi = this.#redis.multi().del(sessionKey(sessionId));
      if (session) multi.srem(sessionsOfKey(session.username), sessionId);
      await multi.exec();
    });
  }

  async recordLoginFailure(key: string, windowMs: number): Promise<number> {
    return Number(await COUNT_FAILURE.run(this.#redis, 'login failure', [failKey(key)], [pxOf(windowMs)]));
  }

  async loginFailures(key: string): Promise<number> {
    return Number((await redisCall('login failures', () => this.#redis.get(failKey(key)))) ?? 0);
  }

  async clearLoginFailures(key: string): Promise<void> {
    await redisCall('login failures clear', () => this.#redis.del(failKey(key)));
  }
}
