/**
 * One base error with a stable `code`, and the few kinds the engine and its rings throw.
 */

/** Base of every error this project throws on purpose. `code` is stable; messages may change. */
export class AppError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A channel lacks a capability that was asked of it. Never fake a feature silently. */
export class NotSupportedError extends AppError {
  constructor(what: string) {
    super('NOT_SUPPORTED', `${what} is not supported`);
  }
}

/** Base of channel errors: says which channel. */
export class ChannelError extends AppError {
  readonly channel: string;
  constructor(code: string, channel: string, message: string, options?: { cause?: unknown }) {
    super(code, `[${channel}] ${message}`, options);
    this.channel = channel;
  }
}

/** The platform answered and said no (4xx, ok:false, error codes). `retryable` only for rate limits. */
export class ChannelRejectedError extends ChannelError {
  readonly status: number;
  readonly platformCode?: number | string;
  constructor(
    channel: string,
    status: number,
    description: string,
    options?: { cause?: unknown; platformCode?: number | string },
  ) {
    super('CHANNEL_REJECTED', channel, `platform refused (${status}): ${description}`, options);
    this.status = status;
    this.platformCode = options?.platformCode;
  }
}

/** The platform could not be reached (network error, timeout, 5xx after retries). */
export class ChannelNetworkError extends ChannelError {
  constructor(channel: string, message: string, options?: { cause?: unknown }) {
    super('CHANNEL_NETWORK', channel, message, options);
  }
}

/** The platform asked us to slow down for `retryAfterMs`. */
export class RateLimitedError extends ChannelError {
  readonly retryAfterMs: number;
  constructor(channel: string, retryAfterMs: number) {
    super('RATE_LIMITED', channel, `rate limited, retry after ${retryAfterMs} ms`);
    this.retryAfterMs = retryAfterMs;
  }
}

/** The recipient cannot receive messages any more (blocked the bot, inactive, unfollowed). */
export class RecipientUnreachableError extends ChannelError {
  constructor(channel: string, message: string, options?: { cause?: unknown }) {
    super('RECIPIENT_UNREACHABLE', channel, message, options);
  }
}

/** A conversation lock could not be taken in time. */
export class LockTimeoutError extends AppError {
  constructor(id: string) {
    super('LOCK_TIMEOUT', `could not lock conversation ${id}`);
  }
}

/**
 * The state store is unavailable (e.g. Redis down). `reason` is a short, stable label of why
 * (`down`, `timeout`, or the Redis error reply that stands for an outage: `readonly`, `oom`,
 * `moved`, `masterdown`, `loading`, `busy`, `unknown-command`…); default `unavailable`.
 */
export class StoreUnavailableError extends AppError {
  readonly reason: string;
  constructor(message: string, options?: { cause?: unknown; reason?: string }) {
    super('STORE_UNAVAILABLE', message, options);
    this.reason = options?.reason ?? 'unavailable';
  }
}

/** Content (YAML) could not be loaded or is invalid. */
export class ContentError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONTENT_INVALID', message, options);
  }
}

/** Why a staff action on a hand-off cannot be done. */
export type HandoffProblem = 'missing' | 'taken' | 'not-owner';

/**
 * A staff action on a hand-off that does not fit its state: the conversation is not in the
 * queue (`HANDOFF_MISSING`), someone else claimed it (`HANDOFF_TAKEN`, with `owner`), or the
 * caller does not own it (`HANDOFF_NOT_OWNER`).
 */
export class HandoffStateError extends AppError {
  readonly problem: HandoffProblem;
  readonly owner?: string;
  constructor(problem: HandoffProblem, id: string, owner?: string) {
    const code = problem === 'missing' ? 'HANDOFF_MISSING' : problem === 'taken' ? 'HANDOFF_TAKEN' : 'HANDOFF_NOT_OWNER';
    super(code, `hand-off ${id}: ${problem}`);
    this.problem = problem;
    this.owner = owner;
  }
}

/** Something asked for by id does not exist (a guide, an account). */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}
