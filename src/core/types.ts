/**
 * Channel-neutral message and conversation types shared by the engine, the channels and the stores.
 * Nothing here knows about a chat app, a database or a web framework.
 */

/** Every chat surface the engine can talk through. */
export type ChannelName = 'telegram' | 'zalo-bot' | 'zalo-oa' | 'web' | 'cli';

/** `"<channel>:<platform chat id>"`, e.g. `"telegram:5512345678"`. */
export type ConversationId = `${ChannelName}:${string}`;

/** Languages the bot speaks. Vietnamese first. */
export type Lang = 'vi' | 'en';

/**
 * Longest platform chat id accepted, in UTF-16 units: with its channel it stays within the 200
 * characters a conversation id may have in the staff API. Real ids are far shorter (Telegram and
 * Zalo: about 20 characters; the web chat: 32).
 */
export const CHAT_ID_MAX = 128;

/** Builds the conversation id for a channel and a platform chat id. */
export function conversationIdOf(channel: ChannelName, chatId: string): ConversationId {
  return `${channel}:${chatId}`;
}

/** Splits a conversation id back into its channel and platform chat id. */
export function parseConversationId(id: string): { channel: ChannelName; chatId: string } | null {
  const i = id.indexOf(':');
  if (i <= 0) return null;
  const channel = id.slice(0, i) as ChannelName;
  if (!['telegram', 'zalo-bot', 'zalo-oa', 'web', 'cli'].includes(channel)) return null;
  return { channel, chatId: id.slice(i + 1) };
}

/**
 * What kind of thing the citizen sent.
 * - `text`: typed text (may be a number picking an option)
 * - `option`: a button press; `optionIndex` is 1-based, `menuSeq` says which menu it came from
 * - `start`: `/start`, a follow event, or the first open of the web chat
 * - `media`: photo, voice, sticker, contact, file… (we ask them to type)
 * - `unsupported`: the platform withheld the content (e.g. Zalo protected users)
 * - `blocked`: the citizen blocked or unfollowed the bot; send nothing back
 */
export type InboundKind = 'text' | 'option' | 'start' | 'media' | 'unsupported' | 'blocked';

/** One message from a citizen, already parsed and validated by its channel. */
export interface InboundMessage {
  /** Platform-unique id used for de-duplication, e.g. `"update:804120006"`. */
  readonly id: string;
  readonly channel: ChannelName;
  /** Where replies go (platform chat / user id). */
  readonly chatId: string;
  readonly kind: InboundKind;
  /** The text typed (for `text`); the caption or nothing otherwise. */
  readonly text?: string;
  /** For `option`: 1-based index of the button pressed. */
  readonly optionIndex?: number;
  /** For `option`: the menu sequence number the button belonged to, when the channel kept it. */
  readonly menuSeq?: number;
  /**
   * The platform's language hint (e.g. Telegram `language_code`). Not used to pick the reply
   * language (many Vietnamese phones are set to English): the dialogue follows the text instead.
   */
  readonly langHint?: string;
  /** Epoch milliseconds when the platform says it was sent (or when received). */
  readonly sentAtMs: number;
  /**
   * The platform's own sequence number, when it numbers what it delivers (Telegram's
   * `update_id`): a conversation's messages are handled in this order, else in `sentAtMs` order.
   */
  readonly order?: number;
  /** The name the platform shows for the citizen, when it gives one (Telegram, Zalo Bot); shown to staff only. */
  readonly displayName?: string;
}

/** A button: either an option (a numbered choice the engine resolves) or a link. */
export type Button =
  | { readonly kind: 'option'; readonly label: string; readonly index: number }
  | { readonly kind: 'url'; readonly label: string; readonly url: string };

