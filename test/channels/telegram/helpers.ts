/** Shared helpers for the Telegram channel tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../../src/config.ts';
import type { ChannelSetupContext } from '../../../src/channels/setup-types.ts';
import { silentLogger, systemClock, type InboundHandler } from '../../../src/core/ports.ts';
import type { InboundMessage } from '../../../src/core/types.ts';
import { MemoryKeyValueStore } from '../../../src/stores/memory/memory-key-value-store.ts';
import { MemoryConversationStore } from '../../../src/stores/memory/memory-conversation-store.ts';

/** The bot token tests use (the fake server checks it). */
export const TEST_TOKEN = '123456789:TEST-token_abcdefghijklmnopqrstuvwxyz';
/** The webhook secret tests use. */
export const TEST_SECRET = 'test-secret_0123456789';

const FIXTURES = join(import.meta.dirname, '../../fixtures/telegram');

/** Names of every Telegram fixture (without .json). */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

/** A fixture, parsed. */
export function fixture(name: string): Record<string, unknown> & { update_id: number } {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown> & { update_id: number };
}

/** Records every message handed to the engine. */
export class RecordingInbound implements InboundHandler {
  readonly received: InboundMessage[] = [];
  /** How many handleInbound calls have finished (including the reply work of `then`). */
  finished = 0;
  constructor(private readonly then?: (msg: InboundMessage) => Promise<void>) {}
  async handleInbound(message: InboundMessage): Promise<void> {
    this.received.push(message);
    try {
      await this.then?.(message);
    } finally {
      this.finished++;
    }
  }
}

/** A config with the Telegram variables set (webhook mode, no PUBLIC_URL) plus overrides. */
export function testConfig(apiRoot: string, env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_STAFF_CHAT_ID: '-1002233445566',
    ...env,
  });
}

/** A channel setup context over memory stores. */
export function testContext(config: Readonly<Config>, inbound: InboundHandler): ChannelSetupContext {
  return {
    config,
    logger: silentLogger,
    inbound,
    store: new MemoryConversationStore(),
    kv: new MemoryKeyValueStore(),
    clock: systemClock,
  };
}

export { eventually } from '../../support/eventually.ts';
