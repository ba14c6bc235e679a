/**
 * Zalo OA access tokens. The access token lives about 25 h; the refresh token is single-use
 * and rotates on every refresh, so losing the new one locks the bot out until a person
 * re-authorises the app. Hence:
 * - the pair lives in the shared KeyValueStore (Redis in production), seeded from
 *   ZALO_OA_ACCESS_TOKEN / ZALO_OA_REFRESH_TOKEN only when the store is empty;
 * - one refresh at a time: a promise shared within the process, a `setIfAbsent` lock across
 *   instances (the others wait for the new pair to appear in the store);
 * - the new pair is saved to the store before it is used;
 * - a failed refresh is logged loudly and reported by health() (→ /readyz).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ChannelNetworkError, ChannelRejectedError } from '../../core/errors.ts';
import type { Clock, KeyValueStore, Logger } from '../../core/ports.ts';
import { DEFAULT_HTTP_TIMEOUT_MS, TransientHttpError, fetchJson, redactSecrets } from '../http-retry.ts';
import { ZALO_OA_ACCESS_TOKEN_TTL_MS, ZALO_OA_TOKEN_PATH } from './limits.ts';

const CHANNEL = 'zalo-oa';

/** The stored token pair. `expiresAtMs` null = unknown (seeded from config): refreshed only when refused. */
export interface ZaloOaTokenPair {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly expiresAtMs: number | null;
}

/** Options of the token manager. */
export interface ZaloOaTokenManagerOptions {
  readonly kv: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly fetch?: typeof fetch;
  /** ZALO_OA_OAUTH_ROOT, e.g. https://oauth.zaloapp.com */
  readonly oauthRoot: string;
  readonly appId: string;
  /** ZALO_OA_APP_SECRET: sent as the `secret_key` header of the refresh call. */
  readonly appSecret?: string;
  readonly seedAccessToken?: string;
  readonly seedRefreshToken?: string;
  /** Store key of the pair; default `zalo-oa:tokens` (the lock is `<key>:lock`). */
  readonly key?: string;
  /** Refresh this long before expiry, ms; default 10 min. */
  readonly refreshMarginMs?: number;
  /** Lifetime of the cross-instance lock, ms; default 30 s. */
  readonly lockTtlMs?: number;
  /** How long an instance waits for another one's refresh, ms; default 15 s. */
  readonly lockWaitMs?: number;
  /** How often a waiting instance looks at the store, ms; default 250. */
  readonly pollIntervalMs?: number;
  /** Time limit of the refresh call, ms; default 10 s. */
  readonly timeoutMs?: number;
}

const PairSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  expiresAtMs: z.number().nullable(),
});

/** Keeps the OA access token fresh. */
export class ZaloOaTokenManager {
  readonly #o: ZaloOaTokenManagerOptions;
  readonly #key: string;
  #inflight: Promise<string> | null = null;
  #unsaved: ZaloOaTokenPair | null = null;
  #lastFailure: string | null = null;
  #lastRefreshAtMs: number | null = null;
  /** Number of refresh calls this instance made to Zalo (for tests and metrics). */
  refreshCount = 0;

  constructor(options: ZaloOaTokenManagerOptions) {
    this.#o = options;
    this.#key = options.key ?? 'zalo-oa:tokens';
  }

