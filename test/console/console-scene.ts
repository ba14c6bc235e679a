/**
 * A morning at the ward office for the console's phone test and screenshots: a server whose
 * clock says Tuesday 09:40 in Cần Thơ (office hours), citizens on every channel who asked for a
 * person 1 to 40 minutes ago (the waits blue, amber and red), one conversation held by each
 * clerk (with a private note and labels), and a few past ones in the history.
 */
import type { InboundMessage } from '../../src/core/types.ts';
import type { Server } from '../../src/server.ts';
import { addStaff, testServer } from './helpers.ts';

/** Tuesday 2026-12-08, 09:40 in Asia/Ho_Chi_Minh. */
export const SCENE_NOW_MS = Date.parse('2026-12-08T09:40:00+07:00');
const MIN = 60_000;

/** The composed server (memory stores), its clock set to `SCENE_NOW_MS` once the scene is built. */
export interface Scene {
  readonly server: Server;
  /** Moves the server's clock. */
  setNow(ms: number): void;
}

/** Builds the scene (accounts lan "Lan" and hoa "Hoa", password PASSWORD). */
export async function morningScene(): Promise<Scene> {
  let now = SCENE_NOW_MS - 3 * 86_400_000;
  const server = await testServer({}, { nowMs: () => now });
  const setNow = (ms: number) => {
    now = ms;
  };
  await addStaff(server, 'lan', 'staff', 'Lan');
  await addStaff(server, 'hoa', 'staff', 'Hoa');
  let seq = 0;
  const say = async (channel: InboundMessage['channel'], chatId: string, text: string, displayName?: string) => {
    now += 1_000;
    await server.engine.handleInbound({ id: `scene-${++seq}`, channel, chatId, kind: 'text', text, sentAtMs: now, ...(displayName ? { displayName } : {}) });
  };
  const lan = { username: 'lan', displayName: 'Lan' };
  const hoa = { username: 'hoa', displayName: 'Hoa' };

  // Past conversations, resolved and labelled (the history).
  setNow(SCENE_NOW_MS - 2 * 86_400_000);
  await say('telegram', '7001', 'đăng ký tạm trú cho sinh viên thuê trọ', 'Võ Minh Khoa');
  await say('telegram', '7001', 'gặp cán bộ', 'Võ Minh Khoa');
  await server.desk.claim('telegram:7001', lan);
  await server.desk.reply('telegram:7001', lan, 'Em đăng ký trên VNeID, mục Thủ tục hành chính, chọn Đăng ký tạm trú nhé.');
  await server.desk.setLabels('telegram:7001', lan, ['tạm trú']);
  await server.desk.resolve('telegram:7001', lan);

  // Held by Lan since 09:05 (a Zalo OA citizen: no name given), with a note and labels.
  setNow(SCENE_NOW_MS - 40 * MIN);
  await say('zalo-oa', '8801', 'kích hoạt định danh mức 2 không nhận được mã OTP');
  await say('zalo-oa', '8801', 'cho tôi gặp cán bộ');
  setNow(SCENE_NOW_MS - 35 * MIN);
  await server.desk.claim('zalo-oa:8801', lan);
  await server.desk.reply('zalo-oa:8801', lan, 'Chào anh, anh kiểm tra giúp em số điện thoại đăng ký có còn dùng không ạ?');
  await say('zalo-oa', '8801', 'Số cũ tôi không dùng nữa, giờ làm sao?');
  await server.desk.note('zalo-oa:8801', lan, 'Cần đổi số điện thoại trước — hướng dẫn ra công an phường');
  await server.desk.setLabels('zalo-oa:8801', lan, ['VNeID']);

  // Held by Hoa.
  setNow(SCENE_NOW_MS - 30 * MIN);
  await say('telegram', '7002', 'xác nhận tình trạng hôn nhân ở đâu', 'Phạm Thị Dung');
  await say('telegram', '7002', 'gặp cán bộ', 'Phạm Thị Dung');
  await server.desk.claim('telegram:7002', hoa);

  // Waiting: red (26 min), amber (9 min), fine (1 min).
  setNow(SCENE_NOW_MS - 26 * MIN);
  await say('zalo-bot', '9901', 'đóng học phí cho con không dùng tiền mặt', 'Trần Văn Bình');
  await say('zalo-bot', '9901', 'cho tôi gặp nhân viên', 'Trần Văn Bình');
  await say('zalo-bot', '9901', 'Trường của con tôi chưa có mã QR, tôi phải làm sao ạ? Tôi đã hỏi cô giáo nhưng chưa được trả lời.', 'Trần Văn Bình');
  setNow(SCENE_NOW_MS - 9 * MIN);
  await say('telegram', '7003', 'quên mật khẩu VNeID thì làm sao', 'Lan Nguyễn');
  await say('telegram', '7003', 'gặp cán bộ', 'Lan Nguyễn');
  setNow(SCENE_NOW_MS - 1 * MIN);
  await say('web', 'scene-web-1', 'làm căn cước cho con dưới 14 tuổi ở đâu');
  await say('web', 'scene-web-1', 'gặp cán bộ');
  setNow(SCENE_NOW_MS);
  return { server, setNow };
}
