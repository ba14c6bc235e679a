/**
 * A conversation named in a log line without its platform chat id: the channel and a short
 * hash (`telegram#5f0c1a9e`). The same conversation always gets the same reference, so an
 * operator can follow it across lines, but the chat id (a user id, sometimes a phone number's
 * digits) never reaches the logs.
 */
import type { ConversationId } from './types.ts';

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`, as 8 hex digits. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The masked reference of a conversation for log lines, e.g. `telegram#5f0c1a9e`. */
export function conversationRef(id: ConversationId | string): string {
  const i = id.indexOf(':');
  const channel = i > 0 ? id.slice(0, i) : 'unknown';
  return `${channel}#${fnv1a(id)}`;
}
