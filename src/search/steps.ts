/**
 * Work that can stop between its steps: the index build as a generator that yields between
 * small pieces (a guide, a few thousand postings). Run at once ({@link runSteps}) it is the
 * plain synchronous build; run in slices ({@link runStepsSliced}) it gives the event loop back
 * every few milliseconds, so a content reload never holds up citizens' replies for long. Both
 * ways run the very same code, so they build the very same index. Pure: the pause between
 * slices comes from the caller.
 */

/** A computation that yields (nothing) between its steps and returns a `T`. */
export type Steps<T> = Generator<void, T, void>;

/** How a sliced run gives the event loop back. */
export interface Pacer {
  /** Longest run between two pauses, ms. */
  readonly sliceMs: number;
  /** A monotonic clock, ms. */
  now(): number;
  /** Resolves once other work had its turn (e.g. after `setImmediate`). */
  pause(): Promise<void>;
}

/** Runs `steps` to the end at once and returns their result. */
export function runSteps<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Runs `steps` to the end, pausing through `pacer` whenever a slice has run `sliceMs`. */
export async function runStepsSliced<T>(steps: Steps<T>, pacer: Pacer): Promise<T> {
  let sliceStart = pacer.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (pacer.now() - sliceStart >= pacer.sliceMs) {
      await pacer.pause();
      sliceStart = pacer.now();
    }
  }
}

/** Every how many items a long loop over small items yields (postings, terms). */
export const ITEMS_PER_STEP = 4096;
