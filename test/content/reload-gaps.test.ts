// A reload's work on the main thread runs in the gaps between citizens' turns (issue 24): the
// pacer's pause waits while turns are in flight (up to a bound, so a reload always ends), and
// the server hands the content manager the engine's count of turns in flight.
import { describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { eventLoopPacer } from '../../src/content/sliced-build.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { buildGuideIndex, buildGuideIndexSliced } from '../../src/search/index.ts';
import { CONTENT_DIR } from '../support/test-content.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether `p` has settled, without waiting for it. */
function tracked<T>(p: Promise<T>): { readonly done: boolean; readonly promise: Promise<T> } {
  const state = { done: false, promise: p };
  void p.finally(() => (state.done = true));
  return state;
}

describe('the event-loop pacer with turns in flight', () => {
  it('pauses until no turn is in flight', async () => {
    let busy = true;
    const pacer = eventLoopPacer({ busy: () => busy, maxWaitMs: 60_000 });
    const pause = tracked(pacer.pause());
    await sleep(30);
    expect(pause.done).toBe(false);
    busy = false;
    await pause.promise;
  });

  it('pauses no longer than maxWaitMs when turns never stop', async () => {
    const pacer = eventLoopPacer({ busy: () => true, maxWaitMs: 5 });
    await pacer.pause(); // would hang (and the test time out) if the bound did not hold
  });

  it('only lets pending I/O run first when nothing is in flight, or when it is not told', async () => {
    let asked = 0;
    await eventLoopPacer({ busy: () => (asked++, false) }).pause();
    expect(asked).toBe(1);
    await eventLoopPacer().pause();
  });
});

describe('a reload while turns are in flight', () => {
  it('builds nothing new while a turn is in flight and swaps the snapshot once the turns are over', async () => {
    let busy = false;
    const inner = eventLoopPacer({ busy: () => busy, maxWaitMs: 60_000 });
    let resumed = 0; // pauses over: each lets the load or the build go on by one slice
    const pacer = { ...inner, pause: async () => {
        await inner.pause();
        resumed++;
      },
    };
    const manager = new ContentManager(CONTENT_DIR, (b, p) => (p ? buildGuideIndexSliced(b, p) : buildGuideIndex(b)), silentLogger, pacer);
    await manager.reload();
    const first = manager.current();
    const before = resumed;
    expect(before).toBeGreaterThan(10); // the first load went through many slices
    busy = true;
    const reloading = tracked(manager.reload());
    await sleep(200);
    expect(resumed).toBe(before); // not one slice while the turn is in flight
    expect(reloading.done).toBe(false);
    expect(manager.current()).toBe(first);
    busy = false;
    expect((await reloading.promise).ok).toBe(true);
    expect(resumed).toBeGreaterThan(before + 10);
    expect(manager.current()).not.toBe(first);
  });
});
