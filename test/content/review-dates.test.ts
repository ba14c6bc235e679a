// Review dates in content:check: guides past their date (reviewed + review_every_days, or
// review_by, whichever comes first), the list of guides due in the summary, and fees that state
// an amount without a review_by. "Today" is injected, so nothing here depends on the real date.
import { describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.ts';
import { reviewDueDate, statedAmount } from '../../src/content/review.ts';
import { ALPHA, FIXTURE, TODAY, contentWith, problemsOf } from './helpers.ts';

const withReviewBy = (date: string) => contentWith(ALPHA, (t) => t.replace('review_every_days: 180\n', `review_every_days: 180\nreview_by: ${date}\n`));
const withFees = (fees: string, enFees?: string) =>
  contentWith(ALPHA, (t) => {
    const vi = t.replace('links:\n', `fees: ${fees}\nlinks:\n`);
    return enFees ? vi.replace('  summary: A small guide for testing.\n', `  summary: A small guide for testing.\n  fees: ${enFees}\n`) : vi;
  });

describe('review dates', () => {
  it('a review_by that has passed is a warning at review_by', async () => {
    expect(await problemsOf(withReviewBy('2026-11-20'))).toEqual(['guides/alpha-guide.yaml:23:1  warning: review_by: past its review date by 7 days (due 2026-11-20)']);
    expect(await problemsOf(withReviewBy('2026-11-27'))).toEqual([]);
  });

  it('the earlier of review_by and reviewed + review_every_days counts', () => {
    const g = { reviewed: '2026-01-01', review_every_days: 180 };
    expect(reviewDueDate({ ...g, review_by: '2027-01-01' }).toISOString().slice(0, 10)).toBe('2026-06-30');
    expect(reviewDueDate({ ...g, review_by: '2026-03-01' }).toISOString().slice(0, 10)).toBe('2026-03-01');
    expect(reviewDueDate({ reviewed: '2026-01-01', review_by: '2026-12-31' }).toISOString().slice(0, 10)).toBe('2026-12-31');
  });

  it('the summary lists the guides due, most overdue first', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('reviewed: 2026-11-01', 'reviewed: 2026-10-01'));
    const r = await runContentCheck(dir, { today: new Date('2027-05-15T00:00:00Z') });
    expect(r.due.map((d) => d.id)).toEqual(['alpha-guide', 'beta-guide']);
    expect(r.summaryText.split('\n')[0]).toBe('Due for review (2): alpha-guide (due 2027-03-30), beta-guide (due 2027-04-30)');
    expect(r.exitCode).toBe(0);
  });

  it('no guide due: no such line', async () => {
    const r = await runContentCheck(FIXTURE, { today: TODAY });
    expect(r.summaryText).toBe('✔ 9 files, 2 guides: 0 errors, 0 warnings');
  });
});

describe('fees stating an amount need a review_by', () => {
  it('an amount in the Vietnamese fees without review_by is a warning', async () => {
    expect(await problemsOf(withFees('Lệ phí 25.000 đồng một lần.'))).toEqual([
      'guides/alpha-guide.yaml:16:1  warning: fees: states an amount ("25.000 đồng") but the guide has no review_by: add the date this fee should be checked again',
    ]);
  });

  it('an amount only in the English fees is found too', async () => {
    const lines = await problemsOf(withFees('Xem trên ứng dụng.', '25,000 VND.'));
    expect(lines).toEqual([expect.stringMatching(/^guides\/alpha-guide\.yaml:\d+:3 {2}warning: en\.fees: states an amount \("25,000 VND"\) but the guide has no review_by/)]);
  });

  it('no warning with a review_by, or when no amount is stated', async () => {
    const dated = contentWith(ALPHA, (t) => t.replace('links:\n', 'fees: Lệ phí 25.000 đồng.\nlinks:\n').replace('review_every_days: 180\n', 'review_every_days: 180\nreview_by: 2027-01-01\n'));
    expect(await problemsOf(dated)).toEqual([]);
    expect(await problemsOf(withFees('Miễn phí cho trẻ 6 đến 14 tuổi.'))).toEqual([]);
  });

  it('reads amounts as editors write them', () => {
    expect(statedAmount('200.000đ mỗi lần')).toBe('200.000đ');
    expect(statedAmount('khoảng 100 nghìn')).toBe('100 nghìn');
    expect(statedAmount('tối đa 100 triệu đồng/tháng')).toBe('100 triệu');
    expect(statedAmount('7,000 VND online')).toBe('7,000 VND');
    expect(statedAmount('up to 100 million VND a month')).toBe('100 million');
    expect(statedAmount('Miễn phí; nộp trước 2/9 hoặc trong 15 ngày')).toBeUndefined();
    expect(statedAmount('Trẻ 6 đến 14 tuổi')).toBeUndefined();
    expect(statedAmount(undefined)).toBeUndefined();
  });
});
