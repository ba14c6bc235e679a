/**
 * A thin, typed client of the Zalo OA API v3 over fetch. Calls carry the `access_token`
 * header and are answered `{ error: 0, message, data }` (HTTP 200 even when refused).
 * Network errors, timeouts and 5xx are retried with a bounded backoff; an invalid/expired
 * token triggers one refresh and one more try; "user cannot receive" codes are not retried.
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
import { ZALO_OA_CS_MESSAGE_PATH, ZALO_OA_TOKEN_ERROR_CODES, ZALO_OA_UNREACHABLE_CODES } from './limits.ts';
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
}

/** What a successful send returns. */
export interface ZaloOaSendResult {
  readonly messageId?: string;
}

/** True for an error that says our access token was invalid or expired. */
export function isZaloOaTokenError(err: unknown): boolean {
  return err instanceof ChannelRejectedError && typeof err.platformCode === 'number' && ZALO_OA_TOKEN_ERROR_CODES.includes(err.platformCode);
}

/** Zalo OA API client. */
export class ZaloOaClient {
  readonly #apiRoot: string;
  readonly #tokens: ZaloOaTokenSource;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #onRetry: OnRetry | undefined;

  constructor(options: ZaloOaClientOptions) {
    this.#apiRoot = (options.apiRoot ?? 'https://openapi.zalo.me').replace(/\/+$/, '');
    this.#tokens = options.tokens;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#onRetry = options.onRetry;
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
      response = await withRetry(() => fetchJson(this.#fetch, `${this.#apiRoot}${path}`, init, this.#timeoutMs), this.#retry, undefined, this.#onRetry);
    } catch (err) {
      if (err instanceof TransientHttpError) {
        if (err.status === 429) throw new RateLimitedError(CHANNEL, err.retryAfterMs ?? 1000);
        throw new ChannelNetworkError(CHANNEL, `${path}: ${err.message}`);
      }
      throw new ChannelNetworkError(CHANNEL, `${path}: unexpected failure`);
    }
    const body = response.body as { error?: unknown; message?: unknown; data?: unknown } | undefined;
    const code = typeof body?.error === 'number' ? body.error : undefined;
    if (response.status < 400 && code === 0) return body?.data as T | undefined;
    const said = typeof body?.message === 'string' ? redactSecrets(body.message, [token]) : `HTTP ${response.status}`;
    if (code !== undefined && ZALO_OA_UNREACHABLE_CODES.includes(code)) {
      throw new RecipientUnreachableError(CHANNEL, `recipient cannot receive messages (${code}): ${said}`);
    }
    throw new ChannelRejectedError(CHANNEL, response.status, `${path}: ${said}`, { platformCode: code ?? response.status });
  }
}
