/**
 * The optional Telegram staff group (TELEGRAM_STAFF_CHAT_ID): a forum supergroup where every
 * handed-off conversation, from any channel, gets its own topic. This file is the events → topics
 * half: it follows the live events every instance shares, opens a topic with a summary when a
 * conversation enters the queue, copies the citizen's lines into it, notes claims and releases,
 * and closes (or, after an erase, deletes) the topic when the hand-off ends. The topics → desk
 * half (staff writing in a topic) is {@link TelegramStaffInbox}.
 *
 * Behind several instances every instance receives every event: message copies are claimed
 * once in the shared store, and all topic work for one conversation runs under a shared lock,
 * re-reading the queue each time (so a late or doubled event changes nothing).
 */
import { createHash } from 'node:crypto';
import { ChannelRejectedError } from '../../core/errors.ts';
import type { DeskConversation, HandoffDesk } from '../../core/handoff/desk.ts';
import type { EventBus, KeyValueStore, LiveEvent, Logger } from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import type { TelegramApiClient } from './api-client.ts';
import type { TelegramUpdate } from './parse.ts';
import { TelegramStaffInbox, isTelegramStaff } from './staff-inbox.ts';
import { citizenHtml, consoleReplyHtml, notes, summaryHtml, topicName } from './staff-texts.ts';
import { StaffTopicStore, type StaffTopicRecord } from './staff-topics.ts';

/** The desk use cases the staff group calls (HandoffDesk satisfies it). */
export type StaffGroupDesk = Pick<HandoffDesk, 'open' | 'list' | 'claim' | 'reply' | 'release' | 'resolve'>;

/** What the staff group needs. */
export interface TelegramStaffGroupDeps {
  readonly api: TelegramApiClient;
  readonly desk: StaffGroupDesk;
  /** Live events shared by every instance. */
  readonly events: EventBus;
  /** Shared store for topic mappings and locks. */
  readonly kv: KeyValueStore;
  /** TELEGRAM_STAFF_CHAT_ID. */
  readonly chatId: string;
  readonly logger: Logger;
  /** The bot's username once known (so `/done@otherbot` is left alone). */
  readonly botUsername?: () => string | undefined;
  /** Mapping lifetime, ms (default 30 days). */
  readonly topicTtlMs?: number;
  /** How long to wait for another instance's topic lock, ms (default 60 s). */
  readonly lockWaitMs?: number;
}

/** How long stop() waits for topic work in flight, ms. */
const STOP_FLUSH_MS = 5_000;

/** Bot API answers meaning the topic no longer exists (deleted by someone in the group). */
const THREAD_GONE = /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID|thread not found/i;

/** True when a Bot API error says the forum topic is gone. */
export function isThreadGone(err: unknown): boolean {
  return err instanceof ChannelRejectedError && err.status === 400 && THREAD_GONE.test(err.message);
}

/** Telegram chat ids are integers; send them as JSON numbers when they are. */
function chatIdParam(chatId: string): number | string {
  return /^-?\d+$/.test(chatId) && Number.isSafeInteger(Number(chatId)) ? Number(chatId) : chatId;
}

/** The staff group: start() follows events, handleUpdate() takes updates from the group. */
export class TelegramStaffGroup {
  /** Topic mappings in the shared store. */
  readonly topics: StaffTopicStore;
  private readonly inbox: TelegramStaffInbox;
  private readonly logger: Logger;
  private readonly chat: number | string;
  private readonly tails = new Map<ConversationId, Promise<void>>();
  private unsubscribe: (() => Promise<void>) | undefined;
  private running = false;

  constructor(private readonly deps: TelegramStaffGroupDeps) {
    this.logger = deps.logger.child({ part: 'telegram-staff-group' });
    this.chat = chatIdParam(deps.chatId);
    this.topics = new StaffTopicStore({
      kv: deps.kv,
      chatId: deps.chatId,
      ...(deps.topicTtlMs !== undefined ? { ttlMs: deps.topicTtlMs } : {}),
      ...(deps.lockWaitMs !== undefined ? { lockWaitMs: deps.lockWaitMs } : {}),
    });
    this.inbox = new TelegramStaffInbox({
      desk: deps.desk,
      topics: this.topics,
      note: (threadId, html) => this.send(threadId, html),
      logger: this.logger,
      ...(deps.botUsername ? { botUsername: deps.botUsername } : {}),
    });
  }

