/**
 * telegraf's Telegram client with our retry policy and error mapping:
 * 429 → wait `parameters.retry_after` and retry; 5xx and network errors → exponential backoff;
 * other 4xx → no retry. Errors leave as ChannelError subclasses whose messages never contain
 * the bot token (telegraf puts it in request URLs) nor the request payload.
 */
import { Telegram, TelegramError } from 'telegraf';
import type { Opts, Telegram as TelegramMethods } from 'telegraf/types';
import {
  type ChannelError,
  ChannelNetworkError,
  ChannelRejectedError,
  RateLimitedError,
  RecipientUnreachableError,
} from '../../core/errors.ts';
import type { Logger } from '../../core/ports.ts';
import { SharedTimeouts } from '../shared-timeouts.ts';
import { BotApiTransport, needsMultipart } from './bot-api-transport.ts';

/** Retry and timeout policy for Bot API calls. */
export interface TelegramRetryPolicy {
  /** Total attempts per call (first try included). Default 4. */
  readonly maxAttempts: number;
  /** First backoff after a 5xx or network error, ms; doubles each time. Default 500. */
  readonly baseDelayMs: number;
  /** Longest backoff between attempts, ms. Default 8000. */
  readonly maxDelayMs: number;
  /** A 429 asking for a longer wait than this fails at once with RateLimitedError, ms. Default 60000. */
  readonly maxRetryAfterMs: number;
  /** Abort one HTTP request after this long (up to a tenth later, at most 1 s), ms; then it counts as a network error. Default 15000. */
  readonly requestTimeoutMs: number;
}

/** Default retry policy (see field docs). */
export const DEFAULT_TELEGRAM_RETRY: TelegramRetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  requestTimeoutMs: 15_000,
});

/** Waits `ms` milliseconds (injectable so tests do not wait). */
export type Sleep = (ms: number) => Promise<void>;

/** Real timer-based sleep. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Options of one call. */
export interface TelegramCallOptions {
  /** Aborts the call (and any pending retry) from outside, e.g. on shutdown. */
  readonly signal?: AbortSignal;
  /** false: one attempt only (health checks, long polling). Default true. */
  readonly retry?: boolean;
  /** Overrides the policy's request timeout for this call, ms (long polling). */
  readonly timeoutMs?: number;
}

/** How to build a TelegramApiClient. */
export interface TelegramApiClientOptions {
  readonly token: string;
  /** Bot API base URL, default https://api.telegram.org (tests: a fake server on loopback). */
  readonly apiRoot?: string;
  readonly retry?: Partial<TelegramRetryPolicy>;
  readonly sleep?: Sleep;
  readonly logger: Logger;
}

const CHANNEL = 'telegram';

/** Bot API access with retries, for one bot token. */
export class TelegramApiClient {
  /** The underlying telegraf client (no webhook-reply shortcut); file uploads go through it. */
  readonly telegram: Telegram;
  /** JSON calls (all the others) go through this lighter transport, with telegraf's answers and errors. */
  private readonly transport: BotApiTransport;
  private readonly policy: TelegramRetryPolicy;
  private readonly sleep: Sleep;
  private readonly logger: Logger;
  private readonly token: string;
  /** Request time limits without a timer per call (see SharedTimeouts). */
  private readonly timeouts = new SharedTimeouts();

  constructor(options: TelegramApiClientOptions) {
    this.token = options.token;
    const apiRoot = options.apiRoot ?? 'https://api.telegram.org';
    this.telegram = new Telegram(options.token, { apiRoot, webhookReply: false });
    this.transport = new BotApiTransport(apiRoot, options.token);
    this.policy = { ...DEFAULT_TELEGRAM_RETRY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.logger = options.logger;
  }

  /**
   * Calls a Bot API method. Throws RateLimitedError (429 beyond the policy),
   * RecipientUnreachableError (403, or 400 "chat not found"), ChannelRejectedError (other 4xx)
   * or ChannelNetworkError (5xx / network / timeout after the last attempt).
   */
  async call<M extends keyof TelegramMethods>(
    method: M,
    payload: Opts<M>,
    options: TelegramCallOptions = {},
  ): Promise<ReturnType<TelegramMethods[M]>> {
    const attempts = options.retry === false ? 1 : Math.max(1, this.policy.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      const timeout = this.timeouts.signal(options.timeoutMs ?? this.policy.requestTimeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      try {
        if (!needsMultipart(payload)) return (await this.transport.call(method, payload, signal)) as ReturnType<TelegramMethods[M]>;
        // telegraf types its signal with the abort-controller polyfill; Node's AbortSignal is what node-fetch checks for.
        return await this.telegram.callApi(method, payload, { signal: signal as never });
      } catch (err) {
        if (options.signal?.aborted) throw new ChannelNetworkError(CHANNEL, `${method} aborted`);
        const last = attempt >= attempts;
        if (err instanceof TelegramError) {
          const code = err.code;
          if (code === 429) {
            const retryAfterMs = Math.max(0, Number(err.parameters?.retry_after ?? 1)) * 1000;
            if (last || retryAfterMs > this.policy.maxRetryAfterMs) throw new RateLimitedError(CHANNEL, retryAfterMs);
            this.logger.warn({ method, attempt, retryAfterMs }, 'telegram rate limited; waiting retry_after');
            await this.sleep(retryAfterMs);
            continue;
          }
          if (code >= 500) {
            if (last) throw new ChannelNetworkError(CHANNEL, `${method} failed: ${this.clean(err.message)}`);
            await this.backoff(method, attempt, this.clean(err.message));
            continue;
          }
          throw this.rejection(method, err);
        }
        if (last) throw new ChannelNetworkError(CHANNEL, `${method} failed: ${this.clean(errorMessage(err))}`);
        await this.backoff(method, attempt, this.clean(errorMessage(err)));
      }
    }
  }

  /** Removes the bot token from a message (telegraf and node-fetch put it in URLs). */
  clean(message: string): string {
    let out = message.replace(/\/(bot|user)\d+:[A-Za-z0-9_-]+/g, '/$1[REDACTED]');
    if (this.token) out = out.split(this.token).join('[REDACTED]');
    return out;
  }

  private async backoff(method: string, attempt: number, reason: string): Promise<void> {
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
    this.logger.warn({ method, attempt, delayMs, reason }, 'telegram call failed; retrying');
    await this.sleep(delayMs);
  }

  private rejection(method: string, err: TelegramError): ChannelError {
    const code = err.code;
    const description = this.clean(String(err.description ?? err.message));
    if (code === 403 || (code === 400 && /chat not found|user is deactivated|PEER_ID_INVALID/i.test(description))) {
      return new RecipientUnreachableError(CHANNEL, `${method}: ${description}`);
    }
    return new ChannelRejectedError(CHANNEL, code, `${method}: ${description}`, { platformCode: code });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
