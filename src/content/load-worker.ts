/**
 * The worker thread of an off-thread load (off-thread-load.ts): reads, parses and checks the
 * content directory and hashes its fingerprint here, where neither the work nor its garbage
 * holds up the app's event loop, then hands the result over in small pieces, one per request,
 * so that the main thread never has more than a few guides to take in at once.
 *
 * Protocol (port = parentPort): the worker posts one {@link LoadHeader}; then each `'more'` it
 * receives is answered with the next {@link LoadChunk} of the bundle's guides (in guideList
 * order) until they are all sent. The main thread terminates the worker when it has them all.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ContentBundle } from '../core/content.ts';
import type { Guide } from '../core/guide.ts';
import { loadContent } from './load.ts';
import type { ContentProblem } from './problems.ts';
import { fingerprintSliced } from './sliced-build.ts';

/** What the worker is started with. */
export interface LoadWorkerData {
  readonly dir: string;
  /** Guides per chunk. */
  readonly chunkGuides: number;
  /** The day review dates are checked against, epoch ms (default: now). */
  readonly todayMs?: number;
  /** The digests of the guides the main thread has (id, digest): an unchanged guide is sent as its id. */
  readonly known?: readonly (readonly [string, string])[];
}

/** The bundle without its guides (they follow in chunks). */
export type BundleRest = Omit<ContentBundle, 'guides' | 'guideList'>;

/** The first message: everything but the guides. `rest` and `version` only when there is a bundle. */
export interface LoadHeader {
  readonly kind: 'header';
  readonly problems: ContentProblem[];
  readonly guideCount: number;
  readonly rest?: BundleRest;
  readonly version?: string;
  /** Set when the load itself threw (a bug, not a content problem). */
  readonly failed?: string;
}

/**
 * A run of guides, in guideList order: each a guide, or the id of a guide the main thread
 * already has with the same digest (`known`); with each one's digest.
 */
export interface LoadChunk {
  readonly kind: 'chunk';
  readonly guides: readonly (Guide | string)[];
  readonly digests: readonly string[];
}

/** Never pauses: the worker has no one to give the loop back to. */
const NO_PAUSES = { sliceMs: Number.POSITIVE_INFINITY, now: () => 0, pause: () => Promise.resolve() };

/**
 * Lowers this thread's CPU priority to the lowest (nice 19), this thread only: on Linux a
 * thread's id is a pid to setpriority. On a machine with few cores the load then takes the CPU
 * the app's event loop leaves over, instead of taking it from replies. Elsewhere, a no-op.
 */
function lowerThreadPriority(): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!(tid > 0)) return false;
    setPriority(tid, 19);
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const port = parentPort;
  const data = workerData as LoadWorkerData | undefined;
  if (!port || typeof data?.dir !== 'string') return; // not started by loadContentOffThread
  lowerThreadPriority();
  const { dir, chunkGuides, todayMs } = data;
  const known = new Map(data.known ?? []);
  let guides: readonly Guide[] = [];
  const digests = new Map<string, string>();
  try {
    const result = await loadContent(dir, todayMs === undefined ? {} : { today: new Date(todayMs) });
    const { bundle } = result;
    if (bundle) {
      const { guides: _byId, guideList, ...rest } = bundle;
      guides = guideList;
      const version = await fingerprintSliced(bundle, NO_PAUSES, digests);
      port.postMessage({ kind: 'header', problems: result.problems, guideCount: guides.length, rest, version } satisfies LoadHeader);
    } else {
      port.postMessage({ kind: 'header', problems: result.problems, guideCount: 0 } satisfies LoadHeader);
    }
  } catch (err) {
    port.postMessage({ kind: 'header', problems: [], guideCount: 0, failed: String((err as Error)?.stack ?? err) } satisfies LoadHeader);
  }
  let sent = 0;
  port.on('message', (m: unknown) => {
    if (m !== 'more' || sent >= guides.length) return;
    const chunk = guides.slice(sent, sent + chunkGuides);
    sent += chunk.length;
    const chunkDigests = chunk.map((g) => digests.get(g.id)!);
    const entries = chunk.map((g, i) => (known.get(g.id) === chunkDigests[i] ? g.id : g));
    port.postMessage({ kind: 'chunk', guides: entries, digests: chunkDigests } satisfies LoadChunk);
  });
}

void main();
