/**
 * Realistic hand-off cases for the history's scale test and benchmark: 10,000 cases over the
 * last 25 days, on every channel, held by a handful of clerks, some labelled, each with the
 * context the citizen read, their question and a few lines with staff (and a private note).
 */
import { caseIdOf } from '../../src/core/handoff/cases.ts';
import type { CaseLine, CaseRecord, CaseStatus, ConversationHistory } from '../../src/core/ports.ts';
import type { ChannelName } from '../../src/core/types.ts';

const QUESTIONS = [
  'quên mật khẩu VNeID thì làm sao',
  'làm căn cước cho con dưới 14 tuổi ở đâu',
  'đóng học phí cho con không dùng tiền mặt',
  'đăng ký tạm trú cho sinh viên thuê trọ',
  'tra cứu hồ sơ đã nộp trên cổng dịch vụ công',
  'đổi bằng lái xe trực tuyến mất bao lâu',
  'kích hoạt định danh mức 2 không nhận được mã',
  'thẻ bảo hiểm y tế hết hạn chưa',
  'đăng ký khai sinh cho con liên thông',
  'phường cũ của tôi giờ là phường nào',
  'trả tiền điện bằng mã QR',
  'xác nhận tình trạng hôn nhân ở đâu',
];
const REPLIES = ['anh mang căn cước ra công an phường nhé', 'chị làm theo hướng dẫn trên ứng dụng', 'hồ sơ đang được xử lý', 'em gửi đường dẫn chính thức'];
const LABELS = ['VNeID', 'khiếu nại', 'học phí', 'tạm trú', 'căn cước'];
const STAFF = ['lan', 'hoa', 'minh', 'tuan', 'thao'];
const CHANNELS: ChannelName[] = ['telegram', 'zalo-bot', 'zalo-oa', 'web'];
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Thị Dung', undefined];

/** The `i`-th seeded case and its lines (deterministic). */
export function seededCase(i: number, nowMs: number): { record: CaseRecord; lines: CaseLine[] } {
  const startedAtMs = nowMs - 25 * 86_400_000 + Math.floor((i * 25 * 86_400_000) / 10_000) + (i % 7);
  const channel = CHANNELS[i % CHANNELS.length]!;
  const question = `${QUESTIONS[i % QUESTIONS.length]!} (số ${i})`;
  const clerk = STAFF[i % STAFF.length]!;
  const status: CaseStatus = i % 50 === 0 ? 'waiting' : i % 23 === 0 ? 'cancelled' : i % 10 === 0 ? 'active' : 'resolved';
  const name = NAMES[i % NAMES.length];
  const record: CaseRecord = {
    caseId: caseIdOf(`${channel}:${100_000 + i}`, startedAtMs),
    conversationId: `${channel}:${100_000 + i}`,
    channel,
    startedAtMs,
    status,
    reason: 'asked',
    title: question,
    lang: 'vi',
    staff: status === 'waiting' ? [] : [clerk],
    labels: i % 3 === 0 ? [LABELS[i % LABELS.length]!] : [],
    ...(name ? { displayName: name } : {}),
    ...(status === 'active' ? { owner: clerk } : {}),
    ...(status === 'resolved' ? { closedAtMs: startedAtMs + 600_000, closedBy: clerk } : {}),
  };
  const lines: CaseLine[] = [
    { atMs: startedAtMs - 60_000, role: 'citizen', text: question },
    { atMs: startedAtMs - 59_000, role: 'bot', text: '📌 Hướng dẫn: các bước làm thủ tục, giấy tờ cần mang, lệ phí và nơi nộp.' },
    { atMs: startedAtMs, role: 'citizen', text: 'cho tôi gặp cán bộ' },
    { atMs: startedAtMs + 60_000, role: 'staff', text: `👤 Cán bộ ${clerk}: ${REPLIES[i % REPLIES.length]!}`, by: clerk },
    { atMs: startedAtMs + 120_000, role: 'citizen', text: i % 2 === 0 ? 'cảm ơn cán bộ nhiều' : 'tôi đã làm được rồi' },
  ];
  if (i % 4 === 0) lines.push({ atMs: startedAtMs + 130_000, role: 'note', text: 'người dân gọi lại tổng đài sau', by: clerk });
  return { record, lines };
}

/** Opens `count` seeded cases, `concurrency` at a time. */
export async function seedHistory(history: ConversationHistory, count: number, nowMs: number, concurrency = 64): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const { record, lines } = seededCase(next++, nowMs);
      await history.open(record, lines);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
