/**
 * Fake Zalo APIs on loopback for tests: the Bot Platform, the OA API v3 and its OAuth token
 * endpoint. Each records every request (path, headers, parsed body) and answers like the real
 * platform; tests script failures with `enqueue()`. Nothing here touches the internet.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/bot123:abc/sendMessage`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** JSON body parsed, a form body as a plain object, else the raw text. */
  readonly body: unknown;
}

/** A scripted answer. `destroy` drops the connection (a network error). */
export interface FakeResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly delayMs?: number;
  readonly destroy?: boolean;
}

/** Computes the default answer to a request. */
export type FakeHandler = (request: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

/** A small recording HTTP server on 127.0.0.1 with a random port. */
export class FakeHttpServer {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Called as each request is recorded, before it is answered (tests log the order of events). */
  onRecord?: (request: RecordedRequest) => void;
  readonly #server: Server;
  readonly #queue: { match: string | RegExp; response: FakeResponse }[] = [];
  #handler: FakeHandler;

  private constructor(server: Server, handler: FakeHandler) {
    this.#server = server;
    this.#handler = handler;
  }

  /** Starts a server answering with `handler` (unless a scripted answer matches first). */
  static async start(handler: FakeHandler): Promise<FakeHttpServer> {
    const server = createServer();
    const fake = new FakeHttpServer(server, handler);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const recorded: RecordedRequest = {
          method: req.method ?? 'GET',
          path: (req.url ?? '/').split('?')[0] ?? '/',
          headers: req.headers,
          rawBody,
          body: parseBody(rawBody, req.headers['content-type']),
        };
        fake.requests.push(recorded);
        fake.onRecord?.(recorded);
        void fake.#answer(recorded).then(async (answer) => {
          if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
          if (answer.destroy) return void req.socket.destroy();
          res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
          res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** Base URL, e.g. `http://127.0.0.1:45678`. */
  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Scripts one-shot answers, used in order, for requests whose path contains/matches `match`. */
  enqueue(match: string | RegExp, ...responses: FakeResponse[]): void {
    for (const response of responses) this.#queue.push({ match, response });
  }

  /** Replaces the default handler. */
  setHandler(handler: FakeHandler): void {
    this.#handler = handler;
  }

  /** The requests whose path contains/matches `match`. */
  calls(match: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => matches(match, r.path));
  }

  /** Stops the server (open keep-alive connections are closed). */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #answer(request: RecordedRequest): Promise<FakeResponse> {
    const i = this.#queue.findIndex((q) => matches(q.match, request.path));
    if (i >= 0) return this.#queue.splice(i, 1)[0]!.response;
    return this.#handler(request);
  }
}

/** The fake Bot Platform: `/bot<token>/<method>`. */
export interface FakeZaloBotApi {
  readonly server: FakeHttpServer;
  readonly url: string;
  /** Queues an update for the next getUpdates. */
  pushUpdate(update: unknown): void;
  /** Bodies of the sendMessage calls received, in order. */
  sentMessages(): { chat_id: string; text: string }[];
  /** The webhook URL getWebhookInfo reports (setWebhook / deleteWebhook change it; tests may too). */
  webhook: { url: string };
  close(): Promise<void>;
}

/**
 * Starts a fake Bot Platform accepting only `token`. sendMessage/sendPhoto/sendChatAction/
 * getMe answer `{ ok: true }`; setWebhook/deleteWebhook/getWebhookInfo keep and report the
 * webhook URL; getUpdates returns a queued update or,
 * after `pollWaitMs`, the platform's 408 "Request timeout". A wrong token gets 401.
 */
export async function startFakeZaloBotApi(token: string, options: { pollWaitMs?: number; webhookUrl?: string } = {}): Promise<FakeZaloBotApi> {
  const updates: unknown[] = [];
  let seq = 0;
  // Like a bot whose webhook was set in the dashboard, unless a test says otherwise.
  const webhook = { url: options.webhookUrl ?? 'https://bot.example.invalid/webhooks/zalo-bot' };
  const server = await FakeHttpServer.start(async (req) => {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path);
    if (!m) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
    if (m[1] !== token) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
    switch (m[2]) {
      case 'sendMessage':
      case 'sendPhoto':
        seq += 1;
        return { body: { ok: true, result: { message_id: `sent-${seq}`, date: Date.now() } } };
      case 'sendChatAction':
        return { body: { ok: true, result: true } };
      case 'setWebhook':
        webhook.url = String((req.body as { url?: unknown } | undefined)?.url ?? '');
        return { body: { ok: true, result: { url: webhook.url, updated_at: Date.now() } } };
      case 'deleteWebhook':
        webhook.url = '';
        return { body: { ok: true, result: { url: '', updated_at: Date.now() } } };
      case 'getWebhookInfo':
        return { body: { ok: true, result: { url: webhook.url, updated_at: Date.now() } } };
      case 'getMe':
        return { body: { ok: true, result: { id: 'bot-1', account_name: 'bot.test', display_name: 'Test bot' } } };
      case 'getUpdates': {
        if (updates.length > 0) return { body: { ok: true, result: updates.shift() } };
        return { delayMs: options.pollWaitMs ?? 20, body: { ok: false, error_code: 408, description: 'Request timeout' } };
      }
      default:
        return { status: 404, body: { ok: false, error_code: 404, description: 'Method not found' } };
    }
  });
  return {
    server,
    url: server.url,
    pushUpdate: (update) => void updates.push(update),
    sentMessages: () => server.calls(/\/sendMessage$/).map((r) => r.body as { chat_id: string; text: string }),
    webhook,
    close: () => server.close(),
  };
}

