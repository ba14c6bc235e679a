/**
 * Reading what the inbound log's scripts answer: stream entries and queue heads as
 * {@link LoggedInbound}. Shared by the log and the conversation store (whose final save of a
 * queued turn also hands out the queue's next message).
 */
import type { LoggedInbound } from '../../core/ports.ts';
import type { InboundMessage } from '../../core/types.ts';

/** Stream entries as XREADGROUP / XAUTOCLAIM give them: [id, [field, value, …]]. */
export type RawEntry = [string, string[]] | null;

/** The value of `name` in a stream entry's [field, value, …]. */
export function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** XREADGROUP's reply ([[stream, entries]] or null) as its entries. */
export function streamEntriesOf(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const first = reply[0] as [string, RawEntry[]] | undefined;
  return Array.isArray(first?.[1]) ? first[1] : [];
}

/** A head reply {kind, key, json, before, entry id} (from `at`) as a logged message. */
export function headOf(reply: readonly unknown[], at = 0): LoggedInbound | null {
  const json = reply[at + 2];
  return parseLogged(String(reply[at + 4] ?? ''), typeof json === 'string' ? json : undefined, Number(reply[at + 3] ?? 0));
}

/** Our own JSON back as a logged message; null when it is not one. */
export function parseLogged(entryId: string, json: string | undefined, attempt: number): LoggedInbound | null {
  if (json === undefined || entryId === '') return null;
  try {
    const v = JSON.parse(json) as { m?: Partial<InboundMessage>; o?: unknown };
    const m = v.m;
    if (!m || typeof m.id !== 'string' || typeof m.channel !== 'string' || typeof m.chatId !== 'string' || typeof m.kind !== 'string' || typeof v.o !== 'number') return null;
    return { entryId, message: m as InboundMessage, order: v.o, attempt };
  } catch {
    return null;
  }
}
