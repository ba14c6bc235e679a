/**
 * Staff console authentication: login (rate-limited, constant-time password check), cookie
 * sessions kept in the StaffDirectory with an expiry, logout, and `requireRole()` for routes.
 *
 * - Cookie: random 32-byte token, HttpOnly, SameSite=Strict, Path=/, Secure (and the `__Host-`
 *   name prefix) when `cookieSecure`. Only a SHA-256 of the token is stored, so a copy of Redis
 *   cannot be replayed as a cookie.
 * - CSRF: SameSite=Strict, plus {@link sameOriginGuard} on every state-changing route (a browser
 *   request from another site carries `Origin` / `Sec-Fetch-Site`, which must say same origin).
 * - Brute force and floods: see {@link LoginGuard} (limits checked and counted before the
 *   password check, bounded concurrent checks, limits bound to the source) → 429 or 503.
 * - A password change ends the account's sessions; a session older than it is refused.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { AuditLog, Clock, KeyValueStore, Logger, StaffDirectory, StaffRole } from '../core/ports.ts';
import { neutralizeBidi } from '../core/text.ts';
import { STAFF_PASSWORD_MAX } from './staff-accounts.ts';
import { LOGIN_WINDOW_MS, LoginGuard, cookieValue, type LoginOutcome } from './staff-login.ts';

export { LOGIN_MAX_FAILURES_PER_ACCOUNT, LOGIN_MAX_FAILURES_PER_IP, LOGIN_MAX_FAILURES_PER_USER, LOGIN_WINDOW_MS } from './staff-login.ts';

/** Who is calling, once `requireRole` let them in. */
export interface StaffIdentity {
  readonly username: string;
  readonly role: StaffRole;
  readonly displayName?: string;
  /** When the session ends (epoch ms); long-lived streams close then. */
  readonly sessionExpiresAtMs: number;
}

/** Options of {@link StaffAuth}. */
export interface StaffAuthOptions {
  readonly directory: StaffDirectory;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Session lifetime, ms (STAFF_SESSION_HOURS). */
  readonly sessionTtlMs: number;
  /** Mark the cookie Secure and use the `__Host-` name (behind https). */
  readonly cookieSecure: boolean;
  /** Extra origin accepted by {@link sameOriginGuard}, e.g. PUBLIC_URL. */
  readonly publicUrl?: string;
  /** Where trusted login devices are kept. Default: none (every browser counts as a new source). */
  readonly kv?: KeyValueStore;
  /** Password checks at once in this process (STAFF_LOGIN_MAX_CHECKS). Default 2. */
  readonly maxChecks?: number;
  /** Told of every login outcome (metrics). */
  readonly loginCounted?: (outcome: LoginOutcome['kind']) => void;
}

const LoginBody = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(STAFF_PASSWORD_MAX),
});

const identities = new WeakMap<FastifyRequest, StaffIdentity>();

/** The identity `requireRole` attached to the request; throws when used on an unguarded route. */
export function staffOf(req: FastifyRequest): StaffIdentity {
  const who = identities.get(req);
  if (!who) throw new Error('staffOf() on a route without requireRole()');
  return who;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A key-value store that keeps nothing (no trusted devices). */
const NO_KV: KeyValueStore = { get: async () => null, set: async () => {}, setIfAbsent: async () => false, delete: async () => {} };

/**
 * Refuses (403) a request a browser sent from another site: `Sec-Fetch-Site` must be
 * same-origin/none when present, and `Origin` must be this app's origin (or `publicUrl`) when
 * present. Requests without either header (curl, server-to-server) pass: they carry no
 * victim's cookie.
 */
export function sameOriginGuard(publicUrl?: string): (req: FastifyRequest, reply: FastifyReply) => Promise<unknown> {
  const extra = publicUrl ? new URL(publicUrl).origin : undefined;
  return async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return undefined;
    const site = req.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      return reply.code(403).send({ error: 'cross_site' });
    }
    const origin = req.headers.origin;
    if (typeof origin === 'string') {
      const own = `${req.protocol}://${req.host}`;
      if (origin !== own && origin !== extra) return reply.code(403).send({ error: 'cross_site' });
    }
    return undefined;
  };
}

/** Sessions, login and the role guard. One per app. */
export class StaffAuth {
  /** The session cookie's name (`__Host-` prefixed when Secure). */
  readonly cookieName: string;
  /** Login limits, the password checks' gate and trusted devices. */
  readonly guard: LoginGuard;

