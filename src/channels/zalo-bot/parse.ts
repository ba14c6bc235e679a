/**
 * Turns a Zalo Bot Platform update (webhook body or getUpdates result) into an InboundMessage.
 * Accepts the documented wrapped body `{ ok, result: { event_name, message } }` and the bare
 * `{ event_name, message }` some deployments send.
 */
import { z } from 'zod';
import { CHAT_ID_MAX, type InboundKind, type InboundMessage } from '../../core/types.ts';

/** What parsing one update gave: a message, something we deliberately ignore, or garbage. */
export type ZaloBotParseResult =
  | { readonly status: 'message'; readonly message: InboundMessage }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'malformed'; readonly reason: string };

/** Event names of the Bot Platform and the kind each becomes. Others are ignored. */
export const ZALO_BOT_EVENT_KINDS: Readonly<Record<string, InboundKind>> = Object.freeze({
  'message.text.received': 'text',
  'message.image.received': 'media',
  'message.sticker.received': 'media',
  // Sent for protected users: the platform withholds the content. Never ask them to resend.
  'message.unsupported.received': 'unsupported',
});

// Ids longer than CHAT_ID_MAX are no real Zalo ids; as conversation ids staff could never open them.
const Id = z.union([z.string().min(1).max(CHAT_ID_MAX), z.number()]).transform((v) => String(v));

const MessageSchema = z.object({
  from: z.object({ id: Id, is_bot: z.boolean().optional(), display_name: z.string().optional() }),
  chat: z.object({ id: Id }).optional(),
  message_id: Id,
  text: z.string().optional(),
  caption: z.string().optional(),
  date: z.number().optional(),
});

const EventSchema = z.object({
  event_name: z.string().min(1),
  message: MessageSchema,
});

/** Unwraps `{ ok, result }` when present; returns the event object (or what stands for it). */
export function unwrapZaloBotUpdate(body: unknown): unknown {
  if (body !== null && typeof body === 'object' && 'result' in body && !('event_name' in body)) {
    return (body as { result: unknown }).result;
  }
  return body;
}

/**
 * Parses one update. `nowMs` stands in for `sentAtMs` when the update has no `date`.
 * InboundMessage.id is `${event_name}:${message_id}` (the engine de-duplicates on it).
 * Never throws.
 */
export function parseZaloBotUpdate(body: unknown, nowMs: number): ZaloBotParseResult {
  if (body !== null && typeof body === 'object' && (body as { ok?: unknown }).ok === false) {
    return { status: 'ignored', reason: 'ok:false body' };
  }
  const parsed = EventSchema.safeParse(unwrapZaloBotUpdate(body));
  if (!parsed.success) return { status: 'malformed', reason: 'not a Zalo Bot event' };
  const { event_name: eventName, message } = parsed.data;
  const kind = ZALO_BOT_EVENT_KINDS[eventName];
  if (!kind) return { status: 'ignored', reason: `event ${eventName}` };
  if (message.from.is_bot) return { status: 'ignored', reason: 'sent by a bot' };
  const text = kind === 'text' ? message.text : message.caption;
  if (kind === 'text' && (text === undefined || text.trim() === '')) {
    return { status: 'ignored', reason: 'empty text' };
  }
  const inbound: InboundMessage = {
    id: `${eventName}:${message.message_id}`,
    channel: 'zalo-bot',
    chatId: message.chat?.id ?? message.from.id,
    kind,
    ...(text !== undefined && kind !== 'unsupported' ? { text } : {}),
    sentAtMs: message.date !== undefined && Number.isFinite(message.date) ? message.date : nowMs,
    ...(message.from.display_name?.trim() ? { displayName: message.from.display_name.normalize('NFC').trim().slice(0, 80) } : {}),
  };
  return { status: 'message', message: inbound };
}
