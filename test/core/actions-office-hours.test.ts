import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type Action } from '../../src/core/dialogue/actions.ts';
import { formatLocalMoment, isOfficeOpen, nextOpeningMs } from '../../src/core/office-hours.ts';
import { foldText, fillMessage } from '../../src/core/text.ts';
import { maskPii, revealsSecrets } from '../../src/core/privacy.ts';
import { OfficeHoursFileSchema } from '../../src/core/guide.ts';

describe('actions', () => {
  const all: Action[] = [
    { type: 'menu' },
    { type: 'category', categoryId: 'vneid' },
    { type: 'guide', guideId: 'id-card-issue' },
    { type: 'guide', guideId: 'id-card-issue', aspect: 'time' },
    { type: 'step', guideId: 'id-card-issue', step: 3 },
    { type: 'all', guideId: 'id-card-issue' },
    { type: 'info', guideId: 'id-card-issue' },
    { type: 'feedback', guideId: 'id-card-issue', helpful: false },
    { type: 'handoff' },
    { type: 'handoff-answer', yes: true },
    { type: 'erase-answer', yes: false },
    { type: 'cancel' },
    { type: 'rate', score: 4 },
    { type: 'help' },
    { type: 'clarify-none' },
  ];
  it('round-trips every action, and stays short', () => {
    for (const a of all) {
      expect(decodeAction(encodeAction(a))).toEqual(a);
      expect(encodeAction(a).length).toBeLessThanOrEqual(50);
    }
  });
  it('ignores an unknown part on a guide button (opens the guide)', () => {
    expect(decodeAction('g:x:everything')).toEqual({ type: 'guide', guideId: 'x' });
  });
  it('rejects tampered strings', () => {
    for (const s of ['', 'st:x:0', 'st:x:abc', 'rate:9', 'fb:x:maybe', 'nope', 'ho:perhaps']) expect(decodeAction(s)).toBeNull();
  });
});

describe('office hours (Asia/Ho_Chi_Minh)', () => {
  const file = OfficeHoursFileSchema.parse({
    time_zone: 'Asia/Ho_Chi_Minh',
    hours: { mon: ['07:00-11:30', '13:00-17:00'], sat: ['07:00-11:30'] },
    holidays: [{ date: '2026-11-30', name: 'Ngày nghỉ thử' }],
  });
  const at = (local: string) => Date.parse(`${local}+07:00`);
  it('open inside the ranges, closed outside, on unlisted days and on holidays', () => {
    expect(isOfficeOpen(file, at('2026-11-28T08:00:00'))).toBe(true); // Saturday morning
    expect(isOfficeOpen(file, at('2026-11-28T12:00:00'))).toBe(false);
    expect(isOfficeOpen(file, at('2026-11-29T09:00:00'))).toBe(false); // Sunday
    expect(isOfficeOpen(file, at('2026-11-30T09:00:00'))).toBe(false); // holiday Monday
    expect(isOfficeOpen(file, at('2026-12-07T13:00:00'))).toBe(true);
  });
  it('says when staff are back, skipping holidays', () => {
    const next = nextOpeningMs(file, at('2026-11-28T21:30:00'))!;
    expect(next).toBe(at('2026-12-05T07:00:00')); // Sun closed, Mon holiday, next Saturday
    expect(formatLocalMoment(next, 'Asia/Ho_Chi_Minh', 'vi')).toBe('07:00 Thứ Bảy, 05/12');
    expect(nextOpeningMs(file, at('2026-12-07T12:00:00'))).toBe(at('2026-12-07T13:00:00'));
  });
});

describe('text helpers', () => {
  it('folds Vietnamese for command matching (đ → d, no tones, punctuation dropped)', () => {
    expect(foldText('  Xóa DỮ LIỆU của tôi!! ')).toBe('xoa du lieu cua toi');
    expect(foldText('Đăng ký')).toBe('dang ky');
  });
  it('fills placeholders and leaves unknown ones', () => {
    expect(fillMessage({ a: 'Bước {k}/{n} {x}' }, 'a', { k: 1, n: 3 })).toBe('Bước 1/3 {x}');
  });
  it('masks personal numbers and emails', () => {
    expect(maskPii('cccd 079123456789, cmnd 123456789, sđt 0912 345 678, stk 19035555123401, a.b@gmail.com, phí 200.000 đ, năm 2025')).toBe(
      'cccd [cccd], cmnd [cmnd], sđt [sđt], stk [số], [email], phí 200.000 đ, năm 2025',
    );
  });
});

describe('secrets a citizen gives away in a chat', () => {
  const reveals = (t: string) => revealsSecrets(t, foldText(t));
  it('sees full ID numbers, card numbers, and OTP codes, passwords or account numbers with their value', () => {
    for (const t of ['số cccd của tôi là 092123456789', 'cccd 0921 2345 6789', 'cmnd 123456789 còn dùng được không', 'ma otp la 123456', 'mật khẩu: abc123', 'stk 0123456789 vietcombank', 'thẻ 4111 1111 1111 1111']) {
      expect(reveals(t), t).toBe(true);
    }
  });
  it('leaves questions about them, phone numbers, amounts, years and dossier codes alone', () => {
    for (const t of ['nhập sai mật khẩu 5 lần bị khóa', 'mã otp 6 số gửi về đâu', 'quên passcode 6 số', 'gọi tôi số 0912345678', 'hồ sơ mã 000.00.12.H13-250101-0001', 'mã hồ sơ G22.123-241129-0001', 'lệ phí 30.000 đồng', 'sinh năm 1960', 'pin điện thoại hết']) {
      expect(reveals(t), t).toBe(false);
    }
  });
});
