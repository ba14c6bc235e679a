/**
 * A thin, typed client of the Zalo OA API v3 over fetch. Calls carry the `access_token`
 * header and are answered `{ error: 0, message, data }` (HTTP 200 even when refused).
 * Network errors, timeouts and 5xx are retried with a bounded backoff; an invalid/expired
 * token triggers one refresh and one more try; "user cannot receive" codes are not retried.
 * Limits also come back as HTTP 200 with an error code: "too fast" (ZALO_OA_RATE_LIMIT_CODES)
 * is retried with backoff and then thrown as RateLimitedError; "quota used up"
 * (ZALO_OA_QUOTA_CODES) is not retried, and stays in {@link ZaloOaClient.quotaExhausted} until
 * a call succeeds again.
 */
import { ChannelNetworkError, ChannelRejectedError, RateLimitedError, RecipientUnreachableError } from '../../core/errors.ts';
import {
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_RETRY_POLICY,
  TransientHttpError,
  fetchJson,
  redactSecrets,
  withRetry,
  type OnRetry,
  type RetryPolicy,
} from '../http-retry.ts';
import {
  ZALO_OA_CS_MESSAGE_PATH,
  ZALO_OA_QUOTA_CODES,
  ZALO_OA_RATE_LIMIT_CODES,
  ZALO_OA_TOKEN_ERROR_CODES,
  ZALO_OA_UNREACHABLE_CODES,
} from './limits.ts';
import type { ZaloOaMessageBody } from './render.ts';

const CHANNEL = 'zalo-oa';

/** Where the client gets its access token (ZaloOaTokenManager). */
export interface ZaloOaTokenSource {
  getAccessToken(): Promise<string>;
  /** Called when the API refused `staleToken`; resolves a fresh one. */
  refresh(staleToken: string): Promise<string>;
}

/** Options of the client. */
export interface ZaloOaClientOptions {
  /** ZALO_OA_API_ROOT, default https://openapi.zalo.me */
  readonly apiRoot?: string;
  readonly tokens: ZaloOaTokenSource;
  readonly fetch?: typeof fetch;
  /** Time limit of one call, ms; default 10 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Hears of every retried call, before its wait (the metrics count them). */
  readonly onRetry?: OnRetry;
  /** Hears of every "too fast" or "quota used up" answer (the metrics count them). */
  readonly onLimited?: (kind: 'rate-limit' | 'quota') => void;
  /** Current time, epoch ms (when the quota ran out). Default Date.now. */
  readonly nowMs?: () => number;
}

/** What a successful send returns. */
export interface ZaloOaSendResult {
  readonly messageId?: string;
}

/** True for an error that says our access token was invalid or expired. */
export function isZaloOaTokenError(err: unknown): boolean {
  return err instanceof ChannelRejectedError && typeof err.platformCode === 'number' && ZALO_OA_TOKEN_ERROR_CODES.includes(err.platformCode);
}

/** True for an error that says the OA's message quota is used up (nothing else will get through either). */
export function isZaloOaQuotaError(err: unknown): boolean {
  return err instanceof ChannelRejectedError && typeof err.platformCode === 'number' && ZALO_OA_QUOTA_CODES.includes(err.platformCode);
}

/** Zalo OA API client. */
export class ZaloOaClient {
  readonly #apiRoot: string;
  readonly #tokens: ZaloOaTokenSource;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #onRetry: OnRetry | undefined;
  readonly #options: ZaloOaClientOptions;
  /** Set when the OA's quota ran out (code and time); cleared by the next successful call. */
  quotaExhausted: { readonly code: number; readonly atMs: number } | null = null;

  constructor(options: ZaloOaClientOptions) {
    this.#apiRoot = (options.apiRoot ?? 'https://openapi.zalo.me').replace(/\/+$/, '');
    this.#tokens = options.tokens;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#onRetry = options.onRetry;
    this.#options = options;
  }

  /**
   * Sends a consultation message (POST /v3.0/oa/message/cs). Throws RecipientUnreachableError
   * for -230 and the other ZALO_OA_UNREACHABLE_CODES, ChannelRejectedError (platformCode =
   * Zalo's `error`) for other refusals, RateLimitedError, or ChannelNetworkError.
   */
  async sendMessage(body: ZaloOaMessageBody): Promise<ZaloOaSendResult> {
    const data = await this.call<{ message_id?: unknown }>(ZALO_OA_CS_MESSAGE_PATH, body);
    return typeof data?.message_id === 'string' ? { messageId: data.message_id } : {};
  }

  /**
   * POSTs JSON to an OA API path and returns its `data`. On a token error, refreshes once and
   * tries again with the new token.
   */
  async call<T>(path: string, payload: unknown): Promise<T | undefined> {
    const token = await this.#tokens.getAccessToken();
    try {
      return await this.#callOnce<T>(path, payload, token);
    } catch (err) {
      if (!isZaloOaTokenError(err)) throw err;
      const fresh = await this.#tokens.refresh(token);
      return this.#callOnce<T>(path, payload, fresh);
    }
  }

  async #callOnce<T>(path: string, payload: unknown, token: string): Promise<T | undefined> {
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: token },
      body: JSON.stringify(payload),
    };
    let response;
    try {
      response = await withRetry(() => this.#fetchOnce(`${this.#apiRoot}${path}`, init), this.#retry, undefined, this.#onRetry);
    } catch (err) {
      if (err instanceof TransientHttpError) {
        if (err.status === 429) throw new RateLimitedError(CHANNEL, err.retryAfterMs ?? 1000);
        throw new ChannelNetworkError(CHANNEL, `${path}: ${err.message}`);
      }
      throw new ChannelNetworkError(CHANNEL, `${path}: unexpected failure`);
    }
    const body = response.body as { error?: unknown; message?: unknown; data?: unknown } | undefined;
    const code = typeof body?.error === 'number' ? body.error : undefined;
    if (response.status < 400 && code === 0) {
      this.quotaExhausted = null;
      return body?.data as T | undefined;
    }
    const said = typeof body?.message === 'string' ? redactSecrets(body.message, [token]) : `HTTP ${response.status}`;
    if (code !== undefined && ZALO_OA_UNREACHABLE_CODES.includes(code)) {
      throw new RecipientUnreachableError(CHANNEL, `recipient cannot receive messages (${code}): ${said}`);
    }
    if (code !== undefined && ZALO_OA_QUOTA_CODES.includes(code)) {
      this.#options.onLimited?.('quota');
      this.quotaExhausted = { code, atMs: (this.#options.nowMs ?? Date.now)() };
      throw new ChannelRejectedError(CHANNEL, response.status, `${path}: quota used up (${code}): ${said}`, { platformCode: code });
    }
    throw new ChannelRejectedError(CHANNEL, response.status, `${path}: ${said}`, { platformCode: code ?? response.status });
  }

  /** One HTTP call; a "too fast" code in the body is thrown as a 429 so withRetry waits and tries again. */
  async #fetchOnce(url: string, init: RequestInit) {
    const response = await fetchJson(this.#fetch, url, init, this.#timeoutMs).catch((err: unknown) => {
      if (err instanceof TransientHttpError && err.status === 429) this.#options.onLimited?.('rate-limit');
      throw err;
    });
    const code = (response.body as { error?: unknown } | undefined)?.error;
    if (typeof code === 'number' && ZALO_OA_RATE_LIMIT_CODES.includes(code)) {
      this.#options.onLimited?.('rate-limit');
      throw new TransientHttpError(`rate limited (${code})`, { status: 429, body: response.body });
    }
    return response;
  }
}