  constructor(private readonly opts: StaffAuthOptions) {
    this.cookieName = opts.cookieSecure ? '__Host-dvc_staff' : 'dvc_staff';
    this.guard = new LoginGuard({
      directory: opts.directory,
      kv: opts.kv ?? NO_KV,
      logger: opts.logger,
      deviceCookieName: opts.cookieSecure ? '__Host-dvc_device' : 'dvc_device',
      cookieSecure: opts.cookieSecure,
      ...(opts.maxChecks !== undefined ? { maxChecks: opts.maxChecks } : {}),
      ...(opts.loginCounted ? { counted: opts.loginCounted } : {}),
    });
  }

  /**
   * A preHandler letting in a live session whose account still exists and has `role`
   * (an editor may do everything staff may; staff may not open editor routes).
   * 401 without a valid session, 403 with too small a role.
   */
  requireRole(role: StaffRole): preHandlerAsyncHookHandler {
    return async (req, reply) => {
      const who = await this.identify(req);
      if (!who) return reply.code(401).send({ error: 'unauthorized' });
      if (role === 'editor' && who.role !== 'editor') return reply.code(403).send({ error: 'forbidden' });
      identities.set(req, who);
      return undefined;
    };
  }

  /** The caller's identity from the session cookie, or null. */
  async identify(req: FastifyRequest): Promise<StaffIdentity | null> {
    const token = cookieValue(req.headers.cookie, this.cookieName);
    if (!token || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const sessionId = sha256(token);
    const session = await this.opts.directory.getSession(sessionId);
    if (!session || session.expiresAtMs <= this.opts.clock.nowMs()) return null;
    const account = await this.opts.directory.getAccount(session.username);
    // Gone, or its password changed since this session began: whoever held the old one is out.
    if (!account || session.createdAtMs < (account.passwordChangedAtMs ?? 0)) {
      await this.opts.directory.deleteSession(sessionId);
      return null;
    }
    const displayName = account.displayName ? neutralizeBidi(account.displayName) : undefined;
    return {
      username: account.username,
      role: account.role,
      sessionExpiresAtMs: session.expiresAtMs,
      ...(displayName ? { displayName } : {}),
    };
  }

  /** POST /api/staff/login handler: 200 + cookie, 400, 401, 429 (too many attempts) or 503 (checks busy), with retry-after. */
  async login(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const parsed = LoginBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request' });
    const username = parsed.data.username.trim().toLowerCase();
    const outcome = await this.guard.attempt(req, username, parsed.data.password);
    if (outcome.kind === 'limited') return reply.code(429).header('retry-after', String(LOGIN_WINDOW_MS / 1000)).send({ error: 'too_many_attempts' });
    if (outcome.kind === 'busy') return reply.code(503).header('retry-after', '2').send({ error: 'busy' });
    if (outcome.kind === 'invalid') return reply.code(401).send({ error: 'invalid_credentials' });
    const { account } = outcome;
    const token = randomBytes(32).toString('base64url');
    const now = this.opts.clock.nowMs();
    await this.opts.directory.createSession(sha256(token), { username, role: account.role, createdAtMs: now, expiresAtMs: now + this.opts.sessionTtlMs }, this.opts.sessionTtlMs);
    await this.audit(username, 'login');
    const cookies = [this.cookie(token, Math.floor(this.opts.sessionTtlMs / 1000))];
    if (outcome.deviceCookie) cookies.push(outcome.deviceCookie);
    reply.header('set-cookie', cookies);
    const displayName = account.displayName ? neutralizeBidi(account.displayName) : username;
    return reply.send({ username, role: account.role, displayName });
  }

  /** POST /api/staff/logout handler: ends the session (if any) and clears the cookie. Always 200. */
  async logout(req: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const token = cookieValue(req.headers.cookie, this.cookieName);
    if (token) {
      const who = await this.identify(req);
      await this.opts.directory.deleteSession(sha256(token));
      if (who) await this.audit(who.username, 'logout');
    }
    reply.header('set-cookie', this.cookie('', 0));
    return reply.send({ ok: true });
  }

  private cookie(value: string, maxAgeS: number): string {
    const parts = [`${this.cookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeS}`];
    if (this.opts.cookieSecure) parts.push('Secure');
    return parts.join('; ');
  }

  private async audit(actor: string, action: 'login' | 'logout'): Promise<void> {
    try {
      await this.opts.audit.append({ atMs: this.opts.clock.nowMs(), actor, action });
    } catch (err) {
      this.opts.logger.warn({ action, err: (err as Error).message }, 'audit entry not written');
    }
  }
}
