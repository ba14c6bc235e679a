/**
 * The behaviour every ConversationHistory must show (memory and Redis alike): cases and their
 * lines, changes, labels, search by words (folded) and filters, pages, retention, cap, erase.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { caseIdOf } from '../../src/core/handoff/cases.ts';
import type { CaseLine, CaseRecord, Clock, ConversationHistory } from '../../src/core/ports.ts';
import type { ConversationId } from '../../src/core/types.ts';
import { ManualClock, type Fresh } from './contract-support.ts';

/** What a fresh history is built with. */
export interface HistoryOptions {
  readonly clock: Clock;
  readonly retentionMs?: number;
  readonly maxCases?: number;
  readonly maxLines?: number;
}

const HOUR = 3_600_000;

/** A case of `conversationId` started `agoMs` before `now`. */
export function sampleCase(conversationId: ConversationId, startedAtMs: number, extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: caseIdOf(conversationId, startedAtMs),
    conversationId,
    channel: conversationId.split(':')[0] as CaseRecord['channel'],
    startedAtMs,
    status: 'waiting',
    reason: 'asked',
    title: 'làm căn cước cho con',
    lang: 'vi',
    staff: [],
    labels: [],
    ...extra,
  };
}

const line = (atMs: number, role: CaseLine['role'], text: string, by?: string): CaseLine => ({ atMs, role, text, ...(by ? { by } : {}) });