/** A reply to a citizen, before any channel-specific rendering. */
export interface OutboundMessage {
  /** Plain text (never HTML); channels escape it as they need. */
  readonly text: string;
  readonly buttons: readonly Button[];
  /** Sequence number of the option menu carried by `buttons` (0 when none). */
  readonly menuSeq: number;
  /** Written by a person (a staff reply), not the bot: channels that can show it differently do. */
  readonly fromStaff?: boolean;
  /** The language it is written in (the conversation's); the web chat's own labels follow it. */
  readonly lang?: Lang;
}

/** One piece of an outbound message as a channel will send it (already within its limits). */
export interface RenderedMessage {
  readonly text: string;
  /** Buttons to show natively on this chunk (only the last chunk carries them). */
  readonly buttons: readonly Button[];
  readonly menuSeq: number;
  /** Written by a person (see {@link OutboundMessage.fromStaff}). */
  readonly fromStaff?: boolean;
  /** The language of the message it is a piece of, when known. */
  readonly lang?: Lang;
}

/** Who wrote a transcript line; `note` is a staff member's private note (never sent to the citizen). */
export type TranscriptRole = 'citizen' | 'bot' | 'staff' | 'system' | 'note';

/** One line of the bounded transcript staff read before they take over. */
export interface TranscriptEntry {
  readonly atMs: number;
  readonly role: TranscriptRole;
  readonly text: string;
  /** Staff username for `staff` and `note` lines. */
  readonly by?: string;
}

/** Where a conversation stands with respect to people. */
export type ConversationMode = 'bot' | 'waiting' | 'staff';

/** A question the bot asked and is waiting an answer for. */
export type PendingQuestion = 'handoff-confirm' | 'erase-confirm' | 'rating';

/** Everything the bot remembers about one conversation (kept small: it lives in Redis). */
export interface ConversationState {
  readonly id: ConversationId;
  readonly channel: ChannelName;
  readonly chatId: string;
  lang: Lang;
  /** The citizen picked the language with a command: the bot no longer follows the language they write in. */
  langChosen?: boolean;
  mode: ConversationMode;
  /** The guide being walked through, and the 1-based step shown last. */
  guideId?: string;
  step?: number;
  /** Actions of the last menu, in button order: typed numbers and buttons resolve here. */
  options: string[];
  /** Sequence number of the last menu (buttons carry it, so an old button is recognised). */
  menuSeq: number;
  /** The two menus before the last one, so a button pressed on an older message still works. */
  previousMenus?: { seq: number; options: string[] }[];
  /** Guide ids offered by the last "Did you mean" question (typed words can pick one). */
  clarify?: string[];
  /** The guide open before this one, and its step ("quay lại vụ hồi nãy" goes back to it). */
  previousGuide?: { id: string; step?: number };
  /** Content version the current guide was opened in (to notice edits mid-walkthrough). */
  guideVersion?: string;
  /** Consecutive fallbacks ("I don't know") since the last good answer. */
  fallbacks: number;
  pending?: PendingQuestion;
  /** The citizen blocked the bot (Telegram) or unfollowed (Zalo OA): send nothing. */
  blocked?: boolean;
  /** The platform refused to deliver (e.g. Zalo -230): staff should know. */
  unreachable?: boolean;
  /** Why the last hand-off was requested (for staff and reports). */
  handoffReason?: string;
  /** When the conversation last joined the staff queue: staff may read its transcript from then on. */
  handedOffAtMs?: number;
  /**
   * The conversation never got past the greeting (only `start` so far): stores keep it for
   * hours, not the full conversation lifetime, so unused web chat sessions cannot pile up.
   */
  greetingOnly?: true;
  /** The name the platform shows for the citizen (Telegram, Zalo Bot), for staff; erased with the state. */
  displayName?: string;
  /** The case (hand-off history) of the current or last hand-off. */
  caseId?: string;
  /** When staff last resolved a hand-off here: for a day after, what the citizen writes is kept with that case (it may be reopened). */
  caseClosedAtMs?: number;
  /** Messages counted in the current one-minute window (the rate limit, shared by every instance). */
  rate?: { startMs: number; count: number };
  createdAtMs: number;
  updatedAtMs: number;
}