/** State of the fake OA API + OAuth server, readable and changeable by tests. */
export interface FakeZaloOaState {
  /** Access tokens the API accepts. */
  readonly validAccessTokens: Set<string>;
  /** The one refresh token the OAuth endpoint accepts now (it rotates on every use). */
  refreshToken: string;
  /** Successful refreshes so far. */
  refreshCount: number;
  /** Users who get -230 (no interaction for 7 days). */
  readonly inactiveUsers: Set<string>;
  /** Refuse every message with an attachment (button template) with this error code. */
  rejectTemplatesWith: number | null;
  /** Called on every successful refresh, before the answer is sent (tests inspect the store here). */
  onRefresh?: (accessToken: string, refreshToken: string) => void;
  /** Delay of the OAuth answer, ms (to overlap concurrent sends). */
  refreshDelayMs: number;
}

/** The fake OA API v3 and OAuth v4 on one server. */
export interface FakeZaloOaApi {
  readonly server: FakeHttpServer;
  readonly url: string;
  readonly state: FakeZaloOaState;
  /** Bodies of the /v3.0/oa/message/cs calls that succeeded, in order. */
  delivered(): { recipient: { user_id: string }; message: Record<string, unknown> }[];
  close(): Promise<void>;
}

/**
 * Starts a fake OA API (POST /v3.0/oa/message/cs, `access_token` header) and OAuth endpoint
 * (POST /v4/oa/access_token, form `app_id`, `grant_type=refresh_token`, `refresh_token`,
 * header `secret_key`). Refreshing with the current refresh token issues `at-<n>`/`rt-<n>`
 * and makes the old refresh token unusable; anything else gets Zalo-style errors.
 */
export async function startFakeZaloOaApi(options: {
  appId: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
}): Promise<FakeZaloOaApi> {
  const state: FakeZaloOaState = {
    validAccessTokens: new Set([options.accessToken]),
    refreshToken: options.refreshToken,
    refreshCount: 0,
    inactiveUsers: new Set(),
    rejectTemplatesWith: null,
    refreshDelayMs: 0,
  };
  const delivered: { recipient: { user_id: string }; message: Record<string, unknown> }[] = [];
  const server = await FakeHttpServer.start(async (req) => {
    if (req.path === '/v4/oa/access_token') {
      const form = req.body as Record<string, string>;
      if (req.headers['secret_key'] !== options.appSecret || form.app_id !== options.appId) {
        return { body: { error: -14002, error_name: 'Invalid app', error_description: 'app_id or secret_key invalid' } };
      }
      if (form.grant_type !== 'refresh_token' || form.refresh_token !== state.refreshToken) {
        return { body: { error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh token invalid or used' } };
      }
      state.refreshCount += 1;
      const access = `at-${state.refreshCount}`;
      const refresh = `rt-${state.refreshCount}`;
      state.refreshToken = refresh;
      state.validAccessTokens.add(access);
      state.onRefresh?.(access, refresh);
      return { delayMs: state.refreshDelayMs, body: { access_token: access, refresh_token: refresh, expires_in: '90000' } };
    }
    if (req.path === '/v3.0/oa/message/cs') {
      const token = req.headers['access_token'];
      if (typeof token !== 'string' || !state.validAccessTokens.has(token)) {
        return { body: { error: -216, message: 'Access token is invalid' } };
      }
      const body = req.body as { recipient: { user_id: string }; message: Record<string, unknown> };
      if (state.inactiveUsers.has(body.recipient.user_id)) {
        return { body: { error: -230, message: 'User has not interacted with the OA in the last 7 days' } };
      }
      if (state.rejectTemplatesWith !== null && body.message.attachment !== undefined) {
        return { body: { error: state.rejectTemplatesWith, message: 'Attachment is invalid' } };
      }
      delivered.push(body);
      return { body: { error: 0, message: 'Success', data: { message_id: `msg-${delivered.length}`, user_id: body.recipient.user_id } } };
    }
    return { status: 404, body: { error: -404, message: 'not found' } };
  });
  return { server, url: server.url, state, delivered: () => [...delivered], close: () => server.close() };
}

function matches(match: string | RegExp, path: string): boolean {
  return typeof match === 'string' ? path.includes(match) : match.test(path);
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
