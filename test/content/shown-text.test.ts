// What the citizen sees is what the guide knows: every citizen-facing text of every guide is shown
// by some view, in each language (issue 19: place notes were once kept but never shown).
import { describe, expect, it } from 'vitest';
import { allStepsView, aspectView, endView, infoView, introView, stepView, type ViewContext } from '../../src/core/dialogue/views.ts';
import { problemView } from '../../src/core/dialogue/problem-views.ts';
import type { Guide } from '../../src/core/guide.ts';
import type { Lang } from '../../src/core/types.ts';
import { realSnapshot } from '../support/test-content.ts';

/** Everything the views show for a guide, in one language. */
function shown(v: ViewContext, g: Guide): string {
  const steps = v.lang === 'en' ? g.en.steps : g.steps;
  const parts = [introView(v, g), allStepsView(v, g), endView(v, g), infoView(v, g, 1), ...steps.map((_, i) => stepView(v, g, i + 1))];
  for (const a of ['fees', 'time', 'documents', 'where'] as const) parts.push(aspectView(v, g, a, 1));
  g.problems.forEach((_, i) => parts.push(problemView(v, g, i, 1)));
  return parts.map((r) => [r.text, ...(r.links ?? []).map((l) => l.url)].join('\n')).join('\n');
}

/** The texts of a guide a citizen reading in `lang` must be able to see. */
function citizenTexts(g: Guide, lang: Lang): string[] {
  const en = lang === 'en';
  const steps = en ? g.en.steps : g.steps;
  const out = [en ? g.en.title : g.title, ...steps.flatMap((s) => [s.text, s.detail ?? ''])];
  out.push(...(en ? (g.en.documents ?? g.documents) : g.documents), (en ? g.en.fees ?? g.fees : g.fees) ?? '', (en ? g.en.processing_time ?? g.processing_time : g.processing_time) ?? '');
  for (const w of g.where) out.push(en ? (w.en?.name ?? w.name) : w.name, w.address ?? '', (en ? w.en?.hours ?? w.hours : w.hours) ?? '', (en ? w.en?.note ?? w.note : w.note) ?? '');
  for (const c of g.contacts) out.push(en ? (c.en?.name ?? c.name) : c.name, c.phone ?? '', (en ? c.en?.note ?? c.note : c.note) ?? '');
  for (const p of g.problems) out.push(en ? p.en.title : p.title, (en ? p.en.answer : p.answer).trim());
  return out.filter((t) => t.trim().length > 0);
}

describe('what the citizen sees is what the guide knows', async () => {
  const { content } = await realSnapshot();
  for (const lang of ['vi', 'en'] as const) {
    it(`every citizen-facing text of every guide is shown by some view (${lang})`, () => {
      const v: ViewContext = { content, lang, ttlDays: 30 };
      const hidden: string[] = [];
      for (const g of content.guideList) {
        const all = shown(v, g);
        for (const t of citizenTexts(g, lang)) if (!all.includes(t.trim())) hidden.push(`${g.id}: ${t.slice(0, 60)}`);
      }
      expect(hidden).toEqual([]);
    });
  }

  it('an English reader gets English place and contact notes where the guide gives them', () => {
    const v: ViewContext = { content, lang: 'en', ttlDays: 30 };
    const withNotes = content.guideList.filter((g) => g.where.some((w) => w.en?.note));
    expect(withNotes.length).toBeGreaterThan(0);
    for (const g of withNotes) expect(infoView(v, g, 1).text).toContain(g.where.find((w) => w.en?.note)!.en!.note!);
  });
});
