/**
 * Loading the content directory in a worker thread (load-worker.ts): reading, parsing and
 * checking thousands of YAML files — seconds of work and hundreds of MB of garbage — happen
 * on another thread with its own heap, so a reload does not hold up citizens' replies. The main
 * thread takes the result in small pieces, one chunk of guides per turn of its event loop (a
 * structured clone of 5,000 guides at once would stall it for a tenth of a second or more).
 *
 * The worker runs the very same `loadContent` as a load on the main thread, so the bundle and
 * its problems are the same; it also hashes the fingerprint, over the same bundle. A guide the
 * main thread already holds with the same digest (the same JSON text: an editor's save changes
 * one guide of thousands) is not sent at all: the object in hand is kept.
 */
import { Worker } from 'node:worker_threads';
import type { ContentBundle } from '../core/content.ts';
import type { Guide } from '../core/guide.ts';
import { LOAD_WORKER_DATA, type LoadChunk, type LoadHeader, type LoadRequest } from './load-worker.ts';
import type { ContentProblem } from './problems.ts';

/** What a loader hands the content manager: the bundle (only when there is no error) and every problem. */
export interface PreparedContent {
  readonly bundle?: ContentBundle;
  readonly problems: ContentProblem[];
  /** The bundle's fingerprint, when the loader computed it (else the manager does). */
  readonly version?: string;
  /** Each guide's digest by id (sliced-build.ts `guideDigest`), when the loader computed them. */
  readonly digests?: ReadonlyMap<string, string>;
  /** The files the loader parsed (display names), when it keeps the unchanged ones from an earlier load. */
  readonly parsed?: readonly string[];
}

/** The guides the main thread holds, with their digests: unchanged ones are kept, not copied. */
export interface KnownGuides {
  readonly guides: ReadonlyMap<string, Guide>;
  readonly digests: ReadonlyMap<string, string>;
}

/** Reads, parses and checks a content directory; `known`: guides it may reuse when unchanged. */
export type ContentLoader = (dir: string, known?: KnownGuides) => Promise<PreparedContent>;

/** Guides per message from the worker: about a millisecond of the main thread's time to take in. */
export const CHUNK_GUIDES = 25;

/** Options of {@link loadContentOffThread}. */
export interface OffThreadOptions {
  readonly chunkGuides?: number;
  /** Waits between two chunks (default: `setImmediate`, after pending I/O). */
  readonly pause?: () => Promise<void>;
  /** The day review dates are checked against (default: now). */
  readonly today?: Date;
  /** Guides already held: one whose digest is unchanged comes back as the same object. */
  readonly known?: KnownGuides;
}

/**
 * The worker's source: registers tsx (the app runs TypeScript without a build step, and a
 * worker does not inherit the main thread's module hooks), then runs load-worker.ts.
 */
