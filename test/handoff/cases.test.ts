// The pure rules of the hand-off history: case ids, the words a case is found by (never a
// personal number), labels, the case title, when a resolved case may be reopened, the
// office-hours wait, and the canned replies' text.
import { describe, expect, it } from 'vitest';
import { OfficeHoursFileSchema } from '../../src/core/guide.ts';
import { CASE_REOPEN_WINDOW_MS, canReopen, caseIdOf, caseTitle, isCaseId, labelKey, queryTokens, searchTokens, tidyLabels } from '../../src/core/handoff/cases.ts';
import { officeMsBetween } from '../../src/core/office-hours.ts';
import type { CaseRecord } from '../../src/core/ports.ts';
import { cannedReplyText } from '../../src/core/replies.ts';

const MIN = 60_000;
const at = (local: string) => Date.parse(`${local}+07:00`);

describe('case ids and words', () => {
  it('makes short, URL-safe ids that differ by conversation and start', () => {
    const a = caseIdOf('telegram:5512345678', 1_764_205_230_000);
    expect(isCaseId(a)).toBe(true);
    expect(a).not.toBe(caseIdOf('telegram:5512345679', 1_764_205_230_000));
    expect(a).not.toBe(caseIdOf('telegram:5512345678', 1_764_205_230_001));
    for (const bad of ['', '../x', 'a-b-c', 'A-B', 'x'.repeat(30)]) expect(isCaseId(bad)).toBe(false);
  });

  it('indexes words folded and as written, never personal numbers', () => {
    expect(searchTokens('Tôi QUÊN mật khẩu VNeID, số 012345678901!')).toEqual(['toi', 'tôi', 'quen', 'quên', 'mat', 'mât5', 'khau', 'khâu3', 'vneid', 'so', 'sô1', 'cccd']);
    expect(searchTokens('gọi 0912 345 678 hoặc email lan@example.com')).toEqual(['goi', 'goi5', 'sdt', 'sđt', 'hoac', 'hoăc5', 'email']);
    expect(queryTokens('mật khẩu a')).toEqual(['mât5', 'khâu3']); // typed with diacritics: matched with them
    expect(queryTokens('khoá')).toEqual(queryTokens('khóa')); // wherever the tone mark sits
    expect(queryTokens('căn')).not.toEqual(queryTokens('cán'));
    expect(queryTokens('Mat KHAU')).toEqual(['mat', 'khau']); // without: folded, finds both
    expect(queryTokens('012345678901')).toBeNull(); // finds nothing rather than everything
    expect(queryTokens('   ')).toEqual([]);
  });

  it('tidies labels: trimmed, one per folded spelling, bounded', () => {
    expect(tidyLabels([' VNeID ', 'khiếu   nại', 'Khieu nai', 'vneid'])).toEqual(['VNeID', 'khiếu nại']);
    expect(labelKey('Khiếu nại')).toBe('khieu-nai');
    expect(tidyLabels([''])).toBeNull();
    expect(tidyLabels(['x'.repeat(31)])).toBeNull();
    expect(tidyLabels(['!!!'])).toBeNull();
    expect(tidyLabels(Array.from({ length: 9 }, (_, i) => `nhãn ${i}`))).toBeNull();
  });
});

describe('case title', () => {
  const isQuestion = (t: string) => !/gặp cán bộ|xin chào/.test(t);
  const line = (text: string, role: 'citizen' | 'bot' = 'citizen') => ({ atMs: 1, role, text });
  it('is the first real question, masked and cut', () => {
    expect(caseTitle([line('xin chào'), line('[2]'), line('Làm căn cước 012345678901 ở đâu?'), line('cho tôi gặp cán bộ')], isQuestion)).toBe('Làm căn cước [cccd] ở đâu?');
    expect(caseTitle([line('xin chào'), line('cho tôi gặp cán bộ')], isQuestion)).toBe('cho tôi gặp cán bộ');
    expect(caseTitle([line('Bot nói', 'bot')], isQuestion)).toBe('');
    const long = caseTitle([line(`hỏi ${'rất '.repeat(40)}dài`)], isQuestion);
    expect([...long]).toHaveLength(90);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('reopening', () => {
  const base: CaseRecord = { caseId: 'a-b', conversationId: 'web:x', channel: 'web', startedAtMs: 0, status: 'resolved', reason: 'asked', title: '', lang: 'vi', staff: ['lan'], labels: [], closedAtMs: 1_000_000 };
  it('needs the citizen to have written after the resolution, within a day, and not long ago', () => {
    expect(canReopen(base, 2_000_000)).toBe(false); // nothing written since
    expect(canReopen({ ...base, lastCitizenAtMs: 999_999 }, 2_000_000)).toBe(false); // written before
    expect(canReopen({ ...base, lastCitizenAtMs: 1_500_000 }, 2_000_000)).toBe(true);
    expect(canReopen({ ...base, lastCitizenAtMs: 1_000_000 + CASE_REOPEN_WINDOW_MS + 1 }, 1_000_000 + CASE_REOPEN_WINDOW_MS + 2)).toBe(false);
    expect(canReopen({ ...base, lastCitizenAtMs: 1_500_000 }, 1_500_000 + CASE_REOPEN_WINDOW_MS + 1)).toBe(false);
    expect(canReopen({ ...base, status: 'active', lastCitizenAtMs: 1_500_000 }, 2_000_000)).toBe(false);
  });
});

describe('office-hours wait', () => {
  const file = OfficeHoursFileSchema.parse({
    time_zone: 'Asia/Ho_Chi_Minh',
    hours: { mon: ['07:00-11:30', '13:00-17:00'], tue: ['07:00-11:30', '13:00-17:00'], sat: ['07:00-11:30'] },
    holidays: [{ date: '2026-12-01', name: 'Ngày nghỉ thử' }],
  });
  it('counts only the minutes the office is open', () => {
    expect(officeMsBetween(file, at('2026-11-30T08:00:00'), at('2026-11-30T08:20:00'))).toBe(20 * MIN);
    expect(officeMsBetween(file, at('2026-11-30T11:20:00'), at('2026-11-30T13:10:00'))).toBe(20 * MIN); // lunch not counted
    expect(officeMsBetween(file, at('2026-11-28T22:00:00'), at('2026-11-30T07:05:00'))).toBe(5 * MIN); // Saturday night → Monday
    expect(officeMsBetween(file, at('2026-11-30T16:55:00'), at('2026-12-02T09:00:00'))).toBe(5 * MIN); // Tuesday is a holiday
    expect(officeMsBetween(file, at('2026-11-30T09:00:00'), at('2026-11-30T08:00:00'))).toBe(0);
  });
});

describe('canned reply text', () => {
  const reply = { id: 'x', title: 'X', text: { vi: 'Xem: {link}', en: 'See it' } };
  it('puts the link at {link}, or on a line of its own', () => {
    expect(cannedReplyText(reply, 'vi', 'https://a.gov.vn')).toBe('Xem: https://a.gov.vn');
    expect(cannedReplyText(reply, 'en', 'https://a.gov.vn')).toBe('See it\nhttps://a.gov.vn');
    expect(cannedReplyText(reply, 'vi', undefined)).toBe('Xem:');
  });
});
