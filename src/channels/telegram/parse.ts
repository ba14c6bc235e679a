/**
 * Telegram Update (untrusted JSON) → what to do with it. Pure: no I/O, no clock of its own.
 *
 * Decisions recorded here (see also the README):
 * - Private chats are served. In groups only `/command` (also `/cmd@ourbot`) and messages that
 *   mention the bot (`@username` or a text_mention of the bot) are taken; the mention is stripped.
 * - `/start` (with an optional deep-link payload) → kind `start`; other commands stay text with
 *   their slash (`/help@ourbot x` → `/help x`) so the engine's command words match them.
 * - Edited messages are ignored: the citizen already had an answer to the original, and
 *   re-answering every typo fix would send a second, confusing reply. They can simply resend.
 * - Photos, voice, stickers, contacts, files… → kind `media` (caption kept as text; a shared
 *   contact's phone number is never copied). Service messages (joins, pins…) are ignored.
 * - my_chat_member with the bot `kicked` or `left` → kind `blocked` (any chat type: we can no
 *   longer write there); back to `member`/`administrator` → `reachable`.
 * - Anything from TELEGRAM_STAFF_CHAT_ID is not a citizen message → `staff` (handled elsewhere).
 * - Text is NFC-normalised (some keyboards send decomposed Vietnamese).
 */
import { z } from 'zod';
import type { InboundKind, InboundMessage } from '../../core/types.ts';
import { decodeOptionCallback } from './callback-data.ts';
import { isPlainMessageUpdate } from './fast-update.ts';

const UserSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
const ChatSchema = z.looseObject({ id: z.number().int(), type: z.string() });
const EntitySchema = z.looseObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  user: UserSchema.optional(),
});
const MessageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number(),
  chat: ChatSchema,
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  from: UserSchema.optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(EntitySchema).optional(),
  caption_entities: z.array(EntitySchema).optional(),
});
const CallbackQuerySchema = z.looseObject({
  id: z.string().min(1),
  from: UserSchema,
  message: z
    .looseObject({ message_id: z.number().int(), chat: ChatSchema, message_thread_id: z.number().int().optional(), is_topic_message: z.boolean().optional() })
    .optional(),
  data: z.string().optional(),
});
const ChatMemberUpdatedSchema = z.looseObject({
  chat: ChatSchema,
  from: UserSchema,
  date: z.number(),
  new_chat_member: z.looseObject({ status: z.string() }),
});

/** The part of a Telegram Update we read; unknown fields are kept, unknown update types ignored. */
export const TelegramUpdateSchema = z.looseObject({
  update_id: z.number().int().nonnegative(),
  message: MessageSchema.optional(),
  edited_message: MessageSchema.optional(),
  callback_query: CallbackQuerySchema.optional(),
  my_chat_member: ChatMemberUpdatedSchema.optional(),
});

/** A validated Telegram Update. */
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;
type TelegramMessage = z.infer<typeof MessageSchema>;
type Entity = z.infer<typeof EntitySchema>;

/** Who the bot is (from getMe), needed to recognise mentions and `/cmd@bot` in groups. */
export interface TelegramBotIdentity {
  readonly id: number;
  readonly username?: string;
}

/** What parseTelegramUpdate needs besides the update. */
export interface TelegramParseContext {
  /** Unknown until getMe answered; then group mentions and `/cmd@bot` are recognised. */
  readonly bot?: TelegramBotIdentity;
  /** TELEGRAM_STAFF_CHAT_ID: updates from this chat are routed to staff handling. */
  readonly staffChatId?: string;
  /** Now, epoch ms (used when Telegram gives no date, e.g. button presses). */
  readonly nowMs: number;
}

/** What to do with one update. */
export type TelegramUpdateAction =
  /** A citizen message for the engine; button presses also carry the query to answer. */
  | { readonly type: 'inbound'; readonly updateId: number; readonly message: InboundMessage; readonly callbackQueryId?: string }
  /** A button press we cannot map (unknown data, no chat): only stop the client's spinner. */
  | { readonly type: 'answer-callback'; readonly updateId: number; readonly callbackQueryId: string; readonly reason: string }
  /** The bot is allowed to write to this chat again (unblocked, re-added). */
  | { readonly type: 'reachable'; readonly updateId: number; readonly chatId: string }
  /** From the staff chat: not a citizen message. */
  | { readonly type: 'staff'; readonly updateId: number; readonly update: TelegramUpdate }
  | { readonly type: 'ignore'; readonly updateId: number; readonly reason: string }
  /** Not a Telegram update at all (`issue` names fields, never values). */
  | { readonly type: 'invalid'; readonly issue: string };

