/**
 * A thin, typed client of the Zalo Bot Platform API over fetch:
 * `POST <apiRoot>/bot<token>/<method>` with a JSON body, answered `{ ok, result }` or
 * `{ ok: false, error_code, description }`. Retries network errors, timeouts and 5xx with a
 * bounded backoff; the token (part of every URL) never reaches an error message or a log.
 *
 * Error codes as the Bot Platform's error-code page defines them (https://bot.zapps.me/docs/error-code/):
 * 400 bad request, 401 unauthorized (token), 403 internal server error, 404 not found,
 * 408 request timeout (getUpdates saw nothing), 429 quota exceeded. So 403 is the platform's
 * own failure (retried like a 5xx, never taken for a refusal), and 429 — in the HTTP status or
 * only in the body of a 200 — is a rate limit (retried with backoff, then RateLimitedError).
 */
import { ChannelNetworkError, ChannelRejectedError, RateLimitedError } from '../../core/errors.ts';
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

const CHANNEL = 'zalo-bot';

/** Options of the client. */
export interface ZaloBotClientOptions {
  /** Bot token from the Zalo Bot dashboard (`<id>:<secret>`). Never logged. */
  readonly token: string;
  /** API root without trailing slash; default https://bot-api.zaloplatforms.com. */
  readonly apiRoot?: string;
  /** Injectable fetch (tests); default global fetch. */
  readonly fetch?: typeof fetch;
  /** Time limit of one call, ms (getUpdates adds its own long-poll time). Default 10 s. */
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Hears of every retried call, before its wait (the metrics count them). */
  readonly onRetry?: OnRetry;
  /** Hears of every rate-limit answer (429), retried or not (the metrics count them). */
  readonly onRateLimited?: () => void;
}

/** The bot itself, as getMe describes it. */
export interface ZaloBotInfo {
  readonly id: string;
  readonly account_name?: string;
  readonly display_name?: string;
  readonly [key: string]: unknown;
}

/** What sendMessage / sendPhoto return. */
export interface ZaloBotSentMessage {
  readonly message_id?: string;
  readonly date?: number;
  readonly [key: string]: unknown;
}

/** Platform error code the Bot Platform uses when getUpdates saw nothing within its timeout. */
export const ZALO_BOT_POLL_EMPTY_CODE = 408;

/** Platform error code for "quota exceeded": a rate limit, retried later. */
export const ZALO_BOT_RATE_LIMIT_CODE = 429;

/** Platform error code the Bot Platform documents as "internal server error": its failure, retried. */
export const ZALO_BOT_SERVER_ERROR_CODE = 403;

/** Zalo Bot Platform API client. Methods throw ChannelRejectedError, RateLimitedError or ChannelNetworkError. */
export class ZaloBotClient {
  readonly #token: string;
  readonly #apiRoot: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #onRetry: OnRetry | undefined;
  readonly #onRateLimited: (() => void) | undefined;
  /** Set when the platform last refused our token (401/403 on a bot-level call). */
  lastAuthFailure: string | null = null;

  constructor(options: ZaloBotClientOptions) {
    this.#token = options.token;
    this.#apiRoot = (options.apiRoot ?? 'https://bot-api.zaloplatforms.com').replace(/\/+$/, '');
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#onRetry = options.onRetry;
    this.#onRateLimited = options.onRateLimited;
  }

  /** Sends a text (≤ ZALO_BOT_TEXT_LIMIT characters) to a chat. */
  sendMessage(chatId: string, text: string): Promise<ZaloBotSentMessage> {
    return this.call<ZaloBotSentMessage>('sendMessage', { chat_id: chatId, text });
  }

  /** Sends a photo by public URL, with an optional caption. */
  sendPhoto(chatId: string, photoUrl: string, caption?: string): Promise<ZaloBotSentMessage> {
    return this.call<ZaloBotSentMessage>('sendPhoto', { chat_id: chatId, photo: photoUrl, ...(caption ? { caption } : {}) });
  }

