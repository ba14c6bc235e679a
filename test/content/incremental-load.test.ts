// A reload parses only the files that changed (issue 24): the load worker lives between loads
// and keeps what it parsed. Each load's result is a fresh full load's; a broken edit is still
// reported (and the live content stays); a removed file is gone; a new worker parses everything.
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { loadContent } from '../../src/content/load.ts';
import { ContentLoadWorker, workerLoader, type PreparedContent } from '../../src/content/off-thread-load.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { buildGuideIndex, buildGuideIndexSliced } from '../../src/search/index.ts';
import { realContentCopy } from './helpers.ts';

const TODAY = new Date('2026-12-07T00:00:00Z');
const workers: ContentLoadWorker[] = [];
afterAll(() => {
  for (const w of workers.splice(0)) w.close();
});

/** The path of a guide's file. */
function guideFile(dir: string, id: string): string {
  const name = readdirSync(join(dir, 'guides'), { recursive: true }).find((f) => String(f).endsWith(`/${id}.yaml`));
  return join(dir, 'guides', String(name));
}

/** A file's name as problems (and the loader's `parsed`) name it. */
const shown = (path: string): string => relative(process.cwd(), path);

function newWorker(): ContentLoadWorker {
  const w = new ContentLoadWorker();
  workers.push(w);
  return w;
}

/** The worker's load equals a fresh full load of the same directory. */
async function expectFullLoad(dir: string, off: PreparedContent): Promise<void> {
  const full = await loadContent(dir, { today: TODAY });
  expect(off.bundle).toEqual(full.bundle);
  expect(off.problems).toEqual(full.problems);
}

describe('a load worker kept between loads', () => {
  it('parses every file once, then only an edited one, with the result of a full load each time', async () => {
    const dir = realContentCopy();
    const worker = newWorker();
    const first = await worker.load(dir, { today: TODAY });
    await expectFullLoad(dir, first);
    expect(first.parsed!.length).toBeGreaterThan(first.bundle!.guideList.length); // the guides and the settings
    const same = await worker.load(dir, { today: TODAY });
    expect(same.parsed).toEqual([]);
    expect(same.version).toBe(first.version);
    await expectFullLoad(dir, same);

    const edited = first.bundle!.guideList[3]!;
    const file = guideFile(dir, edited.id);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^keywords:\n/m, 'keywords:\n  - từ khóa vừa thêm\n'));
    const after = await worker.load(dir, { today: TODAY });
    expect(after.parsed).toEqual([shown(file)]);
    expect(after.bundle!.guides.get(edited.id)?.keywords).toContain('từ khóa vừa thêm');
    expect(after.version).not.toBe(first.version);
    await expectFullLoad(dir, after);
  });

  it('parses an added file alone, and forgets a removed one', async () => {
    const dir = realContentCopy();
    const worker = newWorker();
    const first = await worker.load(dir, { today: TODAY });
    const model = first.bundle!.guideList[0]!;
    const added = join(dir, 'guides', 'added-guide.yaml');
    writeFileSync(added, readFileSync(guideFile(dir, model.id), 'utf8').replace(/^id: .*$/m, 'id: added-guide'));
    const withNew = await worker.load(dir, { today: TODAY });
    expect(withNew.parsed).toEqual([shown(added)]);
    await expectFullLoad(dir, withNew);
    expect(withNew.bundle?.guides.has('added-guide') ?? withNew.problems.some((p) => p.file === shown(added))).toBe(true);

    unlinkSync(added);
    const without = await worker.load(dir, { today: TODAY });
    expect(without.parsed).toEqual([]);
    expect(without.bundle!.guides.has('added-guide')).toBe(false);
    expect(without.version).toBe(first.version);
    await expectFullLoad(dir, without);
    // Written again as it was: parsed again (the removed file was not kept).
    writeFileSync(added, readFileSync(guideFile(dir, model.id), 'utf8').replace(/^id: .*$/m, 'id: added-guide'));
    expect((await worker.load(dir, { today: TODAY })).parsed).toEqual([shown(added)]);
  });

  it('reports a broken edit as a full load does, and parses the fixed file again', async () => {
    const dir = realContentCopy();
    const worker = newWorker();
    const first = await worker.load(dir, { today: TODAY });
    const file = guideFile(dir, first.bundle!.guideList[1]!.id);
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, `${good}\ntitle: [unclosed\n`);
    const broken = await worker.load(dir, { today: TODAY });
    expect(broken.parsed).toEqual([shown(file)]);
    expect(broken.bundle).toBeUndefined();
    expect(broken.problems.some((p) => p.severity === 'error' && p.file === shown(file))).toBe(true);
    await expectFullLoad(dir, broken);
    // Broken the same way at the next load: still reported, not parsed again.
    const still = await worker.load(dir, { today: TODAY });
    expect(still.parsed).toEqual([]);
    expect(still.problems).toEqual(broken.problems);
    writeFileSync(file, good);
    const fixed = await worker.load(dir, { today: TODAY });
    expect(fixed.parsed).toEqual([shown(file)]);
    expect(fixed.version).toBe(first.version);
    await expectFullLoad(dir, fixed);
  });

  it('checks the links of every guide again when the official domains change, as a full load does', async () => {
    const dir = realContentCopy();
    const worker = newWorker();
    const first = await worker.load(dir, { today: TODAY });
    const domains = join(dir, 'domains.yaml');
    writeFileSync(domains, readFileSync(domains, 'utf8').replace(/^ {2}- (vneid\.gov\.vn|gov\.vn|chinhphu\.vn)\n/gm, ''));
    const narrower = await worker.load(dir, { today: TODAY });
    expect(narrower.parsed).toEqual([shown(domains)]);
    expect(narrower.problems.length).toBeGreaterThan(first.problems.length); // links now off the official list
    await expectFullLoad(dir, narrower);
  });

  it('starts a new worker after the last one ended, which parses every file again', async () => {
    const dir = realContentCopy();
    const worker = newWorker();
    const first = await worker.load(dir, { today: TODAY });
    worker.close();
    const again = await worker.load(dir, { today: TODAY });
    expect(again.parsed).toEqual(first.parsed);
    expect(again.version).toBe(first.version);
    await expectFullLoad(dir, again);
  });
});

describe('a content manager with the worker loader', () => {
  const build = (b: Parameters<typeof buildGuideIndex>[0], p?: Parameters<typeof buildGuideIndexSliced>[1]) => (p ? buildGuideIndexSliced(b, p) : buildGuideIndex(b));

  it('keeps the live content when an edit breaks a file, and takes the fix in', async () => {
    const dir = realContentCopy();
    const manager = new ContentManager(dir, build, silentLogger, undefined, workerLoader());
    try {
      const first = await manager.reload();
      expect(first.ok).toBe(true);
      const live = manager.current();
      const id = live.content.guideList[2]!.id;
      const file = guideFile(dir, id);
      const good = readFileSync(file, 'utf8');
      writeFileSync(file, good.replace(/^id: .*$/m, 'id: [broken'));
      const rejected = await manager.reload();
      expect(rejected.ok).toBe(false);
      expect(rejected.problems.some((p) => p.severity === 'error' && p.file === shown(file))).toBe(true);
      expect(manager.current()).toBe(live); // the old content keeps serving
      expect(manager.current().content.guides.has(id)).toBe(true);
      writeFileSync(file, good);
      const fixed = await manager.reload();
      expect(fixed).toMatchObject({ ok: true, version: first.version });
    } finally {
      manager.close();
    }
  });
});
