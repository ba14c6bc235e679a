// A scripted week of conversations across channels, driven through the real engine and staff
// desk with a hand-moved clock, then the editors' report computed from what was recorded.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../src/core/content.ts';
import type { AnalyticsEvent } from '../../src/core/ports.ts';
import { reportGuidesOf } from '../../src/reports/format.ts';
import { storedQuery } from '../../src/reports/recorder.ts';
import { buildReport, type EditorReport } from '../../src/reports/report.ts';
import { realSnapshot } from '../support/test-content.ts';
import { convId, createBench, type Bench } from './harness.ts';

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
/** Monday 2026-11-16 00:00 in Cần Thơ: the week is [WEEK_START, WEEK_START + 7 days). */
const WEEK_START = Date.parse('2026-11-16T00:00:00+07:00');
/** When the report is made (days since review count to it). */
const NOW_MS = Date.parse('2027-03-01T09:00:00+07:00');
const at = (day: number, hhmm: string) => WEEK_START + day * DAY_MS + Date.parse(`1970-01-01T${hhmm}:00Z`);

// Chat ids shaped like real platform ids: none may reach the analytics.
const CHATS = { a: '5512345601', b: 'web-3f9c2a1b7d6e4f80', c: '7788990011', d: '5512345602', e: 'web-a1b2c3d4e5f60718', f: '5512345603', g: 'web-0badc0ffee123456', h: '7788990012', x: '5512345604' };
const Q = {
  greeting: 'xin chào',
  thanks: 'cảm ơn',
  child: 'làm căn cước cho con',
  marriage: 'đăng ký kết hôn',
  vague: 'bảo hiểm',
  cat: 'con mèo bay lên trời',
  passportWhere: 'Làm hộ chiếu ở đâu?',
  passport: 'làm hộ chiếu',
  withPhone: 'gọi 0912345678 giúp tôi làm hộ chiếu',
  human: 'tôi muốn gặp người thật',
};

let snapshot: ContentSnapshot;
let bench: Bench;
let events: AnalyticsEvent[];
let report: EditorReport;
const search = (q: string) => snapshot.index.search(q);
const norm = (q: string) => storedQuery(search(q).normalized);

async function staffHelps(channel: 'web' | 'telegram', chatId: string, waitMs: number, stars: number): Promise<void> {
  bench.nowMs += waitMs;
  await bench.desk.claim(convId(channel, chatId), 'lan');
  bench.nowMs += 3 * MIN_MS;
  await bench.desk.resolve(convId(channel, chatId), 'lan');
  await bench.press(channel, chatId, `${'⭐'.repeat(stars)} ${stars}`);
}

async function answerThenFeedback(channel: 'telegram', chatId: string, q: string, helpful: boolean): Promise<void> {
  expect((await bench.say(channel, chatId, q)).join('\n')).not.toBe('');
  await bench.press(channel, chatId, 'Xem tất cả các bước');
  await bench.press(channel, chatId, helpful ? '👍' : '👎');
}

