/**
 * Helpers of the production-readiness tests: a real server (createServer) with captured logs,
 * a fake Telegram Bot API on loopback, Telegram update builders, and small waiting helpers.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.ts';
import type { EngineObserver } from '../../src/core/engine.ts';
import type { Clock } from '../../src/core/ports.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createServer, type Server } from '../../src/server.ts';
import { FakeTelegramServer, type FakeTelegramCall } from '../support/fake-telegram.ts';
import { NO_LAG_SHEDDING, NO_WEB_BUDGETS } from '../support/test-server.ts';
import { CONTENT_DIR, realSnapshot } from '../support/test-content.ts';

/** Bot token of these tests (the fake Bot API checks it). */
export const TG_TOKEN = '987654321:PROD-test_token_abcdefghijklmnopqrstu';
/** Webhook secret of these tests. */
export const TG_SECRET = 'prod-secret_0123456789';
/** Zalo Bot Platform token and webhook secret of these tests. */
export const ZB_TOKEN = '1122334455:zalo-bot-test-token';
export const ZB_SECRET = 'zalo-bot-secret-0123456789';
/** Zalo OA app id and secret key of these tests. */
export const OA_APP_ID = '4143956170218612345';
export const OA_SECRET_KEY = 'test-oa-secret-key-do-not-use';

/** A started server, its fake Bot API and every log line it wrote (JSON strings). */
export interface ProdServer {
  readonly server: Server;
  readonly telegram: FakeTelegramServer;
  readonly logs: string[];
  /** Base URL when started with `listen`, else ''. */
  readonly url: string;
  /** The Redis key prefix of this server (unique per server unless given in env). */
  readonly keyPrefix: string;
  /** POSTs a Telegram update to the webhook through inject(). */
  postUpdate(update: unknown, secret?: string | null): Promise<{ statusCode: number; body: string }>;
  /** Texts sent by the bot to `chatId`, in the order the fake received them. */
  repliesTo(chatId: number): string[];
  /** Stops the server (gracefully) and the fake. Safe to call twice. */
  close(): Promise<void>;
}

/** Options of {@link startProdServer}. */
export interface ProdServerOptions {
  /** Extra environment (REDIS_URL, RATE_LIMIT_PER_MINUTE…). */
  readonly env?: Record<string, string | undefined>;
  /** Share one fake Bot API between servers (two-instance tests). */
  readonly telegram?: FakeTelegramServer;
  /** Listen on a loopback port (default: inject() only). */
  readonly listen?: boolean;
  readonly observers?: readonly EngineObserver[];
  readonly logLevel?: string;
  /** The server's clock (default: the system clock). */
  readonly clock?: Clock;
}

/** Starts a server with Telegram in webhook mode against a fake Bot API (created unless given). */
export async function startProdServer(options: ProdServerOptions = {}): Promise<ProdServer> {
  const telegram = options.telegram ?? (await FakeTelegramServer.start({ token: TG_TOKEN }));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const keyPrefix = options.env?.REDIS_KEY_PREFIX ?? `prod:${randomUUID()}:`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CONTENT_DIR,
    CONTENT_WATCH: 'false',
    REDIS_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: options.logLevel ?? 'info',
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_MODE: 'webhook',
    ...NO_WEB_BUDGETS,
    ...NO_LAG_SHEDDING,
    ...options.env,
  });
  const server = await createServer(config, {
    logger: createLogger(config.LOG_LEVEL, sink),
    ...(options.observers ? { observers: options.observers } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const url = options.listen ? await server.start() : '';
  if (!options.listen) await server.app.ready();
  let closed = false;
  return {
    server,
    telegram,
    logs,
    url,
    keyPrefix,
    async postUpdate(update, secret = TG_SECRET) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/webhooks/telegram',
        headers: { 'content-type': 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        payload: JSON.stringify(update),
      });
      return { statusCode: res.statusCode, body: res.body };
    },
    repliesTo(chatId) {
      return sentTo(telegram.callsTo('sendMessage'), chatId);
    },
    async close() {
      if (closed) return;
      closed = true;
      await server.stop();
      if (!options.telegram) await telegram.close();
    },
  };
}

/** Texts of sendMessage calls to `chatId`. */
export function sentTo(calls: readonly FakeTelegramCall[], chatId: number): string[] {
  return calls.filter((c) => String(c.body.chat_id) === String(chatId)).map((c) => String(c.body.text ?? ''));
}

let nextUpdateId = 700_000_000 + Math.floor(Math.random() * 100_000_000);

/** A fresh update id (unique within the test run, and across runs with high probability). */
export function freshUpdateId(): number {
  nextUpdateId += 1;
  return nextUpdateId;
}

/** A Telegram text message from a private chat, real-shaped. */
export function textUpdate(chatId: number, text: string, updateId = freshUpdateId()): Record<string, unknown> & { update_id: number } {
  const from = { id: chatId, is_bot: false, first_name: 'Lan', last_name: 'Nguyễn', language_code: 'vi' };
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 1_000_000,
      from,
      chat: { id: chatId, first_name: 'Lan', last_name: 'Nguyễn', type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
}

export { eventually } from '../support/eventually.ts';

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A Vietnamese message of the repository's content, e.g. `no_state` (throws when missing). */
export async function viMessage(key: string): Promise<string> {
  const text = (await realSnapshot()).content.messages.vi[key];
  if (typeof text !== 'string') throw new Error(`content has no message ${key}`);
  return text;
}
