/**
 * What the bot writes in the Telegram staff group: topic names, the hand-off summary, copied
 * citizen lines and short notes. Staff-facing only, so these are Vietnamese constants here (the
 * console is Vietnamese too), not citizen messages in content/messages. Every dynamic part is
 * HTML-escaped; citizens' words never go into a topic name.
 */
import { createHash } from 'node:crypto';
import type { DeskConversation } from '../../core/handoff/desk.ts';
import type { ChannelName, ConversationId, TranscriptEntry } from '../../core/types.ts';
import { escapeHtml } from './render.ts';

/** Longest forum topic name (Bot API createForumTopic: 1-128 characters, counted in UTF-16 units like every Telegram limit). */
export const TELEGRAM_TOPIC_NAME_LIMIT = 128;
/** Transcript lines shown in a topic's summary (the newest). */
export const SUMMARY_TRANSCRIPT_LINES = 10;
/** Longest transcript line in a summary, UTF-16 units (guides can be long; 10 lines stay under TELEGRAM_TEXT_LIMIT). */
const SUMMARY_LINE_MAX = 300;
/** Longest copied message, UTF-16 units: leaves room for the label under TELEGRAM_TEXT_LIMIT (4096 units). */
export const COPY_TEXT_MAX = 3800;

const CHANNEL_LABELS: Record<ChannelName, string> = {
  telegram: 'Telegram',
  'zalo-bot': 'Zalo Bot',
  'zalo-oa': 'Zalo OA',
  web: 'Web chat',
  cli: 'CLI',
};

/** Same labels as the console's queue. */
const REASON_LABELS: Record<string, string> = {
  asked: 'Tự yêu cầu',
  fallbacks: 'Bot không trả lời được',
  feedback: 'Đánh giá 👎',
  scam: '⚠️ Bị lừa / mất tiền',
};

/** Commands staff can type in a topic (the first of each list is the one shown). */
export const STAFF_COMMANDS = {
  done: ['/done', '/xong'],
  release: ['/release', '/tralai'],
  help: ['/help', '/trogiup'],
} as const;

const ROLE_ICONS: Record<TranscriptEntry['role'], string> = { citizen: '🙋', bot: '🤖', staff: '👤', system: 'ℹ️', note: '📝' };

/** A short, stable, non-identifying code for a conversation (6 hex digits of a SHA-256). */
export function shortCode(id: ConversationId): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 6).toUpperCase();
}

/** The label of a channel as staff see it. */
export function channelLabel(channel: ChannelName): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

/** The label of a hand-off reason as staff see it. */
export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason;
}

/** `"<channel> · #<code> · <reason>"`, at most {@link TELEGRAM_TOPIC_NAME_LIMIT} characters. */
export function topicName(id: ConversationId, channel: ChannelName, reason: string): string {
  const name = `${channelLabel(channel)} · #${shortCode(id)} · ${reasonLabel(reason)}`;
  return clip(name, TELEGRAM_TOPIC_NAME_LIMIT);
}