function workerSource(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/**
 * A worker thread (load-worker.ts) that loads the content directory, kept from one load to the
 * next: it keeps the files it parsed, so a reload parses and validates only the changed ones.
 * Between loads it does not keep the process alive. A worker that fails or exits is dropped
 * (the load rejects: the content manager then loads on the main thread), and the next load
 * starts a new one, which parses every file again.
 */
export class ContentLoadWorker {
  #worker: Worker | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Loads `dir` in the worker. Resolves like `loadContent` (bundle and problems) with the
   * fingerprint; rejects when the worker cannot start or fails (the caller may load in-thread).
   * Loads run one at a time, in the order asked.
   */
  load(dir: string, options: OffThreadOptions = {}): Promise<PreparedContent> {
    const run = this.#queue.then(() => this.#load(dir, options));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the worker (a later load starts a new one, which parses every file). */
  close(): void {
    this.#drop();
  }

  #drop(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.terminate();
  }

  /** A new worker; one that fails or exits between loads is dropped (an error never goes unheard). */
  #start(): Worker {
    const worker = new Worker(workerSource(), { eval: true, workerData: LOAD_WORKER_DATA });
    const forget = (): void => {
      if (this.#worker === worker) this.#worker = undefined;
    };
    worker.on('error', forget).on('exit', forget);
    return worker;
  }

  #load(dir: string, options: OffThreadOptions): Promise<PreparedContent> {
    const chunkGuides = options.chunkGuides ?? CHUNK_GUIDES;
    const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    const { known } = options;
    const worker = (this.#worker ??= this.#start());
    worker.ref();
    const request: LoadRequest = { kind: 'load', dir, chunkGuides, todayMs: options.today?.getTime(), known: known ? [...known.digests] : [] };
    return new Promise<PreparedContent>((resolve, reject) => {
      let header: LoadHeader | undefined;
      const guideList: Guide[] = [];
      const digests = new Map<string, string>();
      let settled = false;
      const finish = (ok: boolean, settle: () => void): void => {
        if (settled) return;
        settled = true;
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (ok) worker.unref();
        else if (this.#worker === worker) this.#drop(); // its state is not to be trusted: a new one next time
        settle();
      };
      const fail = (err: Error): void => finish(false, () => reject(err));
      const onMessage = (m: LoadHeader | LoadChunk): void => {
        if (m.kind === 'header') header = m;
        else if (!takeChunk(m, known, guideList, digests)) return fail(new Error('content load worker: a kept guide is not known'));
        if (!header) return fail(new Error('content load worker: chunk before header'));
        if (header.failed) return fail(new Error(`content load worker failed: ${header.failed}`));
        if (guideList.length >= header.guideCount) return finish(true, () => resolve(prepared(header!, guideList, digests)));
        void pause().then(() => worker.postMessage('more'));
      };
      const onError = (err: Error): void => fail(err);
      const onExit = (code: number): void => fail(new Error(`content load worker exited with code ${code}`));
      worker.on('message', onMessage).once('error', onError).once('exit', onExit);
      worker.postMessage(request);
    });
  }
}

/**
 * Loads `dir` in a worker thread of its own, ended once the result is in: every file is parsed.
 * Resolves like `loadContent` (bundle and problems) with the fingerprint; rejects when the
 * worker cannot start or fails.
 */
export async function loadContentOffThread(dir: string, options: OffThreadOptions = {}): Promise<PreparedContent> {
  const worker = new ContentLoadWorker();
  try {
    return await worker.load(dir, options);
  } finally {
    worker.close();
  }
}

/** A loader that keeps one worker between loads (see {@link ContentLoadWorker}); `close` ends it. */
export type WorkerLoader = ContentLoader & { readonly close: () => void };

/**
 * The content manager's loader: loads in a worker thread kept between reloads, handing it the
 * guides the manager holds, so that the unchanged ones come back as the very objects it has (and
 * are neither copied nor indexed again), and only the changed files are parsed. `pause`: waits
 * between two chunks of guides (the build's pacer, so that chunks too wait for turns in flight).
 */
export function workerLoader(pause?: () => Promise<void>): WorkerLoader {
  const worker = new ContentLoadWorker();
  return Object.assign((dir: string, known?: KnownGuides) => worker.load(dir, { ...(known ? { known } : {}), ...(pause ? { pause } : {}) }), { close: () => worker.close() });
}

/** Adds a chunk's guides (a kept one taken from `known`) and digests; false when a kept one is unknown. */
function takeChunk(m: LoadChunk, known: KnownGuides | undefined, guideList: Guide[], digests: Map<string, string>): boolean {
  for (let i = 0; i < m.guides.length; i++) {
    const entry = m.guides[i]!;
    const guide = typeof entry === 'string' ? known?.guides.get(entry) : entry;
    if (!guide) return false;
    guideList.push(guide);
    digests.set(guide.id, m.digests[i]!);
  }
  return true;
}

/** The loader's result from the worker's header and guides. */
function prepared(header: LoadHeader, guideList: readonly Guide[], digests: ReadonlyMap<string, string>): PreparedContent {
  if (!header.rest) return { problems: header.problems, parsed: header.parsed };
  const bundle: ContentBundle = { guides: new Map(guideList.map((g) => [g.id, g])), guideList, ...header.rest };
  return { bundle, problems: header.problems, digests, parsed: header.parsed, ...(header.version ? { version: header.version } : {}) };
}
