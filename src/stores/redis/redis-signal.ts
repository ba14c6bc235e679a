/**
 * A plain pub/sub signal across instances (one channel, string messages), for what is not a
 * live event of a conversation: e.g. "content reloaded". Publishing uses the shared client;
 * listening, a connection of its own opened on the first subscribe and re-subscribed after
 * every reconnection. Never throws: a lost signal only delays what it would have started.
 */
import { silentLogger, type Logger } from '../../core/ports.ts';
import { attachConnectionLogging, closeRedisClient } from './client.ts';
import type { RedisClient } from './redis-client-type.ts';
import { duplicateClient, publisherOf } from './topology.ts';

/** Something every instance hears: publish a string, subscribe to them. */
export interface Signal {
  publish(message: string): Promise<void>;
  /** Resolves an unsubscribe function. */
  subscribe(listener: (message: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** {@link Signal} on Redis pub/sub, channel `<prefix><name>`. */
export class RedisSignal implements Signal {
  readonly #redis: RedisClient;
  readonly #channel: string;
  readonly #logger: Logger;
  readonly #listeners = new Set<(message: string) => void>();
  #subscriber: RedisClient | undefined;

  constructor(options: { readonly redis: RedisClient; readonly name: string; readonly logger?: Logger }) {
    this.#redis = options.redis;
    this.#channel = `${options.redis.options.keyPrefix ?? ''}${options.name}`;
    this.#logger = (options.logger ?? silentLogger).child({ component: 'signal' });
  }

  async publish(message: string): Promise<void> {
    try {
      await publisherOf(this.#redis).publish(this.#channel, message);
    } catch (err) {
      this.#logger.warn({ err: (err as Error).message }, 'signal not published');
    }
  }

  async subscribe(listener: (message: string) => void): Promise<() => Promise<void>> {
    this.#listeners.add(listener);
    if (this.#subscriber === undefined) {
      const sub = duplicateClient(this.#redis, 'dvcbot-signal');
      this.#subscriber = sub;
      attachConnectionLogging(sub, this.#logger, this.#channel);
      const join = (): void => void sub.subscribe(this.#channel).catch(() => undefined);
      sub.on('ready', join);
      sub.on('message', (channel: string, message: string) => {
        if (channel !== this.#channel) return;
        for (const l of [...this.#listeners]) l(message);
      });
      if (sub.status === 'ready') join();
    }
    return async () => {
      this.#listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    const sub = this.#subscriber;
    this.#subscriber = undefined;
    if (sub !== undefined) await closeRedisClient(sub);
  }
}
