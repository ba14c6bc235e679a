/**
 * Defaults shared by the memory and Redis stores, so both behave alike out of the box.
 */

/** How long an idle conversation (state and transcript) is kept: 30 days, in ms. */
export const DEFAULT_CONVERSATION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Transcript lines kept per conversation (older ones are dropped). */
export const DEFAULT_TRANSCRIPT_MAX = 50;

/** How long `withLock` waits for a conversation's lock when the caller does not say, in ms. */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

/** A JSON round trip: what a store hands back is never the caller's object (as with Redis). */
export function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Messages kept per web chat session for the page to fetch (older ones are dropped). */
export const DEFAULT_WEB_OUTBOX_MAX = 50;

/** Web chat sessions the memory outbox keeps before dropping the least recently used. */
export const DEFAULT_WEB_SESSIONS_MAX = 10_000;

/** Hand-off cases the history keeps at most (the oldest are dropped past it). */
export const DEFAULT_HISTORY_MAX_CASES = 20_000;

/** Lines kept per hand-off case (the oldest are dropped past it). */
export const DEFAULT_CASE_LINES_MAX = 200;