/**
 * Cuts `text` to at most `max` UTF-16 code units, the unit Telegram counts its limits in (an
 * emoji is two), with an ellipsis when cut; never splits a surrogate pair.
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1); // room for the ellipsis (one unit)
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate would lose its pair
  return `${text.slice(0, end)}…`;
}

function transcriptLine(e: TranscriptEntry): string {
  const who = e.role === 'staff' && e.by ? ` ${escapeHtml(e.by)}:` : '';
  return `${ROLE_ICONS[e.role]}${who} ${escapeHtml(clip(e.text.replace(/\s+/g, ' ').trim(), SUMMARY_LINE_MAX))}`;
}

/** The first message of a topic: who, why, what the bot was doing, the last lines, how to answer. */
export function summaryHtml(id: ConversationId, c: DeskConversation, recreated: boolean): string {
  const t = c.ticket;
  const lines = [
    recreated ? `<b>♻️ Chủ đề được tạo lại</b> (chủ đề cũ đã bị xóa) · #${shortCode(id)}` : `<b>🆕 Yêu cầu gặp cán bộ</b> · #${shortCode(id)}`,
    `Kênh: ${escapeHtml(channelLabel(t?.channel ?? (id.split(':')[0] as ChannelName)))}`,
  ];
  if (t) lines.push(`Lý do: ${escapeHtml(reasonLabel(t.reason))}`);
  if (t?.guideTitle) lines.push(`Hướng dẫn đang xem: ${escapeHtml(t.guideTitle)}`);
  lines.push(`Ngôn ngữ: ${c.lang === 'en' ? 'Tiếng Anh' : 'Tiếng Việt'}`);
  if (t) lines.push(t.status === 'active' ? `Trạng thái: đang xử lý (${escapeHtml(t.owner ?? '?')})` : 'Trạng thái: đang chờ');
  if (c.unreachable) lines.push('⚠️ Lần gửi gần nhất tới người dân không thành công.');
  const recent = c.transcript.slice(-SUMMARY_TRANSCRIPT_LINES);
  if (recent.length > 0) lines.push('', '<b>Tin nhắn gần đây</b>', ...recent.map(transcriptLine));
  lines.push('', helpHtml());
  return lines.join('\n');
}

/** How to work in a topic. */
export function helpHtml(): string {
  return (
    'Trả lời ngay trong chủ đề này để nhắn cho người dân (tin đầu tiên tự nhận xử lý). ' +
    `${STAFF_COMMANDS.done[0]} hoặc ${STAFF_COMMANDS.done[1]}: kết thúc · ` +
    `${STAFF_COMMANDS.release[0]}: trả lại hàng chờ.`
  );
}

/** A citizen's line copied into the topic. */
export function citizenHtml(text: string): string {
  return `🙋 ${escapeHtml(clip(text, COPY_TEXT_MAX))}`;
}

/** What staff sent from the console (already prefixed with their name), copied so the topic stays a full record. */
export function consoleReplyHtml(text: string): string {
  return `🖥 <i>Bàn cán bộ</i> · ${escapeHtml(clip(text, COPY_TEXT_MAX))}`;
}

/** Short notes posted in a topic. Arguments are escaped here. */
export const notes = {
  claimed: (owner: string) => `✅ ${escapeHtml(owner)} đã nhận xử lý.`,
  backInQueue: () => '↩️ Đã trả lại hàng chờ. Trả lời trong chủ đề này để nhận xử lý.',
  waiting: () => 'Cuộc trò chuyện đang ở hàng chờ, chưa ai nhận xử lý.',
  closed: () => '🏁 Đã kết thúc (cán bộ hoàn tất hoặc người dân hủy yêu cầu). Chủ đề đã đóng.',
  erased: () => '🗑 Người dân đã xóa dữ liệu của cuộc trò chuyện.',
  ended: () => 'Cuộc trò chuyện của chủ đề này đã kết thúc; tin nhắn không được gửi.',
  ownedByOther: (owner: string) => `⛔ ${escapeHtml(owner)} đang xử lý cuộc trò chuyện này; tin nhắn của bạn chưa được gửi.`,
  notOwner: () => '⛔ Bạn không phải người đang xử lý cuộc trò chuyện này.',
  textOnly: () => 'Chỉ chuyển được tin nhắn chữ cho người dân.',
  edited: () => 'Tin đã sửa không được gửi lại cho người dân; hãy gửi tin mới.',
  tooLong: (max: number) => `Tin nhắn quá dài (tối đa ${max} ký tự); chưa được gửi.`,
  unreachable: () => '⚠️ Không gửi được tới người dân (họ đã chặn hoặc bỏ theo dõi).',
  failed: () => '⚠️ Không thực hiện được, hãy thử lại hoặc dùng bàn cán bộ.',
  help: () => helpHtml(),
};
