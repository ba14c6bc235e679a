/**
 * Builds the Telegram staff group for the composition root, when both Telegram and
 * TELEGRAM_STAFF_CHAT_ID are configured.
 */
import type { EventBus, KeyValueStore, Logger } from '../../core/ports.ts';
import type { TelegramApiClient } from './api-client.ts';
import { TelegramStaffGroup, type StaffGroupDesk } from './staff-group.ts';

/** What {@link createTelegramStaffGroup} needs from the composition root. */
export interface TelegramStaffGroupSetup {
  /** TELEGRAM_STAFF_CHAT_ID; no group without it. */
  readonly staffChatId: string | undefined;
  /** The Telegram channel's setup; no group without Telegram. */
  readonly telegram: { readonly api: TelegramApiClient; readonly botInfo: { current(): { username?: string } | undefined } } | null;
  readonly desk: StaffGroupDesk;
  readonly events: EventBus;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
}

/** The staff group when Telegram and TELEGRAM_STAFF_CHAT_ID are both configured; otherwise undefined. */
export function createTelegramStaffGroup(setup: TelegramStaffGroupSetup): TelegramStaffGroup | undefined {
  const { staffChatId, telegram } = setup;
  if (!staffChatId || !telegram) return undefined;
  return new TelegramStaffGroup({
    api: telegram.api,
    desk: setup.desk,
    events: setup.events,
    kv: setup.kv,
    chatId: staffChatId,
    logger: setup.logger,
    botUsername: () => telegram.botInfo.current()?.username,
  });
}
