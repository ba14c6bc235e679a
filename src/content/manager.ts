/**
 * Holds the live content snapshot and swaps it atomically on reload. A reload that finds any
 * error keeps the old snapshot serving and remembers the problems (for logs and the console).
 *
 * Watching: `fs.watch(dir, { recursive: true })` for quick reloads, plus a cheap poll of the
 * files' size, mtime and inode as a safety net. The poll is needed: on Linux, Node 20's
 * recursive watcher keeps watching the old inode after an editor saves by "write a temp file,
 * rename it over" (vim, many IDEs, git checkout), so later edits of that file go unnoticed;
 * it also misses a content directory swapped by a deploy, and file systems without inotify.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContentBundle, ContentSnapshot } from '../core/content.ts';
import type { GuideIndex, Logger } from '../core/ports.ts';
import { communeFinderOf } from '../search/communes.ts';
import type { Pacer } from '../search/steps.ts';
import { eventLoopPacer, fingerprintSliced } from './sliced-build.ts';
import { YamlCache } from './yaml-cache.ts';
import { loadContent } from './load.ts';
import type { ContentLoader, PreparedContent } from './off-thread-load.ts';
import { formatProblem, type ContentProblem } from './problems.ts';

/**
 * Builds a search index over a bundle (the search module's builder, injected). With `pacer`, it
 * may build in slices (search's `buildGuideIndexSliced`) and resolve the index when done.
 */
export type IndexBuilder = (bundle: ContentBundle, pacer?: Pacer) => GuideIndex | Promise<GuideIndex>;

/** The outcome of a reload attempt. */
export interface ReloadOutcome {
  readonly ok: boolean;
  readonly version: string;
  readonly problems: readonly ContentProblem[];
  readonly atMs: number;
}

/** Owns the current content snapshot. */
export class ContentManager {
  private snapshot: ContentSnapshot | null = null;
  /** The digest of each guide of the snapshot, by id: a loader keeps the unchanged ones. */
  private digests: ReadonlyMap<string, string> | null = null;
  private last: ReloadOutcome | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private watching = false;
  /** Signature of the files the current outcome was loaded from (see {@link filesSignature}). */
  private loadedSignature: string | null = null;
  private reloading: Promise<ReloadOutcome> | null = null;
  private readonly listeners = new Set<(o: ReloadOutcome) => void>();
  /** Large files parsed at an earlier load, reused while unchanged (communes.yaml). */
  private readonly yamlCache = new YamlCache();

  /**
   * `pacer`: how a reload gives the event loop back while it builds the next snapshot (default:
   * slices of BUILD_SLICE_MS, each pause after pending I/O). The snapshot in use is swapped for
   * the new one only once everything is built. `loader`: reads, parses and checks the files of
   * every load elsewhere (off-thread-load.ts: in a worker thread that keeps the parsed files, so
   * the first load there is what lets a reload parse only the changed ones); a load whose loader
   * fails reads them on this thread in slices instead (default: always on this thread).
   * {@link close} closes the loader when it has a `close`.
   */
  constructor(
    private readonly dir: string,
    private readonly buildIndex: IndexBuilder,
    private readonly logger: Logger,
    private readonly pacer: Pacer = eventLoopPacer(),
    private readonly loader?: ContentLoader & { readonly close?: () => void },
  ) {}

  /** The live snapshot. Throws if nothing valid was ever loaded. */
  current(): ContentSnapshot {
    if (!this.snapshot) throw new Error('content not loaded');
    return this.snapshot;
  }

  /** True once a valid snapshot is serving. */
  get loaded(): boolean {
    return this.snapshot !== null;
  }

  /** The last reload's outcome (problems stay visible until a good reload). */
  lastOutcome(): ReloadOutcome | null {
    return this.last;
  }