beforeAll(async () => {
  snapshot = await realSnapshot();
  // Preconditions on the live search, so a ranking change fails here, not in the sums.
  expect([search(Q.child).decision, search(Q.child).guides[0]?.id]).toEqual(['answer', 'id-card-child']);
  expect([search(Q.marriage).decision, search(Q.marriage).guides[0]?.id]).toEqual(['answer', 'marriage-registration']);
  expect(search(Q.vague).decision).toBe('clarify');
  for (const q of [Q.cat, Q.passportWhere, Q.passport, Q.withPhone]) expect(search(q).decision, q).toBe('fallback');
  for (const q of [Q.greeting, Q.thanks]) expect(search(q).decision, q).toBe('greeting');
  expect(search(Q.human).decision).toBe('handoff');

  bench = await createBench(snapshot, at(-1, '20:00'));
  // The day before the week: not counted.
  await bench.say('telegram', CHATS.x, Q.cat);

  // Monday
  bench.nowMs = at(0, '09:00');
  await bench.say('telegram', CHATS.a, Q.greeting);
  await answerThenFeedback('telegram', CHATS.a, Q.child, true);
  bench.nowMs = at(0, '10:00');
  await bench.say('web', CHATS.b, Q.cat);
  await bench.say('web', CHATS.b, Q.passportWhere); // second fallback: offers a person
  await bench.press('web', CHATS.b, 'Có, gặp cán bộ');
  await staffHelps('web', CHATS.b, 5 * MIN_MS, 4);

  // Tuesday
  bench.nowMs = at(1, '14:00');
  await bench.say('zalo-bot', CHATS.c, Q.vague);
  await bench.say('zalo-bot', CHATS.c, Q.passport);
  bench.nowMs = at(1, '15:00');
  await answerThenFeedback('telegram', CHATS.d, Q.child, false);
  await bench.press('telegram', CHATS.d, 'Có, gặp cán bộ');
  await staffHelps('telegram', CHATS.d, 2 * MIN_MS, 5);

  // Thursday
  bench.nowMs = at(3, '08:30');
  await bench.say('web', CHATS.e, Q.withPhone);
  await bench.say('web', CHATS.e, Q.human);
  await staffHelps('web', CHATS.e, 10 * MIN_MS, 2);
  bench.nowMs = at(3, '16:00');
  await answerThenFeedback('telegram', CHATS.f, Q.marriage, true);

  // Sunday
  bench.nowMs = at(6, '21:00');
  await bench.say('web', CHATS.g, Q.cat);
  await bench.say('zalo-bot', CHATS.h, Q.thanks);

  // The Monday after: not counted.
  bench.nowMs = at(7, '00:00');
  await bench.say('web', CHATS.g, Q.cat);

  await bench.recorder.flush();
  events = await bench.analytics.range(0, Number.MAX_SAFE_INTEGER);
  report = buildReport(events, { sinceMs: WEEK_START, untilMs: WEEK_START + 7 * DAY_MS, nowMs: NOW_MS, guides: reportGuidesOf(snapshot.content) });
});

