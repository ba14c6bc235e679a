/**
 * The Redis keys of one conversation (without the client's prefix). Every one carries the hash
 * tag `{<conversation id>}`, so a Lua script may touch all of them on a cluster: the store's
 * (state, transcript, lock, seen markers) and the inbound queue's (queue, messages, lease, markers).
 */
import type { ConversationId } from '../../core/types.ts';

/**
 * Turns the inbound log starts with its offer (the conversation's lock taken in that step),
 * kept by the conversation store that runs them: `begin` hands out the lock token before the
 * offer is sent, and marks it live (the store never takes it over as a stale lock of its own)
 * until `end`.
 */
export interface TurnStarts {
  /** The lock's lifetime, ms. */
  readonly lockTtlMs: number;
  begin(id: ConversationId): string;
  end(id: ConversationId, token: string): void;
}

/** The conversation store's keys (redis-conversation-store.ts describes them). */
export function conversationKeys(id: ConversationId): { state: string; transcript: string; lock: string; seen: (messageKey: string) => string } {
  const base = `conv:{${id}}`;
  return { state: `${base}:state`, transcript: `${base}:transcript`, lock: `${base}:lock`, seen: (messageKey) => `${base}:seen:${messageKey}` };
}

/** The keys of one conversation's inbound queue (redis-inbound-log.ts describes them). */
export function inboundKeys(id: ConversationId): { queue: string; messages: string; lease: string; marker: (messageKey: string) => string } {
  const base = `conv:{${id}}`;
  return { queue: `${base}:inq`, messages: `${base}:inmsg`, lease: `${base}:lease`, marker: (k) => `${base}:in:${k}` };
}
