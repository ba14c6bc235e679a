/**
 * Load shedding: when to refuse a webhook (or a web chat message) with 503 so the platform
 * delivers it again later, instead of accepting work this process cannot do in time. Two signs:
 * too many messages in the engine (MAX_IN_FLIGHT), and an event loop running late (SHED_LAG_MS).
 * The second sees the backlog the first cannot: under overload the requests wait in HTTP
 * sockets before the app has counted them, and every callback (Redis replies included) runs
 * late by as much. Refusing before the turn starts keeps the turns that were accepted within
 * their Redis time-outs, so none of them is taken for an outage.
 */
import type { LagProbe } from '../metrics/event-loop-lag.ts';

/** Why a request was refused. */
export type ShedReason = 'in-flight' | 'lag';

/** Options of {@link createShedder}. */
export interface ShedderOptions {
  /** Messages the engine is handling right now. */
  readonly inFlight: () => number;
  /** Refuse from this many messages in flight (0 = never for this reason). */
  readonly maxInFlight: number;
  /** The event loop's lag; none = never for this reason. */
  readonly lag?: LagProbe;
  /** Refuse while the event loop runs this late or later, ms (0 = never for this reason). */
  readonly lagThresholdMs: number;
  /** Told of every refusal (metrics). */
  readonly counted?: (reason: ShedReason) => void;
}

/**
 * A check for each request that would start work: the reason to refuse it, or undefined to
 * accept it. Each refusal is counted once through `counted`.
 */
export function createShedder(options: ShedderOptions): () => ShedReason | undefined {
  const { maxInFlight, lag, lagThresholdMs, counted } = options;
  return () => {
    let reason: ShedReason | undefined;
    if (maxInFlight > 0 && options.inFlight() >= maxInFlight) reason = 'in-flight';
    else if (lag && lagThresholdMs > 0 && lag.currentMs() >= lagThresholdMs) reason = 'lag';
    if (reason) counted?.(reason);
    return reason;
  };
}