/** Runs the contract against `makeFresh` (an empty history each time, on the given clock). */
export function describeConversationHistoryContract(name: string, makeFresh: (options: HistoryOptions) => Promise<Fresh<ConversationHistory>>): void {
  describe(`ConversationHistory contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    const clock = new ManualClock(Date.now());
    const now = clock.nowMs();
    async function fresh(options: Partial<HistoryOptions> = {}): Promise<ConversationHistory> {
      const f = await makeFresh({ clock, ...options });
      cleanups.push(() => f.cleanup());
      return f.impl;
    }

    it('opens a case with its lines and finds it by id and as the latest of its conversation', async () => {
      const h = await fresh();
      const older = sampleCase('telegram:1', now - 2 * HOUR, { displayName: 'Nguyễn Văn Bình', guideId: 'id-card-issue' });
      const newer = sampleCase('telegram:1', now - HOUR);
      await h.open(older, [line(now - 2 * HOUR, 'bot', '📌 Cấp thẻ căn cước'), line(now - 2 * HOUR, 'citizen', 'gặp cán bộ')]);
      await h.open(newer, []);
      expect(await h.get(older.caseId)).toEqual({ record: older, lines: [line(now - 2 * HOUR, 'bot', '📌 Cấp thẻ căn cước'), line(now - 2 * HOUR, 'citizen', 'gặp cán bộ')] });
      expect(await h.latest('telegram:1')).toEqual(newer);
      expect(await h.latest('telegram:2')).toBeNull();
      expect(await h.get('zz-none')).toBeNull();
    });

    it('records lines (kept up to the cap) and changes; unknown cases are left alone', async () => {
      const h = await fresh({ maxLines: 3 });
      const c = sampleCase('web:a', now);
      await h.open(c, [line(now, 'citizen', 'một')]);
      await h.record(c.caseId, [line(now + 1, 'citizen', 'hai'), line(now + 2, 'note', 'ghi chú riêng', 'lan')], { status: 'active', owner: 'lan', addStaff: 'lan', lastCitizenAtMs: now + 1 });
      await h.record(c.caseId, [line(now + 3, 'staff', 'chào anh', 'lan')], { addStaff: 'lan', lastStaffAtMs: now + 3 });
      await h.record(c.caseId, [], { status: 'resolved', owner: null, closedAtMs: now + 4, closedBy: 'lan' });
      const got = await h.get(c.caseId);
      expect(got?.lines.map((l) => l.text)).toEqual(['hai', 'ghi chú riêng', 'chào anh']);
      expect(got?.lines[1]).toEqual(line(now + 2, 'note', 'ghi chú riêng', 'lan'));
      expect(got?.record).toEqual({ ...c, status: 'resolved', staff: ['lan'], lastCitizenAtMs: now + 1, lastStaffAtMs: now + 3, closedAtMs: now + 4, closedBy: 'lan' });
      await h.record('zz-none', [line(now, 'citizen', 'x')], { status: 'active' });
      expect(await h.get('zz-none')).toBeNull();
    });

    it('finds cases by every word of the text (without diacritics too), status, channel, staff and date', async () => {
      const h = await fresh();
      const a = sampleCase('telegram:1', now - 3 * HOUR, { title: 'quên mật khẩu VNeID' });
      const b = sampleCase('zalo-bot:2', now - 2 * HOUR, { title: 'đóng học phí', displayName: 'Trần Văn Bình' });
      const c = sampleCase('web:3', now - HOUR);
      for (const x of [a, b, c]) await h.open(x, []);
      await h.record(c.caseId, [line(now, 'citizen', 'Tôi bị khóa tài khoản VNeID rồi'), line(now, 'bot', 'hướng dẫn đổi số điện thoại')]);
      await h.record(b.caseId, [], { status: 'active', owner: 'hoa', addStaff: 'hoa' });
      const ids = async (q: Parameters<ConversationHistory['search']>[0]) => (await h.search(q)).items.map((r) => r.caseId);
      expect(await ids({ text: 'vneid', limit: 10 })).toEqual([c.caseId, a.caseId]);
      expect(await ids({ text: 'khoa tai khoan', limit: 10 })).toEqual([c.caseId]);
      expect(await ids({ text: 'khóa VNeID mật', limit: 10 })).toEqual([]);
      expect(await ids({ text: 'điện thoại', limit: 10 })).toEqual([]); // the bot's lines are not searched
      expect(await ids({ text: 'binh', limit: 10 })).toEqual([b.caseId]);
      expect(await ids({ text: 'khoá', limit: 10 })).toEqual([c.caseId]); // the tone mark placed either way
      expect(await ids({ text: 'khoa', limit: 10 })).toEqual([c.caseId]);
      expect(await ids({ text: 'khòa', limit: 10 })).toEqual([]); // another tone: another word
      expect(await ids({ status: 'active', limit: 10 })).toEqual([b.caseId]);
      expect(await ids({ status: 'waiting', limit: 10 })).toEqual([c.caseId, a.caseId]);
      expect(await ids({ staff: 'hoa', limit: 10 })).toEqual([b.caseId]);
      expect(await ids({ channel: 'telegram', limit: 10 })).toEqual([a.caseId]);
      expect(await ids({ fromMs: now - 2 * HOUR, toMs: now - HOUR, limit: 10 })).toEqual([b.caseId]);
      expect(await h.search({ limit: 10 })).toMatchObject({ total: 3 });
      expect((await h.search({ limit: 10 })).next).toBeUndefined();
    });

    it('never indexes personal numbers', async () => {
      const h = await fresh();
      const c = sampleCase('web:pii', now);
      await h.open(c, [line(now, 'citizen', 'số căn cước của tôi là 012345678901, sđt 0912 345 678')]);
      expect((await h.search({ text: '012345678901', limit: 5 })).items).toEqual([]);
      expect((await h.search({ text: '0912', limit: 5 })).items).toEqual([]);
      expect((await h.search({ text: 'căn cước', limit: 5 })).items).toHaveLength(1);
    });

    it('pages newest first, each case once, also across equal start times', async () => {
      const h = await fresh();
      const all: CaseRecord[] = [];
      for (let i = 0; i < 23; i++) all.push(sampleCase(`web:p${i}`, now - HOUR + Math.floor(i / 4) * 1_000));
      for (const c of all) await h.open(c, [line(c.startedAtMs, 'citizen', 'hỏi về bảo hiểm y tế')]);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await h.search({ text: 'bảo hiểm', limit: 5, ...(cursor ? { cursor } : {}) });
        expect(page.total).toBe(23);
        seen.push(...page.items.map((r) => r.caseId));
        cursor = page.next;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(5);
      const expected = [...all].sort((x, y) => y.startedAtMs - x.startedAtMs || Buffer.compare(Buffer.from(y.caseId), Buffer.from(x.caseId)));
      expect(seen).toEqual(expected.map((c) => c.caseId));
    });

    it('replaces labels, finds cases by label (folded) and suggests the labels used last', async () => {
      const h = await fresh();
      const a = sampleCase('web:l1', now - 2 * HOUR);
      const b = sampleCase('web:l2', now - HOUR);
      await h.open(a, []);
      await h.open(b, []);
      expect(await h.setLabels(a.caseId, ['VNeID', 'Khiếu nại'])).toMatchObject({ caseId: a.caseId, labels: ['VNeID', 'Khiếu nại'] });
      clock.advance(1_000);
      await h.setLabels(b.caseId, ['khiếu nại']);
      clock.advance(1_000);
      await h.setLabels(a.caseId, ['VNeID']);
      const ids = async (label: string) => (await h.search({ label, limit: 10 })).items.map((r) => r.caseId);
      expect(await ids('khieu nai')).toEqual([b.caseId]);
      expect(await ids('vneid')).toEqual([a.caseId]);
      expect((await h.get(a.caseId))?.record.labels).toEqual(['VNeID']);
      expect((await h.knownLabels(10)).slice(0, 1)).toEqual(['VNeID']);
      expect(await h.knownLabels(10)).toEqual(expect.arrayContaining(['VNeID', 'khiếu nại', 'Khiếu nại']));
      expect(await h.setLabels('zz-none', ['x'])).toBeNull();
    });

    it('forgets cases past the retention and keeps at most the cap', async () => {
      const h = await fresh({ retentionMs: 10 * HOUR, maxCases: 3 });
      const old = sampleCase('web:old', now - 11 * HOUR);
      await h.open(old, []);
      expect(await h.get(old.caseId)).toBeNull();
      const cases = [1, 2, 3, 4].map((i) => sampleCase(`web:c${i}`, now - (5 - i) * HOUR));
      for (const c of cases) await h.open(c, []);
      const page = await h.search({ limit: 10 });
      expect(page.items.map((r) => r.caseId)).toEqual([cases[3]!, cases[2]!, cases[1]!].map((c) => c.caseId));
      expect(page.total).toBe(3);
      expect(await h.get(cases[0]!.caseId)).toBeNull();
    });

    it('erases every case of a conversation, and only those', async () => {
      const h = await fresh();
      const a1 = sampleCase('telegram:9', now - 2 * HOUR);
      const a2 = sampleCase('telegram:9', now - HOUR);
      const b = sampleCase('telegram:10', now - HOUR);
      for (const c of [a1, a2, b]) await h.open(c, [line(c.startedAtMs, 'citizen', 'đăng ký tạm trú')]);
      await h.setLabels(a2.caseId, ['tạm trú']);
      expect(await h.eraseConversation('telegram:9')).toBe(2);
      expect(await h.get(a1.caseId)).toBeNull();
      expect(await h.latest('telegram:9')).toBeNull();
      expect((await h.search({ text: 'tạm trú', limit: 10 })).items.map((r) => r.caseId)).toEqual([b.caseId]);
      expect((await h.search({ label: 'tạm trú', limit: 10 })).items).toEqual([]);
      expect(await h.eraseConversation('telegram:9')).toBe(0);
    });
  });
}
