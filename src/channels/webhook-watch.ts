/**
 * What the webhook routes of every chat app report: requests refused (bad secret, bad signature,
 * stale event…) and updates accepted. Refusals are counted for /metrics and logged at most once
 * per interval per channel and reason, so a flood of forged requests cannot flood the logs;
 * the line says how many were left out since the last one. The last accepted update per
 * channel lets a health check tell "the platform cannot reach us" from "nothing happened".
 */
import type { Logger } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';

/** Default time between two warn lines for the same channel and reason, ms. */
export const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** The window in which refusals without any accepted update look like a misconfiguration, ms. */
export const SUSPICION_WINDOW_MS = 10 * 60_000;

/** Refusals within the window (and nothing accepted) before /readyz mentions them. */
export const SUSPICION_MIN_REFUSALS = 5;

/** Why a webhook request was refused; a small fixed set (metric label values). */
export type WebhookRefusalReason =
  | 'missing-secret'
  | 'bad-secret'
  | 'missing-signature'
  | 'bad-signature'
  | 'missing-timestamp'
  | 'stale'
  | 'malformed-body';

/** Options of {@link WebhookWatch}. */
export interface WebhookWatchOptions {
  readonly logger: Logger;
  /** Told of every refusal (the metrics' webhooks_refused_total). */
  readonly count?: (channel: ChannelName, reason: WebhookRefusalReason) => void;
  /** Current time, epoch ms. Default Date.now. */
  readonly nowMs?: () => number;
  /** Time between two warn lines for the same channel and reason, ms. Default 60 s. */
  readonly logIntervalMs?: number;
}

interface LogSlot {
  lastLogMs: number;
  /** Refusals not logged since the last line. */
  suppressed: number;
}

/** Counts refusals, throttles their warn lines and remembers the last accepted update. */
export class WebhookWatch {
  readonly #options: WebhookWatchOptions;
  readonly #slots = new Map<string, LogSlot>();
  readonly #lastAccepted = new Map<ChannelName, number>();
  readonly #refusals = new Map<ChannelName, { count: number; lastMs: number; reason: WebhookRefusalReason }>();
  /** Per channel: refusals since `startMs` (a window restarted when it is over). */
  readonly #windows = new Map<ChannelName, { startMs: number; count: number }>();

  constructor(options: WebhookWatchOptions) {
    this.#options = options;
  }

  /** One refused request: counted; logged unless a line for this channel and reason went out lately. */
  refused(channel: ChannelName, reason: WebhookRefusalReason, ip?: string): void {
    const now = this.#now();
    this.#options.count?.(channel, reason);
    const seen = this.#refusals.get(channel);
    this.#refusals.set(channel, { count: (seen?.count ?? 0) + 1, lastMs: now, reason });
    const window = this.#windows.get(channel);
    if (!window || now - window.startMs > SUSPICION_WINDOW_MS) this.#windows.set(channel, { startMs: now, count: 1 });
    else window.count += 1;
    const key = `${channel}\u0000${reason}`;
    const slot = this.#slots.get(key);
    const interval = this.#options.logIntervalMs ?? REFUSAL_LOG_INTERVAL_MS;
    if (slot && now - slot.lastLogMs < interval) {
      slot.suppressed += 1;
      return;
    }
    const suppressed = slot?.suppressed ?? 0;
    this.#slots.set(key, { lastLogMs: now, suppressed: 0 });
    this.#options.logger.warn(
      { channel, reason, ...(ip ? { ip } : {}), ...(suppressed > 0 ? { notLogged: suppressed } : {}) },
      `${channel} webhook refused (${reason})${suppressed > 0 ? `; ${suppressed} more since the last line` : ''}`,
    );
  }

  /** One update accepted (authentic and well-formed). */
  accepted(channel: ChannelName): void {
    this.#lastAccepted.set(channel, this.#now());
  }

  /** When the channel last accepted an update, epoch ms (undefined: never since start). */
  lastAcceptedMs(channel: ChannelName): number | undefined {
    return this.#lastAccepted.get(channel);
  }

  /** Refusals of the channel since start: how many, the last one's time and reason. */
  refusals(channel: ChannelName): { readonly count: number; readonly lastMs: number; readonly reason: WebhookRefusalReason } | undefined {
    return this.#refusals.get(channel);
  }

  /**
   * A line for /readyz when the channel looks misconfigured: at least SUSPICION_MIN_REFUSALS
   * refusals in the last window and no update accepted since it began (a wrong secret or key
   * refuses everything). Only a hint: forged requests alone can cause it, so callers show it
   * without failing readiness. Undefined when all looks well.
   */
  suspicion(channel: ChannelName): string | undefined {
    const window = this.#windows.get(channel);
    const last = this.#refusals.get(channel);
    if (!window || !last || this.#now() - last.lastMs > SUSPICION_WINDOW_MS || window.count < SUSPICION_MIN_REFUSALS) return undefined;
    const accepted = this.#lastAccepted.get(channel);
    if (accepted !== undefined && accepted >= window.startMs) return undefined;
    return `${window.count} webhook requests refused since ${new Date(window.startMs).toISOString()} (last: ${last.reason}) and none accepted: check the secret or key`;
  }

  #now(): number {
    return (this.#options.nowMs ?? Date.now)();
  }
}