  /** Handles one update from the staff chat (pass as `staffUpdateHandler`). Never rejects. */
  readonly handleUpdate = async (update: TelegramUpdate): Promise<void> => {
    try {
      await this.inbox.handle(update);
    } catch (err) {
      this.logger.error({ err: errText(err) }, 'staff group update failed');
    }
  };

  /**
   * Subscribes to live events, then (in the background) checks the chat is a forum and opens
   * topics for tickets already queued (events are not kept while no instance listens).
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = await this.deps.events.subscribe((e) => this.onEvent(e));
    void this.checkChat();
    void this.reconcile();
  }

  /** Stops following events and waits (at most 5 s) for topic work in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.tails.values()]),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_FLUSH_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Brings every queued ticket's topic up to date (creates missing ones). Never rejects. */
  async reconcile(): Promise<void> {
    try {
      for (const t of await this.deps.desk.list()) this.serial(t.id, () => this.topics.withLock(t.id, () => this.sync(t.id)));
    } catch (err) {
      this.logger.warn({ err: errText(err) }, 'staff group could not read the queue');
    }
  }

  private onEvent(e: LiveEvent): void {
    if (!this.running) return;
    this.serial(e.conversationId, () => this.handleEvent(e));
  }

  /** Runs topic work of one conversation in arrival order (in this instance). */
  private serial(id: ConversationId, work: () => Promise<void>): void {
    const run = (this.tails.get(id) ?? Promise.resolve()).then(work).catch((err: unknown) => {
      this.logger.error({ err: errText(err) }, 'staff group topic update failed');
    });
    this.tails.set(id, run);
    void run.then(() => {
      if (this.tails.get(id) === run) this.tails.delete(id);
    });
  }

  private async handleEvent(e: LiveEvent): Promise<void> {
    const id = e.conversationId;
    if (e.type !== 'message') {
      await this.topics.withLock(id, () => this.sync(id));
      return;
    }
    const entry = e.entry;
    if (!entry) return;
    let html: string;
    if (entry.role === 'citizen') html = citizenHtml(entry.text);
    // Lines staff wrote in a topic are already there; console replies are copied.
    else if (entry.role === 'staff' && !isTelegramStaff(entry.by)) html = consoleReplyHtml(entry.text);
    else return;
    if (!(await this.topics.firstToHandle(eventDigest(e)))) return;
    await this.topics.withLock(id, async () => {
      await this.sync(id);
      await this.post(id, html);
    });
  }

  /**
   * Makes the topic match the queue (call under the lock): a ticket without a topic gets one;
   * a claim or release is noted; a ticket gone closes the topic, or deletes it when the
   * conversation itself was erased (the citizen asked for their words to be removed).
   */
  private async sync(id: ConversationId): Promise<void> {
    const c = await this.deps.desk.open(id);
    const ticket = c?.ticket ?? null;
    const record = await this.topics.get(id);
    if (ticket && c) {
      if (!record) {
        await this.openTopic(id, c, false);
        return;
      }
      const owner = ticket.status === 'active' ? ticket.owner : undefined;
      if (record.status === ticket.status && record.owner === owner) return;
      const html = ticket.status === 'active' ? notes.claimed(owner ?? '?') : notes.backInQueue();
      const posted = await this.post(id, html);
      if (posted) await this.topics.put(id, { threadId: posted.threadId, status: ticket.status, ...(owner ? { owner } : {}) });
      return;
    }
    if (!record) return;
    await this.topics.close(id);
    if (c === null) {
      await this.eraseTopic(record);
      return;
    }
    await this.sendIgnoringGone(record.threadId, notes.closed());
    await this.topicCall('closeForumTopic', record.threadId);
  }

