// A reload that reads only the changed guides (issue 24): the index builder keeps what each
// guide gave the last index (IndexMemory), so an editor's save re-reads one guide, not 5,000.
// The index it builds must be the index a build from scratch makes: the same parts, the same
// answers (ids, scores, decisions) to every question of the own set; the index in use is never
// touched; a large change or a new lexicon starts from nothing.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { realContentCopy } from '../content/helpers.ts';
import { ContentManager } from '../../src/content/manager.ts';
import { loadContent } from '../../src/content/load.ts';
import { workerLoader } from '../../src/content/off-thread-load.ts';
import type { ContentBundle } from '../../src/core/content.ts';
import type { Guide } from '../../src/core/guide.ts';
import type { GuideIndex } from '../../src/core/ports.ts';
import { silentLogger } from '../../src/core/ports.ts';
import type { Config } from '../../src/config.ts';
import type { AppMetrics } from '../../src/metrics/metrics.ts';
import { loadFirstContent } from '../../src/server-steps.ts';
import { buildGuideIndex, buildGuideIndexSliced, IndexMemory, type IndexableContent } from '../../src/search/index.ts';
import { buildIndexParts } from '../../src/search/index-parts.ts';
import { CONTENT_DIR, ownQuestions } from '../support/test-content.ts';

const QUESTIONS = ownQuestions();
/** Questions that meet the edited guides' new words. */
const EXTRA = ['đổi giấy phép lái xe quốc tế ở đâu', 'thủ tục thử nghiệm mới', 'international driving permit'];

let bundle: ContentBundle;
beforeAll(async () => {
  bundle = (await loadContent(CONTENT_DIR)).bundle!;
});


/** Every answer of an index to the question set (and to the edits' own words). */
function answers(index: GuideIndex): unknown[] {
  return [...QUESTIONS, ...EXTRA].map((q) => index.search(q));
}

/** Content with the given guides and the real synonyms and intents. */
function content(guideList: readonly Guide[], over: Partial<IndexableContent> = {}): IndexableContent {
  return { guideList, synonyms: bundle.synonyms, intents: bundle.intents, ...over };
}

/** Expects the index built over `memory` to be the one built from scratch, parts and answers. */
function expectSameAsFresh(c: IndexableContent, memory: IndexMemory): void {
  const kept = buildIndexParts(c, {}, memory);
  const fresh = buildIndexParts(c);
  expect(kept).toEqual(fresh);
  // The order of the terms too (the typo vocabulary is read in it).
  expect([...kept.ctx.index.terms()]).toEqual([...fresh.ctx.index.terms()]);
}

describe('an index built over the last build\'s memory', () => {
  it('equals a build from scratch after a guide is edited, one is added and one removed, reading only those', async () => {
    const memory = new IndexMemory();
    const start = [...bundle.guideList];
    let live = await buildGuideIndexSliced(content(start), { sliceMs: 0, now: () => 0, pause: () => Promise.resolve() }, {}, memory);
    expect(memory.last).toEqual({ guides: start.length, reread: start.length, fresh: true });
    const edited = start[5]!;
    const changed: Guide = {
      ...edited,
      keywords: [...edited.keywords, 'đổi giấy phép lái xe quốc tế'],
      summary: `${edited.summary} Thủ tục thử nghiệm mới.`,
      en: { ...edited.en, keywords: [...(edited.en.keywords ?? []), 'international driving permit'] },
    };
    const added: Guide = { ...start[10]!, id: 'thu-tuc-moi', title: 'Thủ tục thử nghiệm mới cho người dân', keywords: ['thủ tục thử nghiệm mới'] };
    const steps: { name: string; guides: Guide[]; reread: number }[] = [
      { name: 'a guide edited', guides: start.map((g) => (g === edited ? changed : g)), reread: 1 },
      { name: 'a guide added (the ones after it renumbered)', guides: [], reread: 1 },
      { name: 'a guide removed', guides: [], reread: 0 },
      { name: 'the edit undone, and the added one removed', guides: [], reread: 1 },
    ];
    steps[1]!.guides = [...steps[0]!.guides.slice(0, 3), added, ...steps[0]!.guides.slice(3)];
    steps[2]!.guides = steps[1]!.guides.filter((g) => g !== start[20]);
    steps[3]!.guides = steps[2]!.guides.filter((g) => g !== added).map((g) => (g === changed ? edited : g));
    for (const step of steps) {
      const c = content(step.guides);
      const before = answers(live);
      const next = buildGuideIndex(c, {}, memory);
      expect(memory.last, step.name).toEqual({ guides: step.guides.length, reread: step.reread, fresh: false });
      // The same answers, ids, scores and decisions, as an index built from scratch.
      expect(answers(next), step.name).toEqual(answers(buildGuideIndex(c)));
      // The index in use is untouched by the build of the next one.
      expect(answers(live), step.name).toEqual(before);
      expectSameAsFresh(c, memory);
      live = next;
    }
    // The edit shows: the edited guide answers its new keyword.
    expect(buildGuideIndex(content(steps[0]!.guides), {}, new IndexMemory()).search(EXTRA[0]!).guides[0]?.id).toBe(edited.id);
  });

  it('starts from nothing on a large change or a new lexicon, and still equals a build from scratch', () => {
    const memory = new IndexMemory();
    const guides = bundle.guideList;
    buildIndexParts(content(guides), {}, memory);
    // A third of the guides changed: more than FRESH_SHARE.
    const third = Math.ceil(guides.length / 3);
    const many = guides.map((g, i) => (i < third ? { ...g, summary: `${g.summary} Cập nhật.` } : g));
    expectSameAsFresh(content(many), memory);
    expect(memory.last).toEqual({ guides: guides.length, reread: guides.length, fresh: true });
    // A new synonym: every guide's terms may differ.
    const synonyms = { ...bundle.synonyms, synonyms: { ...bundle.synonyms.synonyms, gplxqt: ['giấy phép lái xe quốc tế'] } };
    expectSameAsFresh(content(many, { synonyms }), memory);
    expect(memory.last.fresh).toBe(true);
    // Then the same again: nothing to read.
    expectSameAsFresh(content(many, { synonyms }), memory);
    expect(memory.last).toEqual({ guides: guides.length, reread: 0, fresh: false });
  });
});


