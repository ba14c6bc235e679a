/**
 * How a chat app plugs into the composition root: each channel folder exports a
 * `setup<App>(ctx)` returning a ChannelSetup, or null when its configuration is absent.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../config.ts';
import type { Channel, Clock, ConversationStore, InboundHandler, KeyValueStore, Logger } from '../core/ports.ts';
import type { ChannelName } from '../core/types.ts';
import type { WebhookWatch } from './webhook-watch.ts';

/** What every channel may use. */
export interface ChannelSetupContext {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  /** Where parsed messages go (the engine). */
  readonly inbound: InboundHandler;
  readonly store: ConversationStore;
  readonly kv: KeyValueStore;
  readonly clock: Clock;
  /** Fetch used by platform clients (injectable for tests); defaults to global fetch. */
  readonly fetch?: typeof fetch;
  /** Told of every retried platform API call, by channel (the metrics' send_retries_total). */
  readonly retried?: (channel: ChannelName) => void;
  /** Refused and accepted webhooks (counted, logged with a throttle); each channel makes its own without it. */
  readonly webhooks?: WebhookWatch;
  /** Told of every "too fast" or "quota used up" answer of a platform (the metrics' platform_limits_total). */
  readonly limited?: (channel: ChannelName, kind: 'rate-limit' | 'quota') => void;
}

/** Result of a channel's health check for /readyz. */
export interface ChannelHealth {
  readonly ok: boolean;
  readonly detail?: string;
}

/** A configured channel: its sender, its webhook route, and its lifecycle. */
export interface ChannelSetup {
  readonly channel: Channel;
  /** Fastify plugin serving the webhook route(s), registered by the HTTP app. */
  readonly webhook?: { readonly plugin: FastifyPluginAsync<never>; readonly options: object };
  /** Called after the server listens (setWebhook, start polling, …). */
  start?(): Promise<void>;
  /** Called on shutdown (stop polling, flush sends). */
  stop?(): Promise<void>;
  /** Readiness for /readyz (token valid, refresh not failing, …). */
  health?(): Promise<ChannelHealth>;
}
