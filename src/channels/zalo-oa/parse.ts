/**
 * Turns a (verified) Zalo OA webhook event into an InboundMessage. Only what a citizen does
 * becomes a message: texts, media, follow and unfollow. Events the OA itself causes
 * (`oa_send_*`) and receipts (`user_received_message`, `user_seen_message`) are ignored.
 */
import { z } from 'zod';
import type { InboundKind, InboundMessage } from '../../core/types.ts';
import { decodeZaloOaOptionPayload } from './render.ts';

/** What parsing one event gave: a message, something we deliberately ignore, or garbage. */
export type ZaloOaParseResult =
  | { readonly status: 'message'; readonly message: InboundMessage }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'malformed'; readonly reason: string };

/** Citizen message events and the kind each becomes; all `user_send_*` not listed are media. */
export const ZALO_OA_MESSAGE_EVENTS: Readonly<Record<string, InboundKind>> = Object.freeze({
  user_send_text: 'text',
  user_send_image: 'media',
  user_send_sticker: 'media',
  user_send_gif: 'media',
  user_send_audio: 'media',
  user_send_video: 'media',
  user_send_file: 'media',
  user_send_link: 'media',
  user_send_location: 'media',
  user_send_business_card: 'media',
});

const Id = z.union([z.string().min(1), z.number()]).transform((v) => String(v));
const Timestamp = z.union([z.string().regex(/^\d+$/), z.number()]).transform((v) => Number(v));

const MessageEvent = z.object({
  event_name: z.string(),
  sender: z.object({ id: Id }),
  message: z.object({ msg_id: Id, text: z.string().optional() }).passthrough(),
  timestamp: Timestamp,
});

const FollowEvent = z.object({
  event_name: z.enum(['follow', 'unfollow']),
  follower: z.object({ id: Id }),
  timestamp: Timestamp,
});

/**
 * Parses one event body (already verified). A text that is an option button's hidden payload
 * (`#n:<index>:<menuSeq>`, see render.ts) becomes an option press of that menu.
 * InboundMessage.id is `${event_name}:${msg_id}` for
 * messages and `${event_name}:${follower}:${timestamp}` for follow/unfollow; chatId is the
 * citizen's OA-scoped user id. Never throws.
 */
export function parseZaloOaEvent(body: unknown): ZaloOaParseResult {
  const eventName = body !== null && typeof body === 'object' ? (body as { event_name?: unknown }).event_name : undefined;
  if (typeof eventName !== 'string' || eventName === '') return { status: 'malformed', reason: 'no event_name' };

  if (eventName === 'follow' || eventName === 'unfollow') {
    const parsed = FollowEvent.safeParse(body);
    if (!parsed.success) return { status: 'malformed', reason: `bad ${eventName} event` };
    const { follower, timestamp } = parsed.data;
    return {
      status: 'message',
      message: {
        id: `${eventName}:${follower.id}:${timestamp}`,
        channel: 'zalo-oa',
        chatId: follower.id,
        kind: eventName === 'follow' ? 'start' : 'blocked',
        sentAtMs: timestamp,
      },
    };
  }

  const kind = ZALO_OA_MESSAGE_EVENTS[eventName] ?? (eventName.startsWith('user_send_') ? 'media' : undefined);
  if (!kind) return { status: 'ignored', reason: `event ${eventName}` };
  const parsed = MessageEvent.safeParse(body);
  if (!parsed.success) return { status: 'malformed', reason: `bad ${eventName} event` };
  const { sender, message, timestamp } = parsed.data;
  if (kind === 'text' && (message.text === undefined || message.text.trim() === '')) {
    return { status: 'ignored', reason: 'empty text' };
  }
  const option = kind === 'text' ? decodeZaloOaOptionPayload(message.text ?? '') : null;
  if (option) {
    return {
      status: 'message',
      message: {
        id: `${eventName}:${message.msg_id}`,
        channel: 'zalo-oa',
        chatId: sender.id,
        kind: 'option',
        optionIndex: option.index,
        ...(option.menuSeq !== undefined ? { menuSeq: option.menuSeq } : {}),
        sentAtMs: timestamp,
      },
    };
  }
  return {
    status: 'message',
    message: {
      id: `${eventName}:${message.msg_id}`,
      channel: 'zalo-oa',
      chatId: sender.id,
      kind,
      ...(kind === 'text' ? { text: message.text } : {}),
      sentAtMs: timestamp,
    },
  };
}
