/**
 * The topics → desk half of the Telegram staff group: a staff member writing in a conversation's
 * topic. Plain text goes to the citizen through the desk (claiming the conversation first when
 * nobody has it); `/done` resolves, `/release` puts it back in the queue. Anything the desk
 * refuses is answered with a short note in the topic. Messages outside the bot's topics (the
 * General topic, topics staff made themselves), from bots, and service messages are ignored.
 */
import { z } from 'zod';
import { AppError, HandoffStateError } from '../../core/errors.ts';
import { neutralizeBidi } from '../../core/text.ts';
import { STAFF_TEXT_LIMIT, type HandoffDesk } from '../../core/handoff/desk.ts';
import type { Logger } from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import type { TelegramUpdate } from './parse.ts';
import { STAFF_COMMANDS, notes } from './staff-texts.ts';
import type { StaffTopicStore } from './staff-topics.ts';

/** Prefix of the staff usernames of people acting from the Telegram group (console names cannot contain ':'). */
export const TELEGRAM_STAFF_PREFIX = 'tg:';

/** True for a staff username that acted from the Telegram group. */
export function isTelegramStaff(username: string | undefined): boolean {
  return username !== undefined && username.startsWith(TELEGRAM_STAFF_PREFIX);
}

const FromSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  username: z.string().optional(),
});
/** The fields of a staff-group message we read. */
const StaffMessageSchema = z.looseObject({
  message_id: z.number().int(),
  from: FromSchema.optional(),
  message_thread_id: z.number().int().optional(),
  is_topic_message: z.boolean().optional(),
  text: z.string().optional(),
});
type From = z.infer<typeof FromSchema>;

/** Keys whose presence marks a service message (topic created, member joined…), never forwarded. */
const SERVICE_KEYS = [
  'forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'forum_topic_reopened', 'new_chat_members',
  'left_chat_member', 'pinned_message', 'new_chat_title', 'new_chat_photo', 'delete_chat_photo',
  'message_auto_delete_timer_changed', 'video_chat_started', 'video_chat_ended', 'video_chat_scheduled',
  'general_forum_topic_hidden', 'general_forum_topic_unhidden', 'write_access_allowed', 'chat_background_set',
];

type Command = 'done' | 'release' | 'help';

/** What the inbox needs. */
export interface TelegramStaffInboxDeps {
  readonly desk: Pick<HandoffDesk, 'open' | 'claim' | 'reply' | 'release' | 'resolve'>;
  readonly topics: StaffTopicStore;
  /** Posts a note (HTML) into a topic. */
  readonly note: (threadId: number, html: string) => Promise<void>;
  readonly logger: Logger;
  readonly botUsername?: () => string | undefined;
}

/** The staff member behind a Telegram user: `tg:<username>` (or `tg:<id>`), shown by first name. */
export function staffRefOf(from: From): { username: string; displayName: string } {
  const handle = from.username ? from.username.toLowerCase() : String(from.id);
  // The first name is shown to citizens and in the console: no bidirectional overrides in it.
  const firstName = from.first_name === undefined ? '' : neutralizeBidi(from.first_name).trim();
  return { username: `${TELEGRAM_STAFF_PREFIX}${handle}`, displayName: firstName || from.username || handle };
}

/** Handles updates from the staff group. */
export class TelegramStaffInbox {
  /** Work per topic, so two quick staff messages reach the citizen in the order written. */
  private readonly tails = new Map<number, Promise<void>>();

  constructor(private readonly deps: TelegramStaffInboxDeps) {}

  /**
   * Handles one staff-chat update; updates of one topic run one after another (in this instance).
   * Rejects only on store failures (the caller logs them).
   */
  handle(update: TelegramUpdate): Promise<void> {
    const thread = (update.message ?? update.edited_message)?.message_thread_id;
    if (typeof thread !== 'number') return this.handleNow(update);
    const run = (this.tails.get(thread) ?? Promise.resolve()).then(() => this.handleNow(update));
    const tail = run.catch(() => undefined);
    this.tails.set(thread, tail);
    void tail.then(() => {
      if (this.tails.get(thread) === tail) this.tails.delete(thread);
    });
    return run;
  }