  /** Shows "typing…" in the chat for a few seconds. One try, no retries (it is only a hint). */
  async sendChatAction(chatId: string, action: 'typing' = 'typing', timeoutMs = 1500): Promise<void> {
    await this.call('sendChatAction', { chat_id: chatId, action }, { retry: { ...this.#retry, attempts: 1 }, timeoutMs });
  }

  /** Describes the bot (checks the token). */
  getMe(): Promise<ZaloBotInfo> {
    return this.call<ZaloBotInfo>('getMe', {});
  }

  /** Registers the webhook URL and the secret Zalo will send in X-Bot-Api-Secret-Token. */
  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.call('setWebhook', { url, secret_token: secretToken });
  }

  /** Where the platform posts updates (`url` empty when no webhook is set). */
  getWebhookInfo(): Promise<{ readonly url?: string; readonly updated_at?: number }> {
    return this.call('getWebhookInfo', {});
  }

  /** Removes the webhook (needed before getUpdates works). */
  async deleteWebhook(): Promise<void> {
    await this.call('deleteWebhook', {});
  }

  /**
   * Long-polls for updates, waiting up to `timeoutS`. Resolves the updates received (the
   * platform answers one update, or an array; we return an array) and [] when nothing came
   * (the platform's 408). `signal` stops the wait (the promise then rejects with an AbortError).
   */
  async getUpdates(timeoutS: number, signal?: AbortSignal): Promise<unknown[]> {
    try {
      const result = await this.call<unknown>(
        'getUpdates',
        { timeout: String(timeoutS) },
        { signal, timeoutMs: this.#timeoutMs + timeoutS * 1000, retry: { ...this.#retry, attempts: 1 } },
      );
      if (result === null || result === undefined) return [];
      return Array.isArray(result) ? result : [result];
    } catch (err) {
      if (err instanceof ChannelRejectedError && err.platformCode === ZALO_BOT_POLL_EMPTY_CODE) return [];
      throw err;
    }
  }

  /**
   * Calls any Bot Platform method and returns its `result`. Throws ChannelRejectedError when
   * the platform says no (with `platformCode` = its `error_code`), RateLimitedError for 429
   * after the retries, ChannelNetworkError when it could not be reached.
   */
  async call<T>(
    method: string,
    params: Record<string, unknown>,
    options: { signal?: AbortSignal; timeoutMs?: number; retry?: RetryPolicy } = {},
  ): Promise<T> {
    const url = `${this.#apiRoot}/bot${this.#token}/${method}`;
    const init: RequestInit = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      ...(options.signal ? { signal: options.signal } : {}),
    };
    let response;
    try {
      const once = () => this.#fetchOnce(url, init, options.timeoutMs ?? this.#timeoutMs);
      response = await withRetry(once, options.retry ?? this.#retry, undefined, this.#onRetry);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      if (err instanceof TransientHttpError) {
        if (err.status === 429) throw new RateLimitedError(CHANNEL, err.retryAfterMs ?? 1000);
        throw new ChannelNetworkError(CHANNEL, `${method}: ${this.#clean(err.message)}`);
      }
      throw new ChannelNetworkError(CHANNEL, `${method}: unexpected failure`);
    }
    const body = response.body as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown } | undefined;
    if (body && typeof body === 'object' && body.ok === true) {
      if (method === 'getMe') this.lastAuthFailure = null;
      return body.result as T;
    }
    const code = typeof body?.error_code === 'number' ? body.error_code : response.status;
    const description = typeof body?.description === 'string' ? this.#clean(body.description) : `HTTP ${response.status}`;
    if (response.status === 401 || code === 401) this.lastAuthFailure = `${method}: ${description}`;
    throw new ChannelRejectedError(CHANNEL, response.status, `${method}: ${description}`, { platformCode: code });
  }

  /**
   * One HTTP call. A 429 or a 403 — in the status or in the body's `error_code` — is thrown as
   * a TransientHttpError so withRetry tries again (see the file comment for why 403).
   */
  async #fetchOnce(url: string, init: RequestInit, timeoutMs: number) {
    let response;
    try {
      response = await fetchJson(this.#fetch, url, init, timeoutMs);
    } catch (err) {
      if (err instanceof TransientHttpError && err.status === 429) this.#onRateLimited?.();
      throw err;
    }
    const body = response.body as { ok?: unknown; error_code?: unknown } | undefined;
    const code = body && typeof body === 'object' && body.ok !== true && typeof body.error_code === 'number' ? body.error_code : response.status;
    if (code === ZALO_BOT_RATE_LIMIT_CODE) {
      this.#onRateLimited?.();
      throw new TransientHttpError('rate limited (429 quota exceeded)', { status: 429, body });
    }
    if (code === ZALO_BOT_SERVER_ERROR_CODE) throw new TransientHttpError('platform internal error (403)', { status: 503, body });
    return response;
  }

  #clean(text: string): string {
    return redactSecrets(text, [this.#token]);
  }
}
