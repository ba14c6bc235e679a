/**
 * Staff accounts, sessions and failed-login counters in process memory (one instance, for
 * development and tests; everything is gone after a restart).
 */
import { systemClock, type Clock, type StaffAccount, type StaffDirectory, type StaffSession } from '../../core/ports.ts';
import { jsonCopy } from '../defaults.ts';
import { TtlMap } from './ttl-map.ts';

/** Options of {@link MemoryStaffDirectory}. */
export interface MemoryStaffDirectoryOptions {
  /** Time source for expiry (tests move it). Default: the system clock. */
  readonly clock?: Clock;
}

/** In-memory {@link StaffDirectory}. */
export class MemoryStaffDirectory implements StaffDirectory {
  readonly #accounts = new Map<string, StaffAccount>();
  readonly #sessions: TtlMap<StaffSession>;
  readonly #failures = new Map<string, { count: number; untilMs: number }>();
  readonly #clock: Clock;
  readonly #sessionsOf = new Map<string, Set<string>>();

  constructor(options: MemoryStaffDirectoryOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#sessions = new TtlMap(this.#clock);
  }

  async getAccount(username: string): Promise<StaffAccount | null> {
    const account = this.#accounts.get(username);
    return account === undefined ? null : jsonCopy(account);
  }

  async putAccount(account: StaffAccount): Promise<void> {
    this.#accounts.set(account.username, jsonCopy(account));
  }

  async removeAccount(username: string): Promise<boolean> {
    for (const id of this.#sessionsOf.get(username) ?? []) this.#sessions.delete(id);
    this.#sessionsOf.delete(username);
    return this.#accounts.delete(username);
  }

  async endSessions(username: string): Promise<number> {
    let ended = 0;
    for (const id of this.#sessionsOf.get(username) ?? []) {
      if (this.#sessions.has(id)) ended++;
      this.#sessions.delete(id);
    }
    this.#sessionsOf.delete(username);
    return ended;
  }

  async listAccounts(): Promise<StaffAccount[]> {
    return [...this.#accounts.values()].sort((a, b) => a.username.localeCompare(b.username)).map(jsonCopy);
  }

  async createSession(sessionId: string, session: StaffSession, ttlMs: number): Promise<void> {
    this.#sessions.set(sessionId, jsonCopy(session), ttlMs);
    const ids = this.#sessionsOf.get(session.username) ?? new Set<string>();
    for (const id of ids) if (!this.#sessions.has(id)) ids.delete(id);
    ids.add(sessionId);
    this.#sessionsOf.set(session.username, ids);
  }

  async getSession(sessionId: string): Promise<StaffSession | null> {
    const session = this.#sessions.get(sessionId);
    return session === undefined ? null : jsonCopy(session);
  }

  async deleteSession(sessionId: string): Promise<void> {
    const session = this.#sessions.get(sessionId);
    this.#sessions.delete(sessionId);
    if (session !== undefined) this.#sessionsOf.get(session.username)?.delete(sessionId);
  }

  async recordLoginFailure(key: string, windowMs: number): Promise<number> {
    const now = this.#clock.nowMs();
    const live = this.#liveFailures(key, now);
    const next = live === undefined ? { count: 1, untilMs: now + windowMs } : { count: live.count + 1, untilMs: live.untilMs };
    this.#failures.set(key, next);
    return next.count;
  }

  async loginFailures(key: string): Promise<number> {
    return this.#liveFailures(key, this.#clock.nowMs())?.count ?? 0;
  }

  async clearLoginFailures(key: string): Promise<void> {
    this.#failures.delete(key);
  }

  /** The window of `key` (fixed from its first failure), or undefined when over. */
  #liveFailures(key: string, now: number): { count: number; untilMs: number } | undefined {
    const entry = this.#failures.get(key);
    if (entry !== undefined && entry.untilMs <= now) {
      this.#failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
