/**
 * Who the bot is (getMe), cached: needed to recognise mentions in groups, and the readiness
 * signal for /readyz. getMe runs at most once per `intervalMs`, however often it is asked.
 */
import type { Clock, Logger } from '../../core/ports.ts';
import type { ChannelHealth } from '../setup-types.ts';
import type { TelegramApiClient } from './api-client.ts';
import type { TelegramBotIdentity } from './parse.ts';

/** Default time between two getMe calls, ms. */
export const TELEGRAM_GETME_INTERVAL_MS = 60_000;

/** Timeout of one getMe call, ms (health checks must answer fast). */
const GETME_TIMEOUT_MS = 5_000;

/** Cached getMe result. */
export class TelegramBotInfo {
  private identity: TelegramBotIdentity | undefined;
  private lastCheckMs = Number.NEGATIVE_INFINITY;
  private lastOk = false;
  private lastError: string | undefined;
  private inFlight: Promise<boolean> | undefined;

  constructor(
    private readonly api: TelegramApiClient,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly intervalMs = TELEGRAM_GETME_INTERVAL_MS,
  ) {}

  /** The identity from the last successful getMe, if any (kept when later checks fail). */
  current(): TelegramBotIdentity | undefined {
    return this.identity;
  }

  /** Calls getMe unless it ran less than `intervalMs` ago; resolves whether the last check succeeded. Never throws. */
  refresh(): Promise<boolean> {
    if (this.inFlight) return this.inFlight;
    if (this.clock.nowMs() - this.lastCheckMs < this.intervalMs) return Promise.resolve(this.lastOk);
    this.lastCheckMs = this.clock.nowMs();
    this.inFlight = this.api
      .call('getMe', {}, { retry: false, timeoutMs: GETME_TIMEOUT_MS })
      .then((me) => {
        this.identity = { id: me.id, ...(me.username ? { username: me.username } : {}) };
        if (!this.lastOk) this.logger.info({ username: me.username }, 'telegram bot identity confirmed');
        this.lastOk = true;
        this.lastError = undefined;
        return true;
      })
      .catch((err: unknown) => {
        this.lastOk = false;
        this.lastError = err instanceof Error ? this.api.clean(err.message) : 'getMe failed';
        this.logger.error({ reason: this.lastError }, 'telegram getMe failed');
        return false;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Readiness: the last getMe (refreshed at most once per interval) succeeded. */
  async health(): Promise<ChannelHealth> {
    const ok = await this.refresh();
    return ok ? { ok, detail: `@${this.identity?.username ?? '?'}` } : { ok, detail: this.lastError ?? 'getMe failed' };
  }
}