const SERVICE_MESSAGE_KEYS = [
  'new_chat_members', 'left_chat_member', 'new_chat_title', 'new_chat_photo', 'delete_chat_photo',
  'group_chat_created', 'supergroup_chat_created', 'channel_chat_created', 'message_auto_delete_timer_changed',
  'migrate_to_chat_id', 'migrate_from_chat_id', 'pinned_message', 'successful_payment', 'users_shared',
  'chat_shared', 'write_access_allowed', 'connected_website', 'proximity_alert_triggered', 'boost_added',
  'chat_background_set', 'forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'forum_topic_reopened',
  'general_forum_topic_hidden', 'general_forum_topic_unhidden', 'video_chat_scheduled', 'video_chat_started',
  'video_chat_ended', 'video_chat_participants_invited', 'giveaway_created', 'giveaway_completed',
] as const;

const GROUP_TYPES = new Set(['group', 'supergroup']);

/** Validates and classifies one update. Never throws. */
export function parseTelegramUpdate(raw: unknown, ctx: TelegramParseContext): TelegramUpdateAction {
  // Citizens' messages skip the schema parse when a hand check proves it would pass (fast-update.ts).
  const parsed = isPlainMessageUpdate(raw) ? ({ success: true, data: raw as TelegramUpdate } as const) : TelegramUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    return { type: 'invalid', issue };
  }
  const update = parsed.data;
  const updateId = update.update_id;
  const fromStaffChat = (chatId: number | undefined) =>
    ctx.staffChatId !== undefined && chatId !== undefined && String(chatId) === ctx.staffChatId;

  if (update.message) {
    if (fromStaffChat(update.message.chat.id)) return { type: 'staff', updateId, update };
    return parseMessage(updateId, update.message, ctx);
  }
  if (update.edited_message) {
    if (fromStaffChat(update.edited_message.chat.id)) return { type: 'staff', updateId, update };
    return { type: 'ignore', updateId, reason: 'edited message' };
  }
  if (update.callback_query) {
    const cq = update.callback_query;
    if (fromStaffChat(cq.message?.chat.id)) return { type: 'staff', updateId, update };
    const option = decodeOptionCallback(cq.data);
    if (!cq.message) return { type: 'answer-callback', updateId, callbackQueryId: cq.id, reason: 'no message' };
    if (!option) return { type: 'answer-callback', updateId, callbackQueryId: cq.id, reason: 'unknown callback_data' };
    const message: InboundMessage = {
      id: `update:${updateId}`,
      channel: 'telegram',
      chatId: replyChatIdOf(cq.message),
      kind: 'option',
      optionIndex: option.index,
      ...(option.menuSeq !== undefined ? { menuSeq: option.menuSeq } : {}),
      ...langHintOf(cq.from.language_code),
      ...displayNameOf(cq.from),
      sentAtMs: ctx.nowMs,
      order: updateId,
    };
    return { type: 'inbound', updateId, message, callbackQueryId: cq.id };
  }
  if (update.my_chat_member) {
    const m = update.my_chat_member;
    if (fromStaffChat(m.chat.id)) return { type: 'staff', updateId, update };
    const status = m.new_chat_member.status;
    const chatId = String(m.chat.id);
    if (status === 'kicked' || status === 'left') {
      const message: InboundMessage = {
        id: `update:${updateId}`,
        channel: 'telegram',
        chatId,
        kind: 'blocked',
        ...langHintOf(m.from.language_code),
        sentAtMs: m.date * 1000,
        order: updateId,
      };
      return { type: 'inbound', updateId, message };
    }
    if (status === 'member' || status === 'administrator') return { type: 'reachable', updateId, chatId };
    return { type: 'ignore', updateId, reason: `bot status ${status}` };
  }
  return { type: 'ignore', updateId, reason: 'unhandled update type' };
}

/** Separates a forum topic's thread id from its chat id in a Telegram chat id (`-100123/45`). */
export const TELEGRAM_TOPIC_SEPARATOR = '/';

/**
 * Where replies to a message go: its chat, and in a forum supergroup the topic it was written
 * in (`<chat>/<message_thread_id>`, so each topic is a conversation of its own and replies
 * reach that topic instead of General). Reply threads of ordinary groups are not topics.
 */
export function replyChatIdOf(msg: { readonly chat: { readonly id: number }; readonly message_thread_id?: number; readonly is_topic_message?: boolean }): string {
  const chat = String(msg.chat.id);
  return msg.is_topic_message === true && msg.message_thread_id !== undefined ? `${chat}${TELEGRAM_TOPIC_SEPARATOR}${msg.message_thread_id}` : chat;
}

/** Splits a chat id made by {@link replyChatIdOf} into the chat and the topic's thread id, if any. */
export function splitTopicChatId(chatId: string): { readonly chat: string; readonly threadId?: number } {
  const i = chatId.indexOf(TELEGRAM_TOPIC_SEPARATOR);
  if (i < 0) return { chat: chatId };
  const threadId = Number(chatId.slice(i + 1));
  return Number.isSafeInteger(threadId) && threadId > 0 ? { chat: chatId.slice(0, i), threadId } : { chat: chatId };
}

