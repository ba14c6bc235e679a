/** Loads the real content/ once per test file and builds its index; the own question set. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentSnapshot } from '../../src/core/content.ts';
import { loadContent } from '../../src/content/load.ts';
import { buildGuideIndex } from '../../src/search/index.ts';
import { communeFinderOf } from '../../src/search/communes.ts';

/** The repository's content directory. */
export const CONTENT_DIR = join(import.meta.dirname, '..', '..', 'content');

/** The questions of the own eval set (test/fixtures/eval/questions.jsonl), in order. */
export function ownQuestions(): string[] {
  return readFileSync(join(import.meta.dirname, '..', 'fixtures', 'eval', 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => (JSON.parse(l) as { q: string }).q);
}

let cached: Promise<ContentSnapshot> | null = null;

/** The real content as a snapshot (throws if content has errors). */
export function realSnapshot(): Promise<ContentSnapshot> {
  cached ??= (async () => {
    const r = await loadContent(CONTENT_DIR);
    if (!r.bundle) throw new Error(`content has errors: ${r.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('; ')}`);
    const communes = communeFinderOf(r.bundle);
    return { content: r.bundle, index: buildGuideIndex(r.bundle), ...(communes ? { communes } : {}), loadedAtMs: Date.now(), version: 'test' };
  })();
  return cached;
}
