/**
 * The worker thread of an off-thread load (off-thread-load.ts): reads, parses and checks the
 * content directory and hashes its fingerprint here, where neither the work nor its garbage
 * holds up the app's event loop, then hands the result over in small pieces, one per request,
 * so that the main thread never has more than a few guides to take in at once.
 *
 * The worker lives from one load to the next and keeps the files it parsed (yaml-cache.ts
 * `ParsedFiles`): a reload parses and validates only the files whose text changed.
 *
 * Protocol (port = parentPort): each {@link LoadRequest} is answered with one
 * {@link LoadHeader}; then each `'more'` the worker receives is answered with the next
 * {@link LoadChunk} of that load's guides (in guideList order) until they are all sent.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { ContentBundle } from '../core/content.ts';
import type { Guide } from '../core/guide.ts';
import { loadContent } from './load.ts';
import type { ContentProblem } from './problems.ts';
import { fingerprintSliced } from './sliced-build.ts';
import { ParsedFiles } from './yaml-cache.ts';

/** What the worker is started with: marks it as started by off-thread-load.ts. */
export const LOAD_WORKER_DATA = 'content-load-worker';

/** One load asked of the worker. */
export interface LoadRequest {
  readonly kind: 'load';
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
  /** The files this load parsed (display names): the others were unchanged since the last load. */
  readonly parsed: readonly string[];
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

/** Loads the content of a request with the kept files; the header, and the guides to send. */
async function load(request: LoadRequest, files: ParsedFiles): Promise<{ header: LoadHeader; guides: readonly Guide[]; digests: Map<string, string> }> {
  const { dir, todayMs } = request;
  const digests = new Map<string, string>();
  files.startLoad();
  try {
    const options = { read: files.read, readGuide: files.readLight, ...(todayMs === undefined ? {} : { today: new Date(todayMs) }) };
    const result = await loadContent(dir, options);
    const { bundle } = result;
    const parsed = files.parsed;
    if (!bundle) return { header: { kind: 'header', problems: result.problems, guideCount: 0, parsed }, guides: [], digests };
    const { guides: _byId, guideList, ...rest } = bundle;
    const version = await fingerprintSliced(bundle, NO_PAUSES, digests);
    return { header: { kind: 'header', problems: result.problems, guideCount: guideList.length, rest, version, parsed }, guides: guideList, digests };
  } catch (err) {
    return { header: { kind: 'header', problems: [], guideCount: 0, failed: String((err as Error)?.stack ?? err), parsed: [] }, guides: [], digests };
  } finally {
    files.endLoad();
  }
}

function main(): void {
  const port = parentPort;
  if (!port || workerData !== LOAD_WORKER_DATA) return; // not started by off-thread-load.ts
  lowerThreadPriority();
  const files = new ParsedFiles(true); // sync reads: this thread serves no one
  // The load being sent: its guides, their digests, the main thread's known digests, how many are sent.
  let sending: { guides: readonly Guide[]; digests: Map<string, string>; known: Map<string, string>; chunkGuides: number; sent: number } | undefined;
  let loading = Promise.resolve();
  port.on('message', (m: LoadRequest | 'more') => {
    if (m === 'more') {
      if (!sending || sending.sent >= sending.guides.length) return;
      const { guides, digests, known, chunkGuides } = sending;
      const chunk = guides.slice(sending.sent, sending.sent + chunkGuides);
      sending.sent += chunk.length;
      const chunkDigests = chunk.map((g) => digests.get(g.id)!);
      const entries = chunk.map((g, i) => (known.get(g.id) === chunkDigests[i] ? g.id : g));
      port.postMessage({ kind: 'chunk', guides: entries, digests: chunkDigests } satisfies LoadChunk);
      if (sending.sent >= guides.length) sending = undefined; // all sent: let the guides go
      return;
    }
    if (m?.kind !== 'load') return;
    sending = undefined;
    // One load at a time, in the order asked (the main thread asks for the next only after the last).
    loading = loading.then(async () => {
      const { header, guides, digests } = await load(m, files);
      sending = { guides, digests, known: new Map(m.known ?? []), chunkGuides: m.chunkGuides, sent: 0 };
      port.postMessage(header satisfies LoadHeader);
    });
  });
}

main();