function langHintOf(code: string | undefined): { langHint?: string } {
  return code ? { langHint: code } : {};
}

/** The citizen's name as Telegram shows it ("first last"), for staff; absent when empty. */
function displayNameOf(user: { first_name?: string; last_name?: string } | undefined): { displayName?: string } {
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(' ').normalize('NFC').replace(/\s+/g, ' ').trim();
  return name ? { displayName: name.slice(0, 80) } : {};
}

function parseMessage(updateId: number, msg: TelegramMessage, ctx: TelegramParseContext): TelegramUpdateAction {
  const chatType = msg.chat.type;
  const inGroup = GROUP_TYPES.has(chatType);
  if (chatType !== 'private' && !inGroup) return { type: 'ignore', updateId, reason: `chat type ${chatType}` };
  if (msg.from?.is_bot) return { type: 'ignore', updateId, reason: 'from a bot' };

  const base = {
    id: `update:${updateId}`,
    channel: 'telegram' as const,
    chatId: replyChatIdOf(msg),
    ...langHintOf(msg.from?.language_code),
    ...displayNameOf(msg.from),
    sentAtMs: msg.date * 1000,
    order: updateId,
  };
  const inbound = (kind: InboundKind, text?: string): TelegramUpdateAction => ({
    type: 'inbound',
    updateId,
    message: { ...base, kind, ...(text ? { text: text.normalize('NFC') } : {}) },
  });

  if (msg.text === undefined) {
    const record = msg as Record<string, unknown>;
    if (SERVICE_MESSAGE_KEYS.some((key) => record[key] !== undefined)) {
      return { type: 'ignore', updateId, reason: 'service message' };
    }
    const caption = stripBotMentions(msg.caption ?? '', msg.caption_entities, ctx.bot);
    if (inGroup && !caption.mentioned) return { type: 'ignore', updateId, reason: 'group media not addressed to the bot' };
    return inbound('media', caption.text);
  }

  const { text, mentioned } = stripBotMentions(msg.text, msg.entities, ctx.bot);
  const command = readCommand(text);
  if (command) {
    const ours = command.target === undefined || sameUsername(command.target, ctx.bot?.username);
    if (!ours && inGroup) return { type: 'ignore', updateId, reason: 'command for another bot' };
    if (command.name === 'start') return inbound('start', command.rest);
    return inbound('text', command.rest ? `/${command.name} ${command.rest}` : `/${command.name}`);
  }
  if (inGroup && !mentioned) return { type: 'ignore', updateId, reason: 'group message not addressed to the bot' };
  if (text.length === 0) return inbound('start');
  return inbound('text', text);
}

function sameUsername(a: string, b: string | undefined): boolean {
  return b !== undefined && a.toLowerCase() === b.toLowerCase();
}

/** `/name[@bot] rest` at the start of the text. */
function readCommand(text: string): { name: string; target?: string; rest: string } | null {
  const m = /^\/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m || m[1] === undefined) return null;
  return { name: m[1].toLowerCase(), ...(m[2] !== undefined ? { target: m[2] } : {}), rest: (m[3] ?? '').trim() };
}

let mentionRe: { readonly handle: string; readonly re: RegExp } | undefined;
/** `@handle` as a word, case-insensitive (built once per handle; `replace` resets lastIndex). */
function mentionPattern(handle: string): RegExp {
  if (mentionRe?.handle !== handle) {
    mentionRe = { handle, re: new RegExp(`(^|\\s)${handle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`, 'gi') };
  }
  return mentionRe.re;
}

/**
 * Removes mentions of the bot (entity-based; offsets are UTF-16, like JS strings) and says
 * whether there was one. Falls back to a plain `@username` search when entities are absent.
 */
function stripBotMentions(
  text: string,
  entities: readonly Entity[] | undefined,
  bot: TelegramBotIdentity | undefined,
): { text: string; mentioned: boolean } {
  if (!bot) return { text: text.trim(), mentioned: false };
  const handle = bot.username ? `@${bot.username.toLowerCase()}` : undefined;
  const ranges = (entities ?? [])
    .filter((e) => {
      if (e.type === 'text_mention') return e.user?.id === bot.id;
      return e.type === 'mention' && handle !== undefined && text.slice(e.offset, e.offset + e.length).toLowerCase() === handle;
    })
    .sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const r of ranges) out = out.slice(0, r.offset) + out.slice(r.offset + r.length);
  let mentioned = ranges.length > 0;
  if (!mentioned && handle && entities === undefined) {
    const replaced = out.replace(mentionPattern(handle), '$1');
    mentioned = replaced !== out;
    out = replaced;
  }
  if (!mentioned) return { text: text.trim(), mentioned };
  // "@bot, làm sao…" → "làm sao…"
  const tidy = out.replace(/^[\s,:;.!-]+/, '').replace(/[ \t]+([,.:;!?])/g, '$1').replace(/[ \t]{2,}/g, ' ');
  return { text: tidy.trim(), mentioned };
}
