/**
 * A fake Telegram Bot API server on loopback for tests: records every call and answers with
 * sensible defaults or scripted replies (429 with retry_after, 500, 403, dropped sockets…).
 *
 * ```ts
 * const fake = await FakeTelegramServer.start({ token: 'TEST:token' });
 * fake.replyOnce('sendMessage', telegramError(429, 'Too Many Requests', { retry_after: 1 }));
 * // point the code under test at fake.apiRoot (TELEGRAM_API_ROOT)
 * const [call] = await fake.waitForCalls('sendMessage', 1);
 * await fake.close();
 * ```
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface FakeTelegramCall {
  /** Bot API method, e.g. `sendMessage`. */
  readonly method: string;
  /** The token from the URL (`/bot<token>/<method>`). */
  readonly token: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body ({} when empty or not JSON). */
  readonly body: Record<string, unknown>;
  /** Order of arrival across all methods, from 1. */
  readonly seq: number;
}

/** An HTTP answer: status and JSON body (a string body is sent as text/plain). `delayMs` holds it back. */
export interface FakeTelegramHttpReply {
  readonly status: number;
  readonly body: unknown;
  readonly delayMs?: number;
}

/** A scripted answer; `destroySocket` drops the connection without answering (a network error). */
export type FakeTelegramReply = FakeTelegramHttpReply | { readonly destroySocket: true };

/** A fixed reply, or one computed from the call. */
export type FakeTelegramResponder = FakeTelegramReply | ((call: FakeTelegramCall) => FakeTelegramReply | Promise<FakeTelegramReply>);

/** `{ ok: true, result }` with HTTP 200. */
export function telegramOk(result: unknown, delayMs?: number): FakeTelegramHttpReply {
  return { status: 200, body: { ok: true, result }, ...(delayMs !== undefined ? { delayMs } : {}) };
}

/** A Bot API error: HTTP status = error_code, body `{ ok: false, error_code, description, parameters? }`. */
export function telegramError(code: number, description: string, parameters?: { retry_after?: number; migrate_to_chat_id?: number }): FakeTelegramHttpReply {
  return { status: code, body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } };
}

/** Options of {@link FakeTelegramServer.start}. */
export interface FakeTelegramOptions {
  /** When set, calls with another token get 401 Unauthorized (still recorded). */
  readonly token?: string;
  /** What getMe returns. Default: `{ id: 7000000001, is_bot: true, first_name: 'Trợ lý DVC', username: 'trolydvc_bot' }`. */
  readonly bot?: { readonly id: number; readonly first_name: string; readonly username: string };
  /**
   * The webhook URL getWebhookInfo reports before any setWebhook or deleteWebhook: by default one
   * an operator registered by hand (so webhook mode without PUBLIC_URL looks healthy); '' for none.
   */
  readonly webhookUrl?: string;
}

/** A forum topic made through the fake's createForumTopic. */
export interface FakeForumTopic {
  readonly chatId: unknown;
  readonly threadId: number;
  name: string;
  closed: boolean;
  /** Deleted (deleteForumTopic, or {@link FakeTelegramServer.deleteTopic}): sends into it get 400. */
  deleted: boolean;
}

/** The webhook as setWebhook left it, and what getWebhookInfo reports about deliveries to it. */
export interface FakeWebhookState {
  url: string;
  secretToken?: string;
  pendingUpdateCount: number;
  /** Unix seconds of the last delivery error, as Telegram reports it. */
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

/** The fake server. Create with {@link FakeTelegramServer.start}; always {@link FakeTelegramServer.close}. */
export class FakeTelegramServer {
  /** Every call received, in order of arrival. */
  readonly calls: FakeTelegramCall[] = [];
  /** Forum topics by message_thread_id (createForumTopic and friends keep them up to date). */
  readonly topics = new Map<number, FakeForumTopic>();
  /** setWebhook / deleteWebhook keep this; getWebhookInfo answers from it. */
  readonly webhook: FakeWebhookState;
  private nextThreadId = 5001;
  private readonly scripted = new Map<string, FakeTelegramResponder[]>();
  private readonly fixed = new Map<string, FakeTelegramResponder>();
  private readonly updates: Record<string, unknown>[] = [];
  private readonly waiters = new Set<() => void>();
  private nextMessageId = 1000;
  private closed = false;

