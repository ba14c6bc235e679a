/**
 * One path for every update, from the webhook route or the polling loop:
 * parse → de-duplicate by update_id → answer button presses → hand the message to the engine.
 * Citizen messages are de-duplicated across instances by the engine itself (in the same Redis
 * round trip as the conversation lock), so here they are only checked against the update ids
 * this process saw lately; every other update (button presses without a message, staff chat,
 * membership) is checked against the shared store.
 * The engine's work is never awaited here, so the webhook answers Telegram at once and a
 * failure inside the engine cannot make Telegram resend the update; what is awaited is the
 * message's write to the durable inbound log (with Redis), so that an update answered 200 is
 * never lost with this process.
 */
import { acceptInbound, type InboundHandler, type KeyValueStore, type Clock, type Logger } from '../../core/ports.ts';
import type { TelegramApiClient } from './api-client.ts';
import type { TelegramBotInfo } from './bot-info.ts';
import { parseTelegramUpdate, type TelegramUpdate } from './parse.ts';
import type { TelegramChannel } from './telegram-channel.ts';

/** How long an update_id is remembered for de-duplication, ms (Telegram retries for at most a day). */
export const TELEGRAM_UPDATE_DEDUPE_TTL_MS = 26 * 60 * 60 * 1000;

/** Update ids of citizen messages this process remembers (oldest forgotten first). */
const RECENT_MESSAGE_UPDATES = 10_000;

/** Receives updates from the staff chat (a later issue); without one they are dropped. */
export type TelegramStaffUpdateHandler = (update: TelegramUpdate) => Promise<void>;

/** What the processor works with. */
export interface TelegramUpdateProcessorDeps {
  readonly api: TelegramApiClient;
  readonly channel: TelegramChannel;
  readonly botInfo: TelegramBotInfo;
  readonly inbound: InboundHandler;
  readonly kv: KeyValueStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly staffChatId?: string;
  readonly staffUpdateHandler?: TelegramStaffUpdateHandler;
  readonly dedupeTtlMs?: number;
}

/** Processes raw updates. */
export class TelegramUpdateProcessor {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Citizen-message update ids handed to the engine lately, in arrival order. */
  private readonly recentMessages = new Set<number>();

  constructor(private readonly deps: TelegramUpdateProcessorDeps) {}

  /**
   * Handles one raw update (untrusted JSON). Resolves once the update is parsed, de-duplicated
   * and dispatched; the engine and the callback answer run on in the background. Never rejects.
   */
  async process(raw: unknown): Promise<void> {
    const { logger } = this.deps;
    try {
      // Mentions and /cmd@bot in groups need the bot's username; private chats do not wait for it.
      if (this.deps.botInfo.current() === undefined && isFromGroup(raw)) await this.deps.botInfo.refresh();
      const action = parseTelegramUpdate(raw, {
        bot: this.deps.botInfo.current(),
        staffChatId: this.deps.staffChatId,
        nowMs: this.deps.clock.nowMs(),
      });
      if (action.type === 'invalid') {
        logger.warn({ issue: action.issue }, 'telegram update rejected: not a valid update');
        return;
      }
      const seen = action.type === 'inbound' ? this.seenLately(action.updateId) : !(await this.firstTime(action.updateId));
      if (seen) {
        logger.debug({ updateId: action.updateId }, 'telegram update already seen');
        return;
      }
      switch (action.type) {
        case 'ignore':
          logger.debug({ updateId: action.updateId, reason: action.reason }, 'telegram update ignored');
          return;
        case 'reachable':
          this.deps.channel.markReachable(action.chatId);
          return;
        case 'answer-callback':
          this.track(this.answerCallback(action.callbackQueryId));
          return;
        case 'staff':
          if (this.deps.staffUpdateHandler) this.track(this.deps.staffUpdateHandler(action.update));
          else logger.debug({ updateId: action.updateId }, 'telegram staff-chat update dropped (no staff handler)');
          return;
        case 'inbound': {
          const { message } = action;
          if (message.kind === 'blocked') this.deps.channel.markUnreachable(message.chatId);
          else this.deps.channel.markReachable(message.chatId);
          if (action.callbackQueryId !== undefined) this.track(this.answerCallback(action.callbackQueryId));
          // Resolves once the message is in the durable inbound log (or being handled here).
          await acceptInbound(this.deps.inbound, message, {}, (turn) => this.track(turn));
          return;
        }
      }
    } catch (err) {
      logger.error({ err: errText(err) }, 'telegram update processing failed');
    }
  }

  /** Waits for background work started by process() to settle, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private async firstTime(updateId: number): Promise<boolean> {
    try {
      return await this.deps.kv.setIfAbsent(`tg:update:${updateId}`, '1', this.deps.dedupeTtlMs ?? TELEGRAM_UPDATE_DEDUPE_TTL_MS);
    } catch (err) {
      // A store hiccup must not lose the update (a repeated button answer or staff event is harmless).
      this.deps.logger.warn({ err: errText(err) }, 'telegram update de-duplication unavailable');
      return true;
    }
  }

  /** True when this process handed the update to the engine lately; remembers it otherwise. */
  private seenLately(updateId: number): boolean {
    if (this.recentMessages.has(updateId)) return true;
    this.recentMessages.add(updateId);
    if (this.recentMessages.size > RECENT_MESSAGE_UPDATES) {
      const oldest = this.recentMessages.values().next().value;
      if (oldest !== undefined) this.recentMessages.delete(oldest);
    }
    return false;
  }

  private async answerCallback(callbackQueryId: string): Promise<void> {
    // Only stops the client's spinner; a lost answer just spins until Telegram's timeout.
    // "query is too old" is routine after downtime, so this is a warning, not an error.
    try {
      await this.deps.api.call('answerCallbackQuery', { callback_query_id: callbackQueryId }, { retry: false });
    } catch (err) {
      this.deps.logger.warn({ err: errText(err) }, 'telegram answerCallbackQuery failed');
    }
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => {
      this.deps.logger.error({ err: errText(err) }, 'telegram background work failed');
    });
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}

function isFromGroup(raw: unknown): boolean {
  const u = raw as { message?: { chat?: { type?: unknown } } } | null;
  const type = u?.message?.chat?.type;
  return type === 'group' || type === 'supergroup';
}

function errText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
