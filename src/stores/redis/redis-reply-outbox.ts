/**
 * The outbox of replies a chat app could not take, on Redis.
 *
 * Keys (after the client's prefix):
 * - `outbox:{outbox}:due`         ZSET conversation id → when its line is tried next (epoch ms)
 * - `conv:{<id>}:outbox`          LIST of JSON {m: the rendered message, at: queued at}, oldest
 *                                 first; expires `keepMs` after the last push (longer than the horizon)
 * - `conv:{<id>}:outbox-lease`    STRING token of the instance sending the line now, PX
 *
 * A push appends to the line, then indexes it (ZADD NX: an earlier schedule stays). The index
 * and the lines live on different slots; the orders of the steps keep a line from being left
 * unindexed: an emptied line leaves the index, and is indexed again at once if a push came
 * in between.
 */
import { randomUUID } from 'node:crypto';
import type { DueChat, OutboxItem, ReplyOutbox } from '../../core/ports.ts';
import { conversationIdOf, parseConversationId, type ChannelName, type RenderedMessage } from '../../core/types.ts';
import { LuaScript, pxOf, redisCall } from './redis-call.ts';
import type { RedisClient } from './redis-client-type.ts';

const DUE = 'outbox:{outbox}:due';
const lineKey = (id: string): string => `conv:{${id}}:outbox`;
const leaseKey = (id: string): string => `conv:{${id}}:outbox-lease`;

const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** Options of {@link RedisReplyOutbox}. */
export interface RedisReplyOutboxOptions {
  readonly redis: RedisClient;
  /** How long a line is kept after its last push, ms (longer than the horizon). Default 2 hours. */
  readonly keepMs?: number;
}

/** {@link ReplyOutbox} on Redis (see the file's comment). */
export class RedisReplyOutbox implements ReplyOutbox {
  readonly #redis: RedisClient;
  readonly #keepMs: number;
  readonly #me = randomUUID();

  constructor(options: RedisReplyOutboxOptions) {
    this.#redis = options.redis;
    this.#keepMs = options.keepMs ?? 2 * 3_600_000;
  }

  async push(channel: ChannelName, chatId: string, message: RenderedMessage, nowMs: number, retryAtMs: number): Promise<void> {
    const id = conversationIdOf(channel, chatId);
    const line = lineKey(id);
    await redisCall('outbox push', () => this.#redis.multi().rpush(line, JSON.stringify({ m: message, at: nowMs })).pexpire(line, pxOf(this.#keepMs)).exec());
    await redisCall('outbox push', () => this.#redis.zadd(DUE, 'NX', retryAtMs, id));
  }

  async has(channel: ChannelName, chatId: string): Promise<boolean> {
    return (await redisCall('outbox has', () => this.#redis.exists(lineKey(conversationIdOf(channel, chatId))))) === 1;
  }

  async chats(): Promise<number> {
    return redisCall('outbox chats', () => this.#redis.zcard(DUE));
  }

  async due(nowMs: number, limit: number, leaseMs: number): Promise<readonly DueChat[]> {
    const ids = await redisCall('outbox due', () => this.#redis.zrangebyscore(DUE, '-inf', nowMs, 'LIMIT', 0, limit));
    const out: DueChat[] = [];
    for (const id of ids) {
      const parsed = parseConversationId(id);
      if (parsed === null) {
        await redisCall('outbox due', () => this.#redis.zrem(DUE, id));
        continue;
      }
      const lease = `${this.#me}:${randomUUID()}`;
      const got = await redisCall('outbox lease', () => this.#redis.set(leaseKey(id), lease, 'PX', pxOf(leaseMs), 'NX'));
      if (got === 'OK') out.push({ channel: parsed.channel, chatId: parsed.chatId, lease });
    }
    return out;
  }

  async head(chat: DueChat): Promise<OutboxItem | null> {
    const id = conversationIdOf(chat.channel, chat.chatId);
    for (let round = 0; round < 2; round++) {
      const json = await redisCall('outbox head', () => this.#redis.lindex(lineKey(id), 0));
      if (json !== null) return parseItem(json) ?? (await this.#dropDamaged(chat));
      if (round > 0) break;
      // Empty: out of the index; a push that came in between indexes it again (checked once more).
      await redisCall('outbox head', () => this.#redis.zrem(DUE, id));
      if ((await redisCall('outbox head', () => this.#redis.llen(lineKey(id)))) === 0) return null;
      await redisCall('outbox head', () => this.#redis.zadd(DUE, 'NX', Date.now(), id));
    }
    return null;
  }

  async pop(chat: DueChat): Promise<void> {
    await redisCall('outbox pop', () => this.#redis.lpop(lineKey(conversationIdOf(chat.channel, chat.chatId))));
  }

  async later(chat: DueChat, retryAtMs: number): Promise<void> {
    await redisCall('outbox later', () => this.#redis.zadd(DUE, retryAtMs, conversationIdOf(chat.channel, chat.chatId)));
    await this.release(chat);
  }

  async release(chat: DueChat): Promise<void> {
    await RELEASE.run(this.#redis, 'outbox release', [leaseKey(conversationIdOf(chat.channel, chat.chatId))], [chat.lease]);
  }

  /** A line whose first item is unreadable (never expected): the item goes, the next is read. */
  async #dropDamaged(chat: DueChat): Promise<OutboxItem | null> {
    await this.pop(chat);
    return this.head(chat);
  }
}

/** Our own JSON back as an item; null when it is not one. */
function parseItem(json: string): OutboxItem | null {
  try {
    const v = JSON.parse(json) as { m?: Partial<RenderedMessage>; at?: unknown };
    if (!v.m || typeof v.m.text !== 'string' || !Array.isArray(v.m.buttons) || typeof v.at !== 'number') return null;
    return { message: v.m as RenderedMessage, queuedAtMs: v.at };
  } catch {
    return null;
  }
}
