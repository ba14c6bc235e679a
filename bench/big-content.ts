/**
 * A content directory with many guides, for benchmarks at scale: a copy of `content/` plus
 * synthetic guides (search/synthetic.ts) written as YAML files under `guides/synthetic/`, so a
 * reload reads, validates and indexes them all as it would an editor's files.
 */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadContent } from '../src/content/load.ts';
import { syntheticGuides } from '../src/search/synthetic.ts';

/** The repository's content directory. */
export const CONTENT_DIR = fileURLToPath(new URL('../content', import.meta.url));

/**
 * Copies `content/` into a fresh temporary directory and adds synthetic guides until it holds
 * `total` guides. Resolves the directory (the caller removes it).
 */
export async function makeBigContent(total: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dvcbot-big-content-'));
  await cp(CONTENT_DIR, dir, { recursive: true });
  const base = await loadContent(CONTENT_DIR);
  if (!base.bundle) throw new Error('content/ does not load');
  const real = base.bundle.guideList;
  const extra = syntheticGuides(real, Math.max(0, total - real.length));
  await mkdir(join(dir, 'guides', 'synthetic'), { recursive: true });
  const byId = new Map(real.map((g) => [g.id, g]));
  for (const g of extra) {
    // Sample questions must be unique across guides (the synthetic ones repeat real ones), and at least five.
    const base = byId.get(g.id.replace(/-s\d+$/, ''))?.questions ?? [];
    const questions = [...g.questions, ...base].slice(0, Math.max(5, g.questions.length));
    const guide = { ...g, questions: questions.map((q, i) => `${q} (${g.id} ${i})`) };
    await writeFile(join(dir, 'guides', 'synthetic', `${g.id}.yaml`), stringify(guide));
  }
  return dir;
}