  private constructor(
    private readonly server: Server,
    /** Base URL to use as TELEGRAM_API_ROOT, e.g. `http://127.0.0.1:40123`. */
    readonly apiRoot: string,
    private readonly options: FakeTelegramOptions,
  ) {
    this.webhook = { url: options.webhookUrl ?? 'https://bot.example.invalid/webhooks/telegram', pendingUpdateCount: 0 };
  }

  /** Starts a fake on 127.0.0.1 with a free port. */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegramServer> {
    let fake: FakeTelegramServer | undefined;
    const server = createServer((req, res) => {
      void fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeTelegramServer(server, `http://127.0.0.1:${port}`, options);
    return fake;
  }

  /** The bot getMe describes. */
  get bot(): { id: number; is_bot: true; first_name: string; username: string } {
    return { id: 7000000001, first_name: 'Trợ lý DVC', username: 'trolydvc_bot', ...this.options.bot, is_bot: true };
  }

  /** Calls of one method, in order. */
  callsTo(method: string): FakeTelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Answers the next calls of `method` with these replies, one each, before the default applies again. */
  replyOnce(method: string, ...responders: FakeTelegramResponder[]): this {
    this.scripted.set(method, [...(this.scripted.get(method) ?? []), ...responders]);
    return this;
  }

  /** Answers every call of `method` this way (after any replyOnce queue); replaces the default. */
  replyAlways(method: string, responder: FakeTelegramResponder): this {
    this.fixed.set(method, responder);
    return this;
  }

  /** Queues updates for getUpdates (long polling); a waiting getUpdates returns at once. */
  pushUpdates(...updates: Record<string, unknown>[]): void {
    this.updates.push(...updates);
    this.wake();
  }

  /**
   * Makes getWebhookInfo report that Telegram cannot deliver to the webhook, as it does when our
   * route answers 401 (wrong secret) or cannot be reached: the error, its time, updates waiting.
   */
  failWebhookDelivery(message: string, pendingUpdateCount: number, atMs = Date.now()): void {
    this.webhook.lastErrorMessage = message;
    this.webhook.lastErrorDate = Math.floor(atMs / 1000);
    this.webhook.pendingUpdateCount = pendingUpdateCount;
  }

  /** Deletes a topic as a person in the group would: later sends into it get 400 "message thread not found". */
  deleteTopic(threadId: number): void {
    const topic = this.topics.get(threadId);
    if (topic) topic.deleted = true;
  }

  /** Forgets recorded calls and scripted replies (not the replyAlways ones). */
  reset(): void {
    this.calls.length = 0;
    this.scripted.clear();
  }

  /** Resolves with the calls of `method` once there are at least `count`; rejects after `timeoutMs` (default 5000). */
  async waitForCalls(method: string, count: number, timeoutMs = 5000): Promise<FakeTelegramCall[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.callsTo(method);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`fake Telegram: expected ${count} ${method} call(s), got ${found.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops the server; pending long polls are answered with no updates. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!match) return send(res, { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // not JSON (multipart uploads): recorded with an empty body
    }
    const call: FakeTelegramCall = { method: match[2]!, token: decodeURIComponent(match[1]!), headers: req.headers, body, seq: this.calls.length + 1 };
    this.calls.push(call);
    if (this.options.token !== undefined && call.token !== this.options.token) {
      return send(res, telegramError(401, 'Unauthorized'));
    }
    const queued = this.scripted.get(call.method);
    const responder = queued?.shift() ?? this.fixed.get(call.method);
    const reply = responder === undefined ? await this.defaultReply(call) : typeof responder === 'function' ? await responder(call) : responder;
    if ('destroySocket' in reply) {
      req.socket.destroy();
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    send(res, reply);
  }

  private async defaultReply(call: FakeTelegramCall): Promise<FakeTelegramReply> {
    switch (call.method) {
      case 'getMe':
        return telegramOk(this.bot);
      case 'sendMessage': {
        const threadId = call.body.message_thread_id;
        if (typeof threadId === 'number' && this.topicOf(call)?.deleted !== false) {
          return telegramError(400, 'Bad Request: message thread not found');
        }
        return telegramOk({
          message_id: this.nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: call.body.chat_id, type: typeof threadId === 'number' ? 'supergroup' : 'private' },
          from: this.bot,
          text: call.body.text,
          ...(typeof threadId === 'number' ? { message_thread_id: threadId, is_topic_message: true } : {}),
        });
      }
      case 'createForumTopic': {
        const topic: FakeForumTopic = { chatId: call.body.chat_id, threadId: this.nextThreadId++, name: String(call.body.name), closed: false, deleted: false };
        this.topics.set(topic.threadId, topic);
        return telegramOk({ message_thread_id: topic.threadId, name: topic.name, icon_color: 7322096 });
      }
      case 'closeForumTopic':
      case 'reopenForumTopic':
      case 'deleteForumTopic':
      case 'editForumTopic': {
        const topic = this.topicOf(call);
        if (!topic || topic.deleted) return telegramError(400, 'Bad Request: message thread not found');
        if (call.method === 'closeForumTopic') topic.closed = true;
        if (call.method === 'reopenForumTopic') topic.closed = false;
        if (call.method === 'deleteForumTopic') topic.deleted = true;
        if (call.method === 'editForumTopic' && typeof call.body.name === 'string' && call.body.name) topic.name = call.body.name;
        return telegramOk(true);
      }
      case 'getChat':
        return telegramOk({ id: call.body.chat_id, type: 'supergroup', title: 'Staff', is_forum: true });
      case 'setWebhook':
        this.webhook.url = String(call.body.url ?? '');
        this.webhook.secretToken = typeof call.body.secret_token === 'string' ? call.body.secret_token : undefined;
        return telegramOk(true);
      case 'deleteWebhook':
        this.webhook.url = '';
        this.webhook.secretToken = undefined;
        return telegramOk(true);
      case 'getWebhookInfo':
        return telegramOk(this.webhookInfo());
      case 'answerCallbackQuery':
      case 'setMyCommands':
        return telegramOk(true);
      case 'getUpdates':
        return telegramOk(await this.longPoll(call));
      default:
        return telegramError(404, 'Not Found: method not found');
    }
  }

  /** getWebhookInfo's answer (Bot API WebhookInfo). */
  private webhookInfo(): Record<string, unknown> {
    const w = this.webhook;
    return {
      url: w.url,
      has_custom_certificate: false,
      pending_update_count: w.pendingUpdateCount,
      ...(w.lastErrorDate !== undefined ? { last_error_date: w.lastErrorDate, last_error_message: w.lastErrorMessage ?? '' } : {}),
      ...(w.url ? { max_connections: 40, allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'] } : {}),
    };
  }

  /** The topic a call names (its chat and message_thread_id), if the fake made it. */
  private topicOf(call: FakeTelegramCall): FakeForumTopic | undefined {
    const topic = this.topics.get(Number(call.body.message_thread_id));
    return topic && String(topic.chatId) === String(call.body.chat_id) ? topic : undefined;
  }

  private async longPoll(call: FakeTelegramCall): Promise<Record<string, unknown>[]> {
    const offset = typeof call.body.offset === 'number' ? call.body.offset : 0;
    const timeoutS = typeof call.body.timeout === 'number' ? call.body.timeout : 0;
    const pick = () => this.updates.filter((u) => typeof u.update_id === 'number' && u.update_id >= offset);
    // Like Telegram: updates below the offset are confirmed and forgotten.
    for (let i = this.updates.length - 1; i >= 0; i--) {
      const id = this.updates[i]!.update_id;
      if (typeof id === 'number' && id < offset) this.updates.splice(i, 1);
    }
    if (pick().length > 0 || timeoutS === 0 || this.closed) return pick();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutS * 1000);
      this.waiters.add(done);
    });
    return pick();
  }
}

function send(res: ServerResponse, reply: FakeTelegramHttpReply): void {
  if (res.destroyed) return;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json' });
  res.end(text);
}
