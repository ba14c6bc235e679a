// A reload's files read, parsed and checked in a worker thread (issue 24): the worker's result
// is the main-thread load's, handed over in chunks with the event loop's turns between them; a
// broken file is reported and keeps the old content serving; a loader that fails falls back to
// loading on the main thread.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { loadContent } from '../../src/content/load.ts';
import { loadContentOffThread, type ContentLoader } from '../../src/content/off-thread-load.ts';
import { fingerprintSliced, guideDigest } from '../../src/content/sliced-build.ts';
import type { Logger } from '../../src/core/ports.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { buildGuideIndex, buildGuideIndexSliced } from '../../src/search/index.ts';
import { CONTENT_DIR } from '../support/test-content.ts';
import { realContentCopy } from './helpers.ts';

const TODAY = new Date('2026-12-07T00:00:00Z');

/** A pause that counts itself and lets the event loop turn (setImmediate). */
function countedPause(): { pause: () => Promise<void>; count: () => number } {
  let pauses = 0;
  return {
    pause: () => {
      pauses += 1;
      return new Promise<void>((r) => setImmediate(r));
    },
    count: () => pauses,
  };
}

const noPauses = { sliceMs: Number.POSITIVE_INFINITY, now: () => 0, pause: () => Promise.resolve() };

describe('loading in a worker thread', () => {
  it('gives the same bundle, problems and fingerprint as the load on the main thread, a chunk per turn of the loop', async () => {
    const main = await loadContent(CONTENT_DIR, { today: TODAY });
    const counted = countedPause();
    let turns = 0;
    let loading = true;
    const spin = (): void => {
      turns += 1;
      if (loading) setImmediate(spin);
    };
    setImmediate(spin);
    const off = await loadContentOffThread(CONTENT_DIR, { today: TODAY, chunkGuides: 5, pause: counted.pause });
    loading = false;
    expect(off.bundle).toEqual(main.bundle);
    expect(off.problems).toEqual(main.problems);
    expect(off.version).toBe(await fingerprintSliced(main.bundle!, noPauses));
    // One pause between every two chunks, and other work ran between them.
    const guides = main.bundle!.guideList.length;
    expect(counted.count()).toBe(Math.ceil(guides / 5));
    expect(turns).toBeGreaterThanOrEqual(counted.count());
  });

  it('keeps the guides the main thread already has when their digest is unchanged, and sends the changed ones', async () => {
    const main = await loadContent(CONTENT_DIR, { today: TODAY });
    const guides = main.bundle!.guides;
    const digests = new Map([...guides.values()].map((g) => [g.id, guideDigest(g)]));
    const [changed, ...rest] = main.bundle!.guideList;
    digests.set(changed!.id, 'another digest');
    const off = await loadContentOffThread(CONTENT_DIR, { today: TODAY, known: { guides, digests } });
    expect(off.bundle).toEqual(main.bundle);
    const byId = off.bundle!.guides;
    for (const g of rest) expect(byId.get(g.id)).toBe(g); // the very object in hand
    expect(byId.get(changed!.id)).not.toBe(changed);
    expect(byId.get(changed!.id)).toEqual(changed);
    expect(off.digests).toEqual(new Map(main.bundle!.guideList.map((g) => [g.id, guideDigest(g)])));
  });

  it('reports a broken file as the main thread does, with no bundle', async () => {
    const dir = realContentCopy();
    writeFileSync(join(dir, 'guides', 'broken.yaml'), 'id: broken\ntitle: [unclosed\n');
    const main = await loadContent(dir, { today: TODAY });
    const off = await loadContentOffThread(dir, { today: TODAY });
    expect(main.bundle).toBeUndefined();
    expect(off.bundle).toBeUndefined();
    expect(off.version).toBeUndefined();
    expect(off.problems).toEqual(main.problems);
    expect(off.problems.some((p) => p.severity === 'error' && p.file.endsWith('broken.yaml'))).toBe(true);
  });
});

describe('a reload with the worker loader', () => {
  const build = (b: Parameters<typeof buildGuideIndex>[0], p?: Parameters<typeof buildGuideIndexSliced>[1]) => (p ? buildGuideIndexSliced(b, p) : buildGuideIndex(b));

  it('loads and reloads through the worker, and keeps the old content on a broken file', async () => {
    const dir = realContentCopy();
    const calls: string[] = [];
    const loader: ContentLoader = (d, known) => {
      calls.push(d);
      return loadContentOffThread(d, known ? { known } : {});
    };
    const manager = new ContentManager(dir, build, silentLogger, undefined, loader);
    const first = await manager.reload();
    expect(first.ok).toBe(true);
    expect(calls).toEqual([dir]); // the first load too: the worker keeps what it parsed
    const before = manager.current();
    const again = await manager.reload();
    expect(calls).toEqual([dir, dir]);
    expect(again).toMatchObject({ ok: true, version: first.version });
    expect(manager.current()).not.toBe(before);
    expect(manager.current().index.search('làm căn cước cho con')).toEqual(before.index.search('làm căn cước cho con'));
    // Unchanged guides are kept as they are; an edited one is taken in anew.
    const kept = before.content.guideList;
    expect(manager.current().content.guideList.every((g, i) => g === kept[i])).toBe(true);
    const edited = kept[0]!;
    const file = join(dir, 'guides', readdirSync(join(dir, 'guides'), { recursive: true }).find((f) => String(f).endsWith(`${edited.id}.yaml`))!.toString());
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^keywords:\n/m, 'keywords:\n  - từ khóa vừa thêm\n'));
    const third = await manager.reload();
    expect(third.ok).toBe(true);
    expect(third.version).not.toBe(first.version);
    expect(manager.current().content.guides.get(edited.id)?.keywords).toContain('từ khóa vừa thêm');
    expect(manager.current().content.guideList.filter((g) => !kept.includes(g)).map((g) => g.id)).toEqual([edited.id]);
    writeFileSync(join(dir, 'guides', 'broken.yaml'), 'id: broken\ntitle: [unclosed\n');
    const rejected = await manager.reload();
    expect(calls).toHaveLength(4);
    expect(rejected.ok).toBe(false);
    expect(rejected.problems.some((p) => p.file.endsWith('broken.yaml'))).toBe(true);
    expect(manager.current().version).toBe(third.version); // the old content keeps serving
    expect(manager.current().index.search('làm căn cước cho con').decision).toBe('answer');
  });

  it('falls back to loading on the main thread when the worker fails, and says so', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (_o: unknown, msg?: string) => void warnings.push(String(msg)), child: () => logger };
    const manager = new ContentManager(CONTENT_DIR, build, logger, undefined, () => Promise.reject(new Error('no worker here')));
    const first = await manager.reload();
    const second = await manager.reload();
    expect(second).toMatchObject({ ok: true, version: first.version });
    expect(warnings).toEqual(Array(2).fill('content could not be loaded off the event loop: loading it on the main thread'));
  });
});
