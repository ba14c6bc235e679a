/**
 * Small test doubles shared by the Zalo channel tests: a Map key-value store, a recording
 * inbound handler, a capturing logger, a fixed clock and a setup context builder.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config.ts';
import type { Clock, ConversationStore, InboundHandler, KeyValueStore, Logger } from '../../../src/core/ports.ts';
import type { InboundMessage } from '../../../src/core/types.ts';
import type { ChannelSetupContext } from '../../../src/channels/setup-types.ts';

/** Reads a fixture under test/fixtures as a Buffer (exact bytes). */
export function fixtureBytes(relative: string): Buffer {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/${relative}`, import.meta.url)));
}

/** Reads and parses a JSON fixture under test/fixtures. */
export function fixtureJson<T = unknown>(relative: string): T {
  return JSON.parse(fixtureBytes(relative).toString('utf8')) as T;
}

/** A KeyValueStore over a Map, with expiry on the given clock. `ops` logs writes in order. */
export class MapKv implements KeyValueStore {
  readonly data = new Map<string, { value: string; expiresAtMs: number | null }>();
  readonly ops: string[] = [];
  constructor(private readonly clock: Clock = { nowMs: () => Date.now() }) {}

  async get(key: string): Promise<string | null> {
    return this.#read(key);
  }
  /** Synchronous read, so setIfAbsent is atomic like Redis SET NX. */
  #read(key: string): string | null {
    const entry = this.data.get(key);
    if (!entry) return null;
    if (entry.expiresAtMs !== null && entry.expiresAtMs <= this.clock.nowMs()) {
      this.data.delete(key);
      return null;
    }
    return entry.value;
  }
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.ops.push(`set ${key}`);
    this.data.set(key, { value, expiresAtMs: ttlMs ? this.clock.nowMs() + ttlMs : null });
  }
  async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
    if (this.#read(key) !== null) return false;
    this.ops.push(`setIfAbsent ${key}`);
    this.data.set(key, { value, expiresAtMs: this.clock.nowMs() + ttlMs });
    return true;
  }
  async delete(key: string): Promise<void> {
    this.ops.push(`delete ${key}`);
    this.data.delete(key);
  }
}

/** An InboundHandler that records what it gets. */
export function recordingInbound(): InboundHandler & { readonly messages: InboundMessage[] } {
  const messages: InboundMessage[] = [];
  return {
    messages,
    async handleInbound(message) {
      messages.push(message);
    },
  };
}

/** One captured log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg?: string;
}

/** A Logger that keeps every line (children share the list). */
export function capturingLogger(): Logger & { readonly lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const make = (): Logger => ({
    debug: (obj, msg) => void lines.push({ level: 'debug', obj, ...(msg ? { msg } : {}) }),
    info: (obj, msg) => void lines.push({ level: 'info', obj, ...(msg ? { msg } : {}) }),
    warn: (obj, msg) => void lines.push({ level: 'warn', obj, ...(msg ? { msg } : {}) }),
    error: (obj, msg) => void lines.push({ level: 'error', obj, ...(msg ? { msg } : {}) }),
    child: () => make(),
  });
  return Object.assign(make(), {
    lines,
    text: () => lines.map((l) => `${l.level} ${l.msg ?? ''} ${safeStringify(l.obj)}`).join('\n'),
  });
}

/** A clock that stays where tests put it. */
export function fixedClock(nowMs: number): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = nowMs;
  return { nowMs: () => now, set: (ms) => void (now = ms), advance: (ms) => void (now += ms) };
}

/** A setup context from an environment (config parsed by the real loadConfig). */
export function setupContext(
  env: Record<string, string>,
  parts: { inbound: InboundHandler; kv?: KeyValueStore; clock?: Clock; logger?: Logger; fetch?: typeof fetch },
): ChannelSetupContext {
  return {
    config: loadConfig({ NODE_ENV: 'test', ...env }),
    logger: parts.logger ?? capturingLogger(),
    inbound: parts.inbound,
    store: {} as ConversationStore, // the Zalo channels do not use the conversation store
    kv: parts.kv ?? new MapKv(),
    clock: parts.clock ?? { nowMs: () => Date.now() },
    ...(parts.fetch ? { fetch: parts.fetch } : {}),
  };
}

/** Fast retries for tests. */
export const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } as const;

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (v instanceof Error ? { name: v.name, message: v.message } : v));
  } catch {
    return String(value);
  }
}
