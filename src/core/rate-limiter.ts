/**
 * The per-conversation rate limit: a fixed window counted in the conversation's own state, so
 * every instance on one store sees the same count (the state is read and saved under the
 * conversation's lock). It answers 'first-over' once per window so the citizen gets one polite
 * message, not one per extra message.
 */

/** Result of counting one message. */
export type RateDecision = 'ok' | 'first-over' | 'over';

/** Messages counted in the current window (kept in the conversation state). */
export interface RateWindow {
  readonly startMs: number;
  readonly count: number;
}

/**
 * Counts one message at `nowMs` against `limit` per `windowMs` (0 disables it). Pure: returns
 * the window to keep (undefined when the limit is off) and the decision.
 */
export function countMessage(
  window: RateWindow | undefined,
  limit: number,
  windowMs: number,
  nowMs: number,
): { readonly window: RateWindow | undefined; readonly decision: RateDecision } {
  if (limit <= 0) return { window: undefined, decision: 'ok' };
  const current = window && nowMs - window.startMs < windowMs && nowMs >= window.startMs ? window : { startMs: nowMs, count: 0 };
  const next = { startMs: current.startMs, count: current.count + 1 };
  if (next.count <= limit) return { window: next, decision: 'ok' };
  return { window: next, decision: next.count === limit + 1 ? 'first-over' : 'over' };
}
