// The index built off the event loop (issue 24): a reload builds the next index in slices,
// giving the loop back between them, and swaps it in atomically once every part is built. The
// sliced build runs the very same steps as the synchronous one, so it builds the same index.
import { beforeAll, describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { loadContent } from '../../src/content/load.ts';
import type { ContentBundle } from '../../src/core/content.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { buildGuideIndex, buildGuideIndexSliced } from '../../src/search/index.ts';
import { buildIndexParts, indexPartsSteps, type IndexableContent } from '../../src/search/index-parts.ts';
import { runStepsSliced, type Pacer } from '../../src/search/steps.ts';
import { syntheticGuides } from '../../src/search/synthetic.ts';
import { CONTENT_DIR, ownQuestions } from '../support/test-content.ts';

const QUESTIONS = ownQuestions();

let bundle: ContentBundle;
beforeAll(async () => {
  const loaded = await loadContent(CONTENT_DIR);
  bundle = loaded.bundle!;
});

/** A pacer that pauses after every step and counts the pauses. */
function everyStep(): Pacer & { pauses: number } {
  const pacer = {
    pauses: 0,
    sliceMs: 0,
    now: () => 0,
    pause: () => {
      pacer.pauses += 1;
      return new Promise<void>((r) => setImmediate(r));
    },
  };
  return pacer;
}

describe('the sliced index build', () => {
  it('builds exactly the parts the synchronous build builds (real guides, and 300 that span several postings chunks)', async () => {
    for (const guideList of [bundle.guideList, syntheticGuides(bundle.guideList, 300)]) {
      const content: IndexableContent = { guideList, synonyms: bundle.synonyms, intents: bundle.intents };
      const pacer = everyStep();
      const sliced = await runStepsSliced(indexPartsSteps(content), pacer);
      expect(sliced).toEqual(buildIndexParts(content));
      expect(pacer.pauses).toBeGreaterThan(guideList.length); // at least one pause per guide
    }
  });

  it('answers every question as the synchronous index does', async () => {
    const content: IndexableContent = { guideList: bundle.guideList, synonyms: bundle.synonyms, intents: bundle.intents };
    const sync = buildGuideIndex(content);
    const sliced = await buildGuideIndexSliced(content, everyStep());
    for (const q of QUESTIONS) expect(sliced.search(q), q).toEqual(sync.search(q));
    expect(sliced.search('lệ phí bao nhiêu?', { openGuide: bundle.guideList[0]!.id })).toEqual(sync.search('lệ phí bao nhiêu?', { openGuide: bundle.guideList[0]!.id }));
  });

  it('gives the event loop back while it builds', async () => {
    let turns = 0;
    let building = true;
    const spin = (): void => {
      turns += 1;
      if (building) setImmediate(spin);
    };
    setImmediate(spin);
    const pacer = everyStep();
    await buildGuideIndexSliced({ guideList: bundle.guideList, synonyms: bundle.synonyms, intents: bundle.intents }, pacer);
    building = false;
    // Other work ran between the slices: once per pause, give or take the first and the last.
    expect(turns).toBeGreaterThanOrEqual(pacer.pauses - 1);
    expect(pacer.pauses).toBeGreaterThan(bundle.guideList.length); // at least one per guide read
  });
});

describe('a reload', () => {
  it('keeps serving the old snapshot while it builds, then swaps in the whole new one at once', async () => {
    const gate: { open?: () => void; waiting: number } = { waiting: 0 };
    let hold = false;
    const pacer: Pacer = {
      sliceMs: 0,
      now: () => 0,
      // The tenth pause of the build waits for the test: the reload is then half done.
      pause: () => {
        gate.waiting += 1;
        if (hold && gate.waiting === 10) {
          hold = false;
          return new Promise<void>((r) => (gate.open = r));
        }
        return new Promise<void>((r) => setImmediate(r));
      },
    };
    const manager = new ContentManager(CONTENT_DIR, (b, p) => (p ? buildGuideIndexSliced(b, p) : buildGuideIndex(b)), silentLogger, pacer);
    await manager.reload();
    const first = manager.current();
    expect(first.communes).toBeDefined();
    hold = true;
    gate.waiting = 0;
    const reloading = manager.reload();
    while (!gate.open) await new Promise((r) => setImmediate(r));
    // Mid-build: the old snapshot serves, whole.
    expect(manager.current()).toBe(first);
    expect(manager.current().index.search('làm căn cước cho con').decision).toBe('answer');
    gate.open();
    const outcome = await reloading;
    expect(outcome.ok).toBe(true);
    const next = manager.current();
    expect(next).not.toBe(first);
    expect(next.index).not.toBe(first.index);
    expect(next.version).toBe(first.version); // same files, same fingerprint
    expect(next.index.search('làm căn cước cho con')).toEqual(first.index.search('làm căn cước cho con'));
    expect(next.communes?.find('phường An Hòa giờ là phường nào')).toEqual(first.communes?.find('phường An Hòa giờ là phường nào'));
  });
});
