/**
 * Web chat sessions: issued by the server, kept by the browser in an HttpOnly cookie (never in
 * a URL), and budgeted when new.
 *
 * - The cookie holds a random 32-byte token. The conversation is `web:<chat id>`, the chat id
 *   being the first 32 hex digits of the token's SHA-256: staff, logs, the audit log and Redis
 *   keys see the chat id, never the token, so none of them can be replayed as the citizen.
 * - A token is live while its conversation exists. A message without a live token starts a new
 *   conversation with a new token (a token the client made up is never adopted), within
 *   per-address and overall budgets ({@link WebChatBudget}); past them the answer is 429.
 * - When the store is down, a cookie's session is used as is and the budgets let the message
 *   through: nothing is stored then, and the bot answers without memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { AppError } from '../../core/errors.ts';
import type { BudgetWindow, Clock, ConversationStore, Logger, RateBudget } from '../../core/ports.ts';

/** The cookie's name without Secure (`__Host-` is put before it behind https). */
export const WEB_SESSION_COOKIE = 'dvc_chat';
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** How many new web chat conversations may start (0 = no limit for that window). */
export interface WebChatBudget {
  readonly perIpPerMinute: number;
  readonly perIpPerDay: number;
  readonly perMinute: number;
  readonly perDay: number;
}

/** Which budget refused a new conversation (a metric label). */
export type WebBudgetWindow = 'ip-minute' | 'ip-day' | 'all-minute' | 'all-day';

/** What {@link WebSessions} needs. */
export interface WebSessionsOptions {
  readonly budget: RateBudget;
  readonly limits: WebChatBudget;
  /** A session is live while its conversation has a state. */
  readonly conversations: Pick<ConversationStore, 'get'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Mark the cookie Secure and use the `__Host-` name (behind https). */
  readonly cookieSecure: boolean;
  /** Cookie lifetime, seconds (the conversation lifetime). */
  readonly cookieMaxAgeS: number;
  /** Told of each new conversation and each refused one (metrics). */
  readonly counted?: (outcome: 'started' | WebBudgetWindow) => void;
}

/** The session a message belongs to. */
export type WebSessionFor =
  /** An existing conversation; `greeting` while it never got past the greeting. */
  | { readonly kind: 'live'; readonly chatId: string; readonly greeting: boolean }
  /** A new conversation: send `setCookie` with the answer. */
  | { readonly kind: 'new'; readonly chatId: string; readonly setCookie: string }
  /** Over a budget: answer 429. */
  | { readonly kind: 'refused'; readonly retryAfterMs: number; readonly window: WebBudgetWindow };

/** The chat id of a session token: 32 hex digits of its SHA-256. */
export function webChatIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/**
 * The budget key of a client address, hashed: an IPv4 address (IPv4-mapped IPv6 included) as
 * is, an IPv6 address by its /64 (one subscriber usually holds a whole /64).
 */
export function clientKeyOf(ip: string): string {
  const bare = ip.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  const key = mapped ? mapped[1]! : isIP(bare) === 6 ? ipv6Prefix64(bare) : bare;
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}

/** The first four groups of an IPv6 address, expanded (`2001:db8::1` → `2001:db8:0:0`). */
function ipv6Prefix64(ip: string): string {
  const [head = '', tail] = ip.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

/** The value of cookie `name` in a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** Issues, recognises and budgets web chat sessions. One per app. */
export class WebSessions {
  /** The cookie's name (`__Host-` prefixed when Secure). */
  readonly cookieName: string;

  constructor(private readonly opts: WebSessionsOptions) {
    this.cookieName = opts.cookieSecure ? `__Host-${WEB_SESSION_COOKIE}` : WEB_SESSION_COOKIE;
  }

  /** The chat id of the request's session cookie (not checked against the store), or null. */
  chatIdOf(cookieHeader: string | undefined): string | null {
    const token = cookieValue(cookieHeader, this.cookieName);
    return token !== undefined && TOKEN.test(token) ? webChatIdOf(token) : null;
  }

  /** The session of a citizen message from `ip`: its live one, a new one, or refused. Never rejects. */
  async forMessage(cookieHeader: string | undefined, ip: string): Promise<WebSessionFor> {
    const chatId = this.chatIdOf(cookieHeader);
    if (chatId !== null) {
      try {
        const state = await this.opts.conversations.get(`web:${chatId}`);
        if (state !== null) return { kind: 'live', chatId, greeting: state.greetingOnly === true };
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'STORE_UNAVAILABLE')) throw err;
        return { kind: 'live', chatId, greeting: false }; // nothing is stored while it is down
      }
    }
    return this.#start(ip);
  }

  /** A new session within the budgets. */
  async #start(ip: string): Promise<WebSessionFor> {
    const windows = this.#windows(ip);
    try {
      const taken = await this.opts.budget.take(windows.map((w) => w.window), this.opts.clock.nowMs());
      if (!taken.ok) {
        const window = windows.find((w) => w.window.key === taken.key)?.name ?? 'all-minute';
        this.opts.counted?.(window);
        return { kind: 'refused', retryAfterMs: taken.retryAfterMs, window };
      }
    } catch (err) {
      // The budgets live in the store: while it is down nothing is kept, so nothing can pile up.
      this.opts.logger.warn({ err: (err as Error).message }, 'web chat budget not checked (store unavailable)');
    }
    const token = randomBytes(32).toString('base64url');
    this.opts.counted?.('started');
    return { kind: 'new', chatId: webChatIdOf(token), setCookie: this.#cookie(token) };
  }

  /** The budget windows of a new conversation from `ip` (limits of 0 left out). */
  #windows(ip: string): { name: WebBudgetWindow; window: BudgetWindow }[] {
    const { perIpPerMinute, perIpPerDay, perMinute, perDay } = this.opts.limits;
    const client = clientKeyOf(ip);
    const all: { name: WebBudgetWindow; window: BudgetWindow }[] = [
      { name: 'ip-minute', window: { key: `web-new:ip:${client}:minute`, limit: perIpPerMinute, windowMs: MINUTE_MS } },
      { name: 'ip-day', window: { key: `web-new:ip:${client}:day`, limit: perIpPerDay, windowMs: DAY_MS } },
      { name: 'all-minute', window: { key: 'web-new:all:minute', limit: perMinute, windowMs: MINUTE_MS } },
      { name: 'all-day', window: { key: 'web-new:all:day', limit: perDay, windowMs: DAY_MS } },
    ];
    return all.filter((w) => w.window.limit > 0);
  }

  #cookie(token: string): string {
    const parts = [`${this.cookieName}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.floor(this.opts.cookieMaxAgeS)}`];
    if (this.opts.cookieSecure) parts.push('Secure');
    return parts.join('; ');
  }
}