  /** Called after each reload attempt. */
  onReload(listener: (o: ReloadOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads (or reloads) the content; concurrent calls share one load. */
  reload(): Promise<ReloadOutcome> {
    if (!this.reloading) {
      this.reloading = this.doReload().finally(() => {
        this.reloading = null;
      });
    }
    return this.reloading;
  }

  private async doReload(): Promise<ReloadOutcome> {
    const atMs = Date.now();
    // Taken before reading: a change made while loading shows up as a new signature later.
    this.loadedSignature = await filesSignature(this.dir);
    const result = await this.load();
    const errors = result.problems.filter((p) => p.severity === 'error');
    let outcome: ReloadOutcome;
    if (!result.bundle) {
      for (const p of errors.slice(0, 50)) this.logger.error({ problem: formatProblem(p) }, 'content problem');
      this.logger.error({ errors: errors.length, dir: this.dir }, this.snapshot ? 'content reload rejected: old content keeps serving' : 'content invalid: nothing to serve');
      outcome = { ok: false, version: this.snapshot?.version ?? '', problems: result.problems, atMs };
    } else {
      // Errors with a bundle are in optional parts (communes.yaml): served without that part.
      for (const p of errors.slice(0, 50)) this.logger.error({ problem: formatProblem(p) }, 'content problem (that part is left out)');
      const { snapshot, digests } = await this.buildSnapshot(result, result.bundle, atMs);
      const { version } = snapshot;
      this.snapshot = snapshot; // the swap: one assignment, once every part is built
      this.digests = digests;
      this.logger.info({ guides: result.bundle.guideList.length, version, warnings: result.problems.length }, 'content loaded');
      outcome = { ok: true, version, problems: result.problems, atMs };
    }
    this.last = outcome;
    for (const l of this.listeners) l(outcome);
    return outcome;
  }

  /** The files read, parsed and checked: by the loader, or (without one, or when it fails) on this thread in slices. */
  private async load(): Promise<PreparedContent> {
    if (this.loader) {
      try {
        const known = this.digests && this.snapshot ? { guides: this.snapshot.content.guides, digests: this.digests } : undefined;
        return await this.loader(this.dir, known);
      } catch (err) {
        this.logger.warn({ err: String(err) }, 'content could not be loaded off the event loop: loading it on the main thread');
      }
    }
    return loadContent(this.dir, { read: this.yamlCache.read, pacer: this.pacer });
  }

  /**
   * The snapshot of a bundle: index, fingerprint and guide digests (unless the loader hashed
   * them) and commune finder, built in slices.
   */
  private async buildSnapshot(loaded: PreparedContent, bundle: ContentBundle, atMs: number): Promise<{ snapshot: ContentSnapshot; digests: ReadonlyMap<string, string> }> {
    const { pacer } = this;
    const index = await this.buildIndex(bundle, pacer);
    await pacer.pause();
    let { version, digests } = loaded;
    if (!version || !digests) {
      const hashed = new Map<string, string>();
      version = await fingerprintSliced(bundle, pacer, hashed);
      digests = hashed;
    }
    await pacer.pause();
    const communes = communeFinderOf(bundle); // one short step (a few ms), between two pauses
    await pacer.pause();
    return { snapshot: { content: bundle, index, loadedAtMs: atMs, version, ...(communes ? { communes } : {}) }, digests };
  }

  /**
   * Watches the content directory: a file event reloads after `debounceMs` of quiet, and every
   * `pollMs` the files' signature is compared with the loaded one (0 = no polling). Safe to
   * call twice; {@link close} stops both.
   */
  watch(debounceMs = 300, pollMs = 2_000): void {
    if (this.watching) return;
    this.watching = true;
    this.startWatcher(debounceMs);
    if (pollMs > 0) {
      const tick = () => {
        this.poller = setTimeout(() => {
          void this.reloadIfChanged().finally(() => {
            if (this.watching) tick();
          });
        }, pollMs);
        this.poller.unref();
      };
      tick();
    }
  }

  /** Reloads when the files differ from those last loaded. Resolves true when it reloaded. */
  async reloadIfChanged(): Promise<boolean> {
    try {
      if ((await filesSignature(this.dir)) === this.loadedSignature) return false;
      await this.reload();
      return true;
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'content reload failed');
      return false;
    }
  }

  private startWatcher(debounceMs: number): void {
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.reload().then(
            // Re-arm: a renamed-over file is only watched by a new watcher (see the file comment).
            () => {
              if (!this.watching) return;
              this.watcher?.close();
              this.startWatcher(debounceMs);
            },
            (err: unknown) => this.logger.warn({ err: String(err) }, 'content reload failed'),
          );
        }, debounceMs);
        this.timer.unref();
      });
      this.watcher.on('error', (err) => this.logger.warn({ err: String(err) }, 'content watcher error; polling continues'));
    } catch (err) {
      this.watcher = null;
      this.logger.warn({ err: String(err) }, 'cannot watch the content directory; polling it instead (SIGHUP and the reload API work too)');
    }
  }

  /** Stops watching and polling, and closes the loader (its worker). */
  close(): void {
    this.loader?.close?.();
    this.watching = false;
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.poller) clearTimeout(this.poller);
    this.timer = null;
    this.poller = null;
  }
}

/**
 * What the loader would read, as one string: every YAML file under `dir` (dot-files skipped, as
 * the loader does) with its size, mtime and inode. Equal strings mean "nothing changed".
 * A missing directory gives an empty signature.
 */
export async function filesSignature(dir: string): Promise<string> {
  const parts: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    let names: string[];
    try {
      names = await readdir(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      try {
        const s = await stat(p);
        if (s.isDirectory()) await walk(p, `${rel}${name}/`);
        else if (/\.ya?ml$/.test(name)) parts.push(`${rel}${name}:${s.size}:${s.mtimeMs}:${s.ino}`);
      } catch {
        parts.push(`${rel}${name}:gone`); // deleted while walking: the next poll sees it settled
      }
    }
  };
  await walk(dir, '');
  return parts.join('\n');
}