describe('editors report over a scripted week', () => {
  it('records every question, feedback, hand-off, claim and rating (and nothing else)', () => {
    const count = (kind: AnalyticsEvent['kind']) => events.filter((e) => e.kind === kind).length;
    expect(count('question')).toBe(14);
    expect(count('feedback')).toBe(3);
    expect(count('handoff')).toBe(3);
    expect(count('claimed')).toBe(3);
    expect(count('rating')).toBe(3);
  });

  it('stores queries normalised and masked, and no chat or user id anywhere', () => {
    const stored = JSON.stringify(events);
    for (const id of Object.values(CHATS)) expect(stored).not.toContain(id);
    expect(stored).not.toMatch(/0912|345678/);
    const q = events.find((e) => e.kind === 'question' && e.query === norm(Q.withPhone));
    expect(q).toMatchObject({ decision: 'fallback', notCovered: true });
    expect(events.find((e) => e.kind === 'question' && e.query === norm(Q.cat))).not.toHaveProperty('notCovered');
    expect(storedQuery('goi 0912 345 678 lam ho chieu')).toBe('goi [sđt] lam ho chieu');
    expect(storedQuery('cccd 079123456789 mat')).toBe('cccd [cccd] mat');
  });

  it('counts the totals exactly', () => {
    expect(report.totals).toEqual({
      messages: 12,
      questions: 10,
      answered: 3,
      clarified: 1,
      unanswered: 5,
      handoffs: 3,
      answeredShare: 0.3,
      handoffShare: 0.3,
      claims: 3,
      medianWaitMs: 5 * MIN_MS,
      ratings: 3,
      ratingAvg: 3.67,
      thumbsUp: 2,
      thumbsDown: 1,
    });
  });

  it('groups unanswered questions by normalised form, with the nearest guide, most frequent first', () => {
    const nearest = (q: string) => search(q).guides[0]?.id ?? null;
    const title = (id: string | null) => (id ? (snapshot.content.guides.get(id)?.title ?? null) : null);
    const rows = report.unanswered.map((u) => ({ kind: u.kind, query: u.query, count: u.count, guideId: u.guideId, guideTitle: u.guideTitle }));
    expect(rows[0]).toEqual({ kind: 'fallback', query: norm(Q.cat), count: 2, guideId: nearest(Q.cat), guideTitle: title(nearest(Q.cat)) });
    expect(rows.slice(1)).toEqual(
      expect.arrayContaining([
        // Passports are a listed gap (not-covered in intents.yaml): demand for a guide, no "nearest" one.
        { kind: 'not-covered', query: norm(Q.passportWhere), count: 1, guideId: null, guideTitle: null },
        { kind: 'not-covered', query: norm(Q.passport), count: 1, guideId: null, guideTitle: null },
        { kind: 'not-covered', query: norm(Q.withPhone), count: 1, guideId: null, guideTitle: null },
        // The 👎 on the child ID card guide, shown with the question that led there.
        { kind: 'thumbs-down', query: norm(Q.child), count: 1, guideId: 'id-card-child', guideTitle: title('id-card-child') },
      ]),
    );
    expect(rows).toHaveLength(5);
  });

  it('counts per guide: shown, offered, 👍/👎 and hand-offs after it; stale guides first', () => {
    const row = (id: string) => report.guides.find((g) => g.id === id)!;
    expect(row('id-card-child')).toMatchObject({ shown: 2, offered: 0, thumbsUp: 1, thumbsDown: 1, handoffs: 1, removed: false });
    expect(row('marriage-registration')).toMatchObject({ shown: 1, thumbsUp: 1, thumbsDown: 0, handoffs: 0 });
    for (const id of search(Q.vague).guides.slice(0, 3).map((g) => g.id)) {
      expect(row(id).offered, id).toBe(1);
    }
    const g = snapshot.content.guides.get('id-card-child')!;
    expect(row('id-card-child').daysSinceReview).toBe(Math.floor((NOW_MS - Date.parse(`${g.reviewed}T00:00:00Z`)) / DAY_MS));
    expect(row('id-card-child').daysSinceReview).toBeGreaterThan(0);
    expect(report.guides).toHaveLength(snapshot.content.guideList.length);
    const order = report.guides.map((x) => [Number(x.stale), x.daysSinceReview ?? 0] as const);
    for (let i = 1; i < order.length; i++) {
      const [prev, cur] = [order[i - 1]!, order[i]!];
      expect(prev[0] > cur[0] || (prev[0] === cur[0] && prev[1] >= cur[1])).toBe(true);
    }
  });

  it('counts per channel and per day, with shares and the median staff wait', () => {
    const day = (d: string, channel: string) => {
      const r = report.days.find((x) => x.day === d && x.channel === channel);
      if (!r) throw new Error(`no row ${d} ${channel}`);
      return r;
    };
    expect(report.days.map((d) => `${d.day} ${d.channel}`)).toEqual([
      '2026-11-16 telegram',
      '2026-11-16 web',
      '2026-11-17 telegram',
      '2026-11-17 zalo-bot',
      '2026-11-19 telegram',
      '2026-11-19 web',
      '2026-11-22 web',
      '2026-11-22 zalo-bot',
    ]);
    expect(day('2026-11-16', 'telegram')).toMatchObject({ messages: 2, questions: 1, answered: 1, answeredShare: 1, handoffs: 0, handoffShare: 0, thumbsUp: 1, claims: 0, medianWaitMs: null });
    expect(day('2026-11-16', 'web')).toMatchObject({ messages: 2, questions: 2, answered: 0, unanswered: 2, handoffs: 1, handoffShare: 0.5, claims: 1, medianWaitMs: 5 * MIN_MS, ratings: 1, ratingAvg: 4 });
    expect(day('2026-11-17', 'zalo-bot')).toMatchObject({ messages: 2, questions: 2, clarified: 1, unanswered: 1, answeredShare: 0 });
    expect(day('2026-11-17', 'telegram')).toMatchObject({ messages: 1, answered: 1, handoffs: 1, handoffShare: 1, thumbsDown: 1, claims: 1, medianWaitMs: 2 * MIN_MS, ratingAvg: 5 });
    expect(day('2026-11-19', 'web')).toMatchObject({ messages: 2, questions: 2, unanswered: 1, handoffs: 1, handoffShare: 0.5, claims: 1, medianWaitMs: 10 * MIN_MS, ratingAvg: 2 });
    expect(day('2026-11-22', 'zalo-bot')).toMatchObject({ messages: 1, questions: 0, answeredShare: 0, handoffShare: 0 });
    expect(report.channels.map((c) => [c.channel, c.messages, c.questions, c.answered, c.handoffs, c.medianWaitMs, c.ratingAvg])).toEqual([
      ['telegram', 4, 3, 3, 1, 2 * MIN_MS, 5],
      ['web', 5, 5, 0, 2, 7.5 * MIN_MS, 3],
      ['zalo-bot', 3, 2, 0, 0, null, null],
    ]);
  });
});