  /** Creates the topic, stores the mapping, posts the summary. */
  private async openTopic(id: ConversationId, c: DeskConversation, recreated: boolean): Promise<StaffTopicRecord> {
    const t = c.ticket!;
    const topic = await this.deps.api.call('createForumTopic', { chat_id: this.chat, name: topicName(id, t.channel, t.reason) });
    const owner = t.status === 'active' ? t.owner : undefined;
    const record: StaffTopicRecord = { threadId: topic.message_thread_id, status: t.status, ...(owner ? { owner } : {}) };
    await this.topics.put(id, record);
    this.logger.info({ threadId: record.threadId, channel: t.channel, recreated }, 'staff topic opened');
    await this.send(record.threadId, summaryHtml(id, c, recreated));
    return record;
  }

  /**
   * Posts into the conversation's open topic; when the topic was deleted, opens a new one
   * (summary first) and posts there. Resolves the record used, or null when there is no topic.
   */
  private async post(id: ConversationId, html: string): Promise<StaffTopicRecord | null> {
    const record = await this.topics.get(id);
    if (!record) return null;
    try {
      await this.send(record.threadId, html);
      return record;
    } catch (err) {
      if (!isThreadGone(err)) throw err;
      this.logger.warn({ threadId: record.threadId }, 'staff topic was deleted; opening a new one');
      await this.topics.forgetThread(record.threadId);
      await this.topics.close(id);
      const c = await this.deps.desk.open(id);
      if (!c?.ticket) return null;
      const fresh = await this.openTopic(id, c, true);
      await this.send(fresh.threadId, html);
      return fresh;
    }
  }

  /** Deletes the topic with its messages; without that right, notes the erase and closes it. */
  private async eraseTopic(record: StaffTopicRecord): Promise<void> {
    await this.topics.forgetThread(record.threadId);
    try {
      await this.deps.api.call('deleteForumTopic', { chat_id: this.chat, message_thread_id: record.threadId });
      return;
    } catch (err) {
      if (isThreadGone(err)) return;
      this.logger.warn({ err: errText(err) }, 'staff topic not deleted after an erase (can_delete_messages missing?)');
    }
    await this.sendIgnoringGone(record.threadId, notes.erased());
    await this.topicCall('closeForumTopic', record.threadId);
  }

  /** Sends HTML into a topic. Throws the API client's errors. */
  private async send(threadId: number, html: string): Promise<void> {
    await this.deps.api.call('sendMessage', {
      chat_id: this.chat,
      message_thread_id: threadId,
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    });
  }

  private async sendIgnoringGone(threadId: number, html: string): Promise<void> {
    try {
      await this.send(threadId, html);
    } catch (err) {
      if (!isThreadGone(err)) throw err;
    }
  }

  /** Closes a topic; a topic already closed or gone is fine. */
  private async topicCall(method: 'closeForumTopic', threadId: number): Promise<void> {
    try {
      await this.deps.api.call(method, { chat_id: this.chat, message_thread_id: threadId });
    } catch (err) {
      this.logger.debug({ method, err: errText(err) }, 'staff topic call refused');
    }
  }

  /** Warns once at start when the staff chat is not a forum (topics cannot be created). */
  private async checkChat(): Promise<void> {
    try {
      const chat = (await this.deps.api.call('getChat', { chat_id: this.chat }, { retry: false })) as { type?: string; is_forum?: boolean };
      if (chat.type !== 'supergroup' || chat.is_forum !== true) {
        this.logger.error({ type: chat.type }, 'TELEGRAM_STAFF_CHAT_ID is not a supergroup with topics enabled: hand-offs cannot get topics');
      }
    } catch (err) {
      this.logger.warn({ err: errText(err) }, 'TELEGRAM_STAFF_CHAT_ID could not be checked (is the bot a member?)');
    }
  }
}

/** A stable digest of one event, so instances agree on who copies it. */
function eventDigest(e: LiveEvent): string {
  const entry = e.entry;
  const basis = [e.type, e.conversationId, e.atMs, entry?.atMs, entry?.role, entry?.by ?? '', entry?.text ?? ''].join('\u0000');
  return createHash('sha256').update(basis).digest('hex').slice(0, 32);
}

function errText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