  private async handleNow(update: TelegramUpdate): Promise<void> {
    if (update.my_chat_member) {
      const status = update.my_chat_member.new_chat_member.status;
      if (status !== 'administrator') this.deps.logger.error({ status }, 'the bot is no longer an admin of the staff group: topics cannot be managed');
      return;
    }
    const edited = update.edited_message !== undefined;
    const parsed = StaffMessageSchema.safeParse(update.message ?? update.edited_message);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (!msg.from || msg.from.is_bot) return;
    // Only real forum topics: in the General topic a reply carries the thread id of the replied message.
    if (msg.is_topic_message !== true || msg.message_thread_id === undefined) return;
    const record = msg as Record<string, unknown>;
    if (msg.text === undefined && SERVICE_KEYS.some((k) => record[k] !== undefined)) return;
    const threadId = msg.message_thread_id;
    const lookup = await this.deps.topics.lookupThread(threadId);
    if (!lookup) return; // a topic the bot did not make
    const note = (html: string) => this.note(threadId, html);
    if (edited) return note(notes.edited());
    if (msg.text === undefined) return note(notes.textOnly());
    const text = msg.text.trim();
    if (text.length === 0) return;
    if (!lookup.open) return note(notes.ended());
    const command = this.commandOf(text);
    if (command === 'other-bot') return;
    if (command === 'help' || command === 'unknown') return note(notes.help());
    await this.act(lookup.conversationId, staffRefOf(msg.from), command, text, note);
  }

  private async act(
    id: ConversationId,
    staff: { username: string; displayName: string },
    command: 'done' | 'release' | null,
    text: string,
    note: (html: string) => Promise<void>,
  ): Promise<void> {
    const { desk, logger } = this.deps;
    try {
      const ticket = (await desk.open(id))?.ticket ?? null;
      if (!ticket) return await note(notes.ended());
      if (ticket.status === 'active' && ticket.owner !== staff.username) return await note(notes.ownedByOther(ticket.owner ?? '?'));
      if (command === 'release') {
        if (ticket.status === 'waiting') return await note(notes.waiting());
        await desk.release(id, staff);
        return;
      }
      if (text.length > STAFF_TEXT_LIMIT && command === null) return await note(notes.tooLong(STAFF_TEXT_LIMIT));
      if (ticket.status === 'waiting') await desk.claim(id, staff);
      if (command === 'done') {
        await desk.resolve(id, staff);
        return;
      }
      await desk.reply(id, staff, text);
      if ((await desk.open(id))?.unreachable) await note(notes.unreachable());
    } catch (err) {
      if (err instanceof HandoffStateError) {
        if (err.problem === 'missing') return await note(notes.ended());
        return await note(err.owner && err.owner !== staff.username ? notes.ownedByOther(err.owner) : notes.notOwner());
      }
      if (err instanceof AppError && err.code === 'BAD_TEXT') return await note(notes.tooLong(STAFF_TEXT_LIMIT));
      logger.error({ err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, 'staff group action failed');
      await note(notes.failed());
    }
  }

  /** `/done`, `/done@ourbot` → 'done'; `/x@otherbot` → 'other-bot'; `/unknown` → 'unknown'; text → null. */
  private commandOf(text: string): Command | 'unknown' | 'other-bot' | null {
    if (!text.startsWith('/')) return null;
    const word = text.split(/\s/, 1)[0]!.toLowerCase();
    const [name, target] = word.split('@', 2) as [string, string | undefined];
    const me = this.deps.botUsername?.()?.toLowerCase();
    if (target !== undefined && me !== undefined && target !== me) return 'other-bot';
    for (const [command, names] of Object.entries(STAFF_COMMANDS) as [Command, readonly string[]][]) {
      if (names.includes(name)) return command;
    }
    return 'unknown';
  }

  private async note(threadId: number, html: string): Promise<void> {
    try {
      await this.deps.note(threadId, html);
    } catch (err) {
      this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'staff group note not sent');
    }
  }
}
