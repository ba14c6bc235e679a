/**
 * Deciding a console login before and around the password check, so a flood can neither force
 * expensive checks nor lock a real staff member out:
 *
 * - Limits are read first (refused at once when over), and an attempt is counted before its
 *   check, so parallel attempts cannot slip past a limit while the checks run.
 * - Checks (scrypt, 32 MiB each) run through a {@link CheckGate}: `maxChecks` at a time in this
 *   process, a short queue behind them, "busy" past it.
 * - Limits are bound to the source. A browser where the account logged in before holds a
 *   device cookie (random token, stored hashed for {@link DEVICE_TTL_MS}); its attempts count
 *   per device only, so failures from elsewhere never lock it out. Other sources count per
 *   address + username, per address, and per account (only they are stopped by that one).
 * - A successful check with an older scrypt cost stores the password hashed again.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { KeyValueStore, Logger, StaffAccount, StaffDirectory } from '../core/ports.ts';
import { CheckGate, GateBusyError } from './check-gate.ts';
import { dummyCheck, hashPassword, needsRehash, verifyPassword } from './staff-accounts.ts';

/** Failed logins allowed per address + username (or per trusted device) within {@link LOGIN_WINDOW_MS}. */
export const LOGIN_MAX_FAILURES_PER_USER = 5;
/** Login attempts allowed per address (any username) within {@link LOGIN_WINDOW_MS}. */
export const LOGIN_MAX_FAILURES_PER_IP = 50;
/** Login attempts allowed per username from sources that are not its trusted devices, within {@link LOGIN_WINDOW_MS}. */
export const LOGIN_MAX_FAILURES_PER_ACCOUNT = 20;
/** The limits' window, ms (15 minutes from the first attempt). */
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** How long a browser stays a trusted device of an account after a login there, ms (90 days). */
export const DEVICE_TTL_MS = 90 * 86_400_000;
/** Accounts one browser may be a trusted device of (a shared office computer). */
const DEVICE_ACCOUNTS_MAX = 10;
/** Checks queued behind the running ones, per running place. */
const WAITING_PER_CHECK = 4;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What a login attempt came to. */
export type LoginOutcome =
  | { readonly kind: 'ok'; readonly account: StaffAccount; readonly deviceCookie?: string }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'limited' }
  | { readonly kind: 'busy' };

/** What {@link LoginGuard} needs. */
export interface LoginGuardOptions {
  readonly directory: StaffDirectory;
  /** Where trusted devices are kept (hashed tokens). */
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  /** Password checks at once in this process (STAFF_LOGIN_MAX_CHECKS). Default 2. */
  readonly maxChecks?: number;
  /** The device cookie's name. */
  readonly deviceCookieName: string;
  /** Mark the device cookie Secure. */
  readonly cookieSecure: boolean;
  /** Told of every outcome (metrics). */
  readonly counted?: (outcome: LoginOutcome['kind']) => void;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Limits, the check gate and trusted devices, for {@link StaffAuth.login}. */
export class LoginGuard {
  /** The password checks' gate (its `peak` shows the most that ran at once). */
  readonly gate: CheckGate;
  #checks = 0;

  constructor(private readonly opts: LoginGuardOptions) {
    const max = Math.max(1, opts.maxChecks ?? 2);
    this.gate = new CheckGate(max, max * WAITING_PER_CHECK);
  }

  /** Password checks (scrypt) run so far in this process. */
  get checksRun(): number {
    return this.#checks;
  }

  /** Decides one attempt of `username` (lower case) with `password`. Never throws for a bad password. */
  async attempt(req: FastifyRequest, username: string, password: string): Promise<LoginOutcome> {
    const outcome = await this.#attempt(req, username, password);
    this.opts.counted?.(outcome.kind);
    if (outcome.kind === 'limited') this.opts.logger.warn({ ip: req.ip }, 'staff login refused: too many attempts');
    else if (outcome.kind === 'invalid') this.opts.logger.info({ ip: req.ip }, 'staff login failed');
    else if (outcome.kind === 'busy') this.opts.logger.warn({}, 'staff login refused: password checks busy');
    return outcome;
  }