  /** The stored pair (seeding the store from config when empty), or null when there is none. */
  async current(): Promise<ZaloOaTokenPair | null> {
    if (this.#unsaved) await this.#save(this.#unsaved).catch(() => undefined);
    if (this.#unsaved) return this.#unsaved;
    const raw = await this.#o.kv.get(this.#key);
    if (raw !== null) {
      const parsed = PairSchema.safeParse(safeJson(raw));
      if (parsed.success) return parsed.data;
      this.#o.logger.error({ key: this.#key }, 'zalo-oa stored token pair unreadable; seeding from config');
    }
    const { seedAccessToken, seedRefreshToken } = this.#o;
    if (!seedAccessToken && !seedRefreshToken) return null;
    const seeded: ZaloOaTokenPair = { accessToken: seedAccessToken ?? '', refreshToken: seedRefreshToken ?? null, expiresAtMs: null };
    await this.#o.kv.set(this.#key, JSON.stringify(seeded));
    return seeded;
  }

  /**
   * An access token to call the API with, refreshed first when it is missing or within the
   * margin of its expiry. Throws ChannelRejectedError when there is no token at all or the
   * refresh was refused, ChannelNetworkError when the refresh could not be done.
   */
  async getAccessToken(): Promise<string> {
    const pair = await this.current();
    if (!pair) throw new ChannelRejectedError(CHANNEL, 401, 'no access token: set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN');
    if (pair.refreshToken && (pair.accessToken === '' || this.#isDue(pair))) return this.refresh(pair.accessToken);
    return pair.accessToken;
  }

  /**
   * Refreshes because `staleToken` is expired or was refused. Concurrent callers share one
   * refresh; when the stored token already differs from `staleToken` (someone refreshed in
   * the meantime) that one is returned without calling Zalo.
   */
  refresh(staleToken: string): Promise<string> {
    this.#inflight ??= this.#refresh(staleToken).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  /** Refreshes now if the stored token is within the margin of its expiry (for a periodic timer). Never throws. */
  async refreshIfDue(): Promise<void> {
    try {
      const pair = await this.current();
      if (pair?.refreshToken && this.#isDue(pair)) await this.refresh(pair.accessToken);
    } catch {
      // Already logged and recorded for health().
    }
  }

  /** ok unless the last refresh (or saving its result) failed, or there is no token at all. */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    if (this.#lastFailure) return { ok: false, detail: this.#lastFailure };
    if (this.#unsaved) return { ok: false, detail: 'refreshed token pair not saved to the store yet' };
    const pair = await this.current().catch(() => null);
    if (!pair) return { ok: false, detail: 'no access token configured' };
    return { ok: true, ...(this.#lastRefreshAtMs ? { detail: `refreshed at ${new Date(this.#lastRefreshAtMs).toISOString()}` } : {}) };
  }

  #isDue(pair: ZaloOaTokenPair): boolean {
    if (pair.expiresAtMs === null) return false;
    return this.#o.clock.nowMs() >= pair.expiresAtMs - (this.#o.refreshMarginMs ?? 10 * 60_000);
  }

  async #refresh(staleToken: string): Promise<string> {
    const stored = await this.current();
    if (stored && stored.accessToken !== '' && stored.accessToken !== staleToken && !this.#isDue(stored)) return stored.accessToken;
    if (!stored?.refreshToken) throw this.#fail(new ChannelRejectedError(CHANNEL, 401, 'access token refused and no refresh token to renew it'));
    if (!this.#o.appSecret) throw this.#fail(new ChannelRejectedError(CHANNEL, 401, 'cannot refresh: ZALO_OA_APP_SECRET is not set'));
    const lockKey = `${this.#key}:lock`;
    const owner = randomUUID();
    if (!(await this.#o.kv.setIfAbsent(lockKey, owner, this.#o.lockTtlMs ?? 30_000))) {
      return this.#waitForOtherInstance(stored.accessToken);
    }
    try {
      const latest = (await this.current()) ?? stored; // another instance may have finished just before our lock
      if (latest.accessToken !== stored.accessToken && latest.accessToken !== '' && !this.#isDue(latest)) return latest.accessToken;
      const next = await this.#requestNewPair(latest.refreshToken ?? stored.refreshToken);
      this.#unsaved = next; // kept in memory until the store has it: the old refresh token is spent
      await this.#save(next);
      this.#lastFailure = null;
      this.#lastRefreshAtMs = this.#o.clock.nowMs();
      this.#o.logger.info({ expiresAtMs: next.expiresAtMs }, 'zalo-oa access token refreshed');
      return next.accessToken;
    } catch (err) {
      throw this.#fail(err);
    } finally {
      if ((await this.#o.kv.get(lockKey).catch(() => null)) === owner) await this.#o.kv.delete(lockKey).catch(() => undefined);
    }
  }

  async #save(pair: ZaloOaTokenPair): Promise<void> {
    try {
      await this.#o.kv.set(this.#key, JSON.stringify(pair));
      if (this.#unsaved === pair) this.#unsaved = null;
    } catch (err) {
      this.#o.logger.error({ err }, 'ZALO OA: COULD NOT SAVE THE NEW TOKEN PAIR; it is kept in memory only and will be lost on restart');
      throw err;
    }
  }

  async #waitForOtherInstance(oldAccessToken: string): Promise<string> {
    const deadline = Date.now() + (this.#o.lockWaitMs ?? 15_000);
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, this.#o.pollIntervalMs ?? 250));
      const pair = await this.current();
      if (pair && pair.accessToken !== oldAccessToken && pair.accessToken !== '') return pair.accessToken;
    }
    throw new ChannelNetworkError(CHANNEL, 'token refresh by another instance did not finish in time');
  }

  /** One refresh call. Never retried: the refresh token is single-use. */
  async #requestNewPair(refreshToken: string | null): Promise<ZaloOaTokenPair> {
    this.refreshCount += 1;
    const url = `${this.#o.oauthRoot.replace(/\/+$/, '')}${ZALO_OA_TOKEN_PATH}`;
    const form = new URLSearchParams({ app_id: this.#o.appId, grant_type: 'refresh_token', refresh_token: refreshToken ?? '' });
    let response;
    try {
      response = await fetchJson(
        this.#o.fetch ?? globalThis.fetch,
        url,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.#o.appSecret ?? '' }, body: form.toString() },
        this.#o.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS,
      );
    } catch (err) {
      const reason = err instanceof TransientHttpError ? err.message : 'unexpected failure';
      throw new ChannelNetworkError(CHANNEL, `token refresh: ${reason}`);
    }
    const body = (response.body ?? {}) as Record<string, unknown>;
    const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
    if (response.status >= 400 || accessToken === '') {
      const code = typeof body.error === 'number' ? body.error : response.status;
      const said = [body.error_name, body.error_description, body.message].filter((v) => typeof v === 'string').join(': ');
      const description = redactSecrets(said || `HTTP ${response.status}`, [refreshToken ?? undefined, this.#o.appSecret]);
      throw new ChannelRejectedError(CHANNEL, response.status, `token refresh refused: ${description}`, { platformCode: code });
    }
    const expiresInS = Number(body.expires_in);
    return {
      accessToken,
      // Zalo rotates the refresh token; keep the old one only if a response ever omits it.
      refreshToken: typeof body.refresh_token === 'string' && body.refresh_token !== '' ? body.refresh_token : refreshToken,
      expiresAtMs: this.#o.clock.nowMs() + (Number.isFinite(expiresInS) && expiresInS > 0 ? expiresInS * 1000 : ZALO_OA_ACCESS_TOKEN_TTL_MS),
    };
  }

  #fail(err: unknown): unknown {
    const detail = err instanceof Error ? err.message : 'unknown error';
    this.#lastFailure = `token refresh failed: ${detail}`;
    this.#o.logger.error(
      { err },
      'ZALO OA TOKEN REFRESH FAILED: the OA cannot answer citizens once the access token expires. Re-authorise the app and set a new ZALO_OA_REFRESH_TOKEN (see README).',
    );
    return err;
  }
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}