/** Adds a keyword to a guide's file, as an editor's save does. */
function editGuideFile(dir: string, id: string): void {
  const file = join(dir, 'guides', readdirSync(join(dir, 'guides'), { recursive: true }).find((f) => String(f).endsWith(`${id}.yaml`))!.toString());
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^keywords:\n/m, 'keywords:\n  - đổi giấy phép lái xe quốc tế\n'));
}

describe('a reload through the worker loader with an index memory', () => {
  it('re-reads only the edited guide and serves the index a build from scratch makes', async () => {
    const dir = realContentCopy();
    const memory = new IndexMemory();
    const manager = new ContentManager(
      dir,
      (b, p) => (p ? buildGuideIndexSliced(b, p, {}, memory) : buildGuideIndex(b, {}, memory)),
      silentLogger,
      undefined,
      workerLoader(),
    );
    expect((await manager.reload()).ok).toBe(true);
    expect(memory.last.fresh).toBe(true);
    editGuideFile(dir, manager.current().content.guideList[0]!.id);
    expect((await manager.reload()).ok).toBe(true);
    expect(memory.last).toMatchObject({ reread: 1, fresh: false });
    const served = manager.current();
    expect(answers(served.index)).toEqual(answers(buildGuideIndex(served.content)));
    manager.close();
  });

  it('is how the server loads: the worker is told the guides in hand and keeps the unchanged ones', async () => {
    const dir = realContentCopy();
    const metrics = { contentReloaded: () => {}, searchCached: () => {} } as unknown as AppMetrics;
    const manager = await loadFirstContent({ CONTENT_DIR: dir } as Config, metrics, silentLogger);
    const before = manager.current().content.guideList;
    editGuideFile(dir, before[1]!.id);
    expect((await manager.reload()).ok).toBe(true);
    const after = manager.current();
    expect(after.content.guideList.filter((g, i) => g !== before[i]).map((g) => g.id)).toEqual([before[1]!.id]);
    expect(answers(after.index)).toEqual(answers(buildGuideIndex(after.content)));
    manager.close();
  });

  it('reuses the posting arrays of an index no longer in use, never those of the one serving, through a rejected reload', async () => {
    const dir = realContentCopy();
    const metrics = { contentReloaded: () => {}, searchCached: () => {} } as unknown as AppMetrics;
    const manager = await loadFirstContent({ CONTENT_DIR: dir } as Config, metrics, silentLogger);
    const ids = manager.current().content.guideList.map((g) => g.id);
    const sample = QUESTIONS.filter((_, i) => i % 5 === 0);
    const servesFresh = () => {
      const { index, content } = manager.current();
      const fresh = buildGuideIndex(content);
      expect(sample.map((q) => index.search(q))).toEqual(sample.map((q) => fresh.search(q)));
    };
    const probe = 'làm căn cước cho con';
    for (let round = 0; round < 4; round++) {
      editGuideFile(dir, ids[round]!);
      // While the next index is built (on the spare arrays), the one in use answers as before.
      const serving = manager.current();
      // explain, not search: the search's result cache would answer without the postings.
      const explain = (serving.index as unknown as { explain(text: string): unknown }).explain;
      const expected = explain(probe);
      let done = false;
      const reloading = manager.reload().finally(() => (done = true));
      let checks = 0;
      while (!done) {
        if (manager.current() === serving) expect(explain(probe)).toEqual(expected), checks++;
        await new Promise((r) => setImmediate(r));
      }
      expect(checks).toBeGreaterThan(0);
      expect((await reloading).ok).toBe(true);
      servesFresh();
      if (round === 1) {
        // A broken file: the reload is rejected, the index in use keeps serving, whole.
        const broken = join(dir, 'guides', 'broken.yaml');
        writeFileSync(broken, 'id: [unclosed\n');
        expect((await manager.reload()).ok).toBe(false);
        servesFresh();
        rmSync(broken);
      }
    }
    manager.close();
  });
});
