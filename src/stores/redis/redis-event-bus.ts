/**
 * Live events across instances over Redis pub/sub. Publishing uses the shared client;
 * listening needs a connection of its own (a subscribed connection can do nothing else),
 * opened with `duplicate()` on the first subscribe.
 */
import type { RedisClient } from './redis-client-type.ts';
import { silentLogger, type EventBus, type LiveEvent, type Logger } from '../../core/ports.ts';
import { attachConnectionLogging, closeRedisClient } from './client.ts';
import { withTimeout } from './redis-call.ts';
import { duplicateClient, publisherOf } from './topology.ts';

/** Options of {@link RedisEventBus}. */
export interface RedisEventBusOptions {
  /** A client from `createRedisClient`; its key prefix is put before `channel`. */
  readonly redis: RedisClient;
  /** Channel name under the prefix. Default `events` (so `dvcbot:events`). */
  readonly channel?: string;
  /** How long `subscribe` waits for the subscriber connection, ms. Default 2 000. */
  readonly subscribeTimeoutMs?: number;
  readonly logger?: Logger;
}

/** A parsed pub/sub message, or null when it is not a live event. */
function parseEvent(message: string): LiveEvent | null {
  try {
    const value: unknown = JSON.parse(message);
    if (typeof value !== 'object' || value === null) return null;
    const e = value as Record<string, unknown>;
    if (e.type !== 'queue' && e.type !== 'message' && e.type !== 'status') return null;
    if (typeof e.conversationId !== 'string' || typeof e.atMs !== 'number') return null;
    return value as LiveEvent;
  } catch {
    return null;
  }
}

/**
 * {@link EventBus} on Redis pub/sub. `publish` never throws (a lost live event only delays a
 * console refresh): failures are logged. `subscribe` never throws either: when Redis is down
 * the subscription is made as soon as the subscriber connection is back.
 */
export class RedisEventBus implements EventBus {
  readonly #redis: RedisClient;
  readonly #channel: string;
  readonly #subscribeTimeoutMs: number;
  readonly #logger: Logger;
  readonly #listeners = new Set<(event: LiveEvent) => void>();
  #subscriber: RedisClient | undefined;

  constructor(options: RedisEventBusOptions) {
    this.#redis = options.redis;
    this.#channel = `${options.redis.options.keyPrefix ?? ''}${options.channel ?? 'events'}`;
    this.#subscribeTimeoutMs = options.subscribeTimeoutMs ?? 2_000;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'event-bus' });
  }

  /** The full pub/sub channel name (prefix included). */
  get channel(): string {
    return this.#channel;
  }

  async publish(event: LiveEvent): Promise<void> {
    try {
      await publisherOf(this.#redis).publish(this.#channel, JSON.stringify(event));
    } catch (err) {
      this.#logger.warn({ err, type: event.type }, 'live event not published');
    }
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>> {
    this.#listeners.add(listener);
    await this.#ensureSubscribed();
    return async () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      try {
        await this.#subscriber?.unsubscribe(this.#channel);
      } catch (err) {
        this.#logger.debug({ err }, 'unsubscribe failed (connection down)');
      }
    };
  }

  /** Closes the subscriber connection (the shared client is closed by its owner). */
  async close(): Promise<void> {
    this.#listeners.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await closeRedisClient(subscriber);
  }

  #connection(): RedisClient {
    if (this.#subscriber !== undefined) return this.#subscriber;
    const subscriber = duplicateClient(this.#redis, 'dvcbot-sub');
    attachConnectionLogging(subscriber, this.#logger, this.#channel);
    subscriber.on('ready', () => {
      if (this.#listeners.size > 0) void this.#trySubscribe(subscriber);
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.#channel) this.#deliver(message);
    });
    this.#subscriber = subscriber;
    return subscriber;
  }

  async #ensureSubscribed(): Promise<void> {
    const subscriber = this.#connection();
    if (subscriber.status !== 'ready') {
      const ready = new Promise<void>((resolve) => subscriber.once('ready', () => resolve()));
      try {
        await withTimeout(ready, this.#subscribeTimeoutMs, 'subscriber not ready');
      } catch {
        this.#logger.warn({ channel: this.#channel }, 'subscribed later: redis not reachable yet');
        return;
      }
    }
    await this.#trySubscribe(subscriber);
  }

  async #trySubscribe(subscriber: RedisClient): Promise<void> {
    try {
      // Subscribing twice to one channel is harmless: Redis keeps one subscription.
      await subscriber.subscribe(this.#channel);
    } catch (err) {
      this.#logger.warn({ err, channel: this.#channel }, 'subscribe failed; retried on reconnect');
    }
  }

  #deliver(message: string): void {
    const event = parseEvent(message);
    if (event === null) {
      this.#logger.warn({ channel: this.#channel }, 'malformed live event dropped');
      return;
    }
    for (const listener of [...this.#listeners]) {
      try {
        listener(structuredClone(event));
      } catch (err) {
        this.#logger.error({ err, type: event.type }, 'event listener failed');
      }
    }
  }
}