  async #attempt(req: FastifyRequest, username: string, password: string): Promise<LoginOutcome> {
    const { directory } = this.opts;
    const limits = await this.#limitsOf(req, username);
    const counts = await Promise.all(limits.map((l) => directory.loginFailures(l.key)));
    if (limits.some((l, i) => counts[i]! >= l.max)) return { kind: 'limited' };
    try {
      return await this.gate.run(async () => {
        // Counted before the check: parallel attempts see each other, and only `max` get a check.
        const taken = await Promise.all(limits.map((l) => directory.recordLoginFailure(l.key, LOGIN_WINDOW_MS)));
        if (limits.some((l, i) => taken[i]! > l.max)) return { kind: 'limited' } as const;
        const account = await this.#check(username, password);
        if (!account) return { kind: 'invalid' } as const;
        await directory.clearLoginFailures(limits[0]!.key);
        return { kind: 'ok', account, deviceCookie: await this.#trustDevice(req, username) } as const;
      });
    } catch (err) {
      if (err instanceof GateBusyError) return { kind: 'busy' };
      throw err;
    }
  }

  /**
   * The limits of this attempt, the source's own first: a trusted device of the account counts
   * alone; any other source per address + username, per address and per account.
   */
  async #limitsOf(req: FastifyRequest, username: string): Promise<{ key: string; max: number }[]> {
    const device = await this.#trustedDevice(req, username);
    if (device) return [{ key: `d:${device}`, max: LOGIN_MAX_FAILURES_PER_USER }];
    const nameHash = sha256(username).slice(0, 32);
    return [
      { key: `u:${req.ip}:${nameHash}`, max: LOGIN_MAX_FAILURES_PER_USER },
      { key: `ip:${req.ip}`, max: LOGIN_MAX_FAILURES_PER_IP },
      { key: `a:${nameHash}`, max: LOGIN_MAX_FAILURES_PER_ACCOUNT },
    ];
  }

  /** The account when the password is right (its hash made again at today's cost if older), else null. */
  async #check(username: string, password: string): Promise<StaffAccount | null> {
    const { directory } = this.opts;
    const account = await directory.getAccount(username);
    this.#checks++;
    const ok = account ? await verifyPassword(password, account.passwordHash) : await dummyCheck(password);
    if (!account || !ok) return null;
    if (!needsRehash(account.passwordHash)) return account;
    const upgraded: StaffAccount = { ...account, passwordHash: await hashPassword(password) };
    await directory.putAccount(upgraded);
    this.opts.logger.info({ username }, 'staff password hash upgraded to the current scrypt cost');
    return upgraded;
  }

  /** The hash of this browser's device token when it is a trusted device of `username`. */
  async #trustedDevice(req: FastifyRequest, username: string): Promise<string | null> {
    const token = cookieValue(req.headers.cookie, this.opts.deviceCookieName);
    if (token === undefined || !TOKEN.test(token)) return null;
    const hash = sha256(token);
    try {
      return (await this.#accountsOf(hash)).includes(username) ? hash.slice(0, 32) : null;
    } catch {
      return null; // without the store, the browser counts like any other source
    }
  }

  /** The accounts a device token (by hash) is trusted for. */
  async #accountsOf(hash: string): Promise<string[]> {
    const raw = await this.opts.kv.get(`staff:device:${hash}`);
    try {
      const list: unknown = raw === null ? [] : JSON.parse(raw);
      return Array.isArray(list) ? list.filter((u): u is string => typeof u === 'string') : [];
    } catch {
      return [];
    }
  }

  /**
   * Makes this browser a trusted device of `username` (a shared office computer may be one for
   * a few accounts); resolves the Set-Cookie that keeps (or starts) its token.
   */
  async #trustDevice(req: FastifyRequest, username: string): Promise<string | undefined> {
    const held = cookieValue(req.headers.cookie, this.opts.deviceCookieName);
    const token = held !== undefined && TOKEN.test(held) ? held : randomBytes(32).toString('base64url');
    const key = `staff:device:${sha256(token)}`;
    try {
      const accounts = [username, ...(await this.#accountsOf(sha256(token))).filter((u) => u !== username)].slice(0, DEVICE_ACCOUNTS_MAX);
      await this.opts.kv.set(key, JSON.stringify(accounts), DEVICE_TTL_MS);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'trusted device not recorded');
      return undefined;
    }
    const parts = [`${this.opts.deviceCookieName}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${DEVICE_TTL_MS / 1000}`];
    if (this.opts.cookieSecure) parts.push('Secure');
    return parts.join('; ');
  }
}
