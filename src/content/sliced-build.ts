/**
 * Building a content snapshot without holding up the event loop: the search index is built
 * step by step (search/steps.ts) and the content's fingerprint hashed guide by guide, pausing
 * every few milliseconds so citizens' replies keep flowing while an editor's save is indexed.
 * The commune finder is built in one short step between two pauses.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ContentBundle } from '../core/content.ts';
import type { Pacer } from '../search/steps.ts';

/**
 * Longest stretch of building between two pauses, ms. A reply crosses the event loop several
 * times (webhook, Redis, Bot API, Redis) and may wait up to one slice at each crossing, so the
 * slice is a small part of the 20 ms a reload may add to the reply p99.
 */
export const BUILD_SLICE_MS = 2;

/** Options of {@link eventLoopPacer}. */
export interface EventLoopPacerOptions {
  /** Longest stretch of building between two pauses, ms (default {@link BUILD_SLICE_MS}). */
  readonly sliceMs?: number;
  /**
   * True while citizens' messages are being answered (the engine's turns in flight). A pause
   * then lasts until none is, or {@link maxWaitMs}: the build runs in the gaps between turns,
   * so a reply waits for at most the one slice that had started before it came.
   */
  readonly busy?: () => boolean;
  /** Longest pause while `busy` holds, ms (default {@link BUILD_MAX_WAIT_MS}): a reload always ends. */
  readonly maxWaitMs?: number;
}

/**
 * Longest pause of a build while turns are in flight, ms. Under a load with turns always in
 * flight the build still runs one slice in every `BUILD_SLICE_MS + BUILD_MAX_WAIT_MS`.
 */
export const BUILD_MAX_WAIT_MS = 20;

/**
 * The pacer reloads build with: slices of `sliceMs`, each pause letting pending I/O (webhooks,
 * Redis replies) run first (`setImmediate` comes after the poll phase), and, with `busy`,
 * waiting for the turns in flight to end (up to `maxWaitMs`).
 */
export function eventLoopPacer(options: EventLoopPacerOptions = {}): Pacer {
  const { sliceMs = BUILD_SLICE_MS, busy, maxWaitMs = BUILD_MAX_WAIT_MS } = options;
  const now = () => performance.now();
  const afterIo = () => new Promise<void>((resolve) => setImmediate(resolve));
  const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
  return {
    sliceMs,
    now,
    pause: async () => {
      await afterIo();
      if (!busy) return;
      const until = now() + maxWaitMs;
      while (busy() && now() < until) await tick();
    },
  };
}

/**
 * The content's fingerprint (12 hex characters of a SHA-256): the same bytes as hashing
 * `JSON.stringify([guideList, categories, messages, synonyms, intents, communes?])` at once,
 * fed to the hash one guide at a time with a pause whenever a slice is used up. With `digests`,
 * also each guide's own digest by id (see {@link guideDigest}), from the same JSON text.
 */
export async function fingerprintSliced(bundle: ContentBundle, pacer: Pacer, digests?: Map<string, string>): Promise<string> {
  const h = createHash('sha256');
  h.update('[[');
  let sliceStart = pacer.now();
  const guides = bundle.guideList;
  for (let i = 0; i < guides.length; i++) {
    const json = JSON.stringify(guides[i]);
    h.update(i === 0 ? json : `,${json}`);
    if (digests) digests.set(guides[i]!.id, digestOf(json));
    if (pacer.now() - sliceStart >= pacer.sliceMs) {
      await pacer.pause();
      sliceStart = pacer.now();
    }
  }
  h.update(']');
  for (const part of [bundle.categories, bundle.messages, bundle.synonyms, bundle.intents, ...(bundle.communes ? [bundle.communes] : [])]) {
    h.update(`,${JSON.stringify(part)}`);
  }
  h.update(']');
  return h.digest('hex').slice(0, 12);
}

/**
 * A guide's digest: a SHA-256 of its JSON text. Two guides with the same digest are the same
 * data, so a reload may keep the object it already has instead of taking in a copy.
 */
export function guideDigest(guide: unknown): string {
  return digestOf(JSON.stringify(guide));
}

function digestOf(json: string): string {
  return createHash('sha256').update(json).digest('base64');
}
