/**
 * Holds the live content snapshot and swaps it atomically on reload. A reload that finds any
 * error keeps the old snapshot serving and remembers the problems (for logs and the console).
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import type { ContentBundle, ContentSnapshot } from '../core/content.ts';
import type { GuideIndex, Logger } from '../core/ports.ts';
import { loadContent } from './load.ts';
import { formatProblem, type ContentProblem } from './problems.ts';

/** Builds a search index over a bundle (the search module's builder, injected). */
export type IndexBuilder = (bundle: ContentBundle) => GuideIndex;

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
  private last: ReloadOutcome | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reloading: Promise<ReloadOutcome> | null = null;
  private readonly listeners = new Set<(o: ReloadOutcome) => void>();

  constructor(
    private readonly dir: string,
    private readonly buildIndex: IndexBuilder,
    private readonly logger: Logger,
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
    const result = await loadContent(this.dir);
    const errors = result.problems.filter((p) => p.severity === 'error');
    let outcome: ReloadOutcome;
    if (!result.bundle || errors.length > 0) {
      for (const p of errors.slice(0, 50)) this.logger.error({ problem: formatProblem(p) }, 'content problem');
      this.logger.error({ errors: errors.length, dir: this.dir }, this.snapshot ? 'content reload rejected: old content keeps serving' : 'content invalid: nothing to serve');
      outcome = { ok: false, version: this.snapshot?.version ?? '', problems: result.problems, atMs };
    } else {
      const index = this.buildIndex(result.bundle);
      const version = fingerprint(result.bundle);
      this.snapshot = { content: result.bundle, index, loadedAtMs: atMs, version };
      this.logger.info({ guides: result.bundle.guideList.length, version, warnings: result.problems.length }, 'content loaded');
      outcome = { ok: true, version, problems: result.problems, atMs };
    }
    this.last = outcome;
    for (const l of this.listeners) l(outcome);
    return outcome;
  }

  /** Watches the content directory and reloads (debounced) on any change. */
  watch(debounceMs = 300): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.reload(), debounceMs);
      });
      this.watcher.on('error', (err) => this.logger.warn({ err: String(err) }, 'content watcher error'));
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'cannot watch content directory; use SIGHUP or the reload API');
    }
  }

  /** Stops watching. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
  }
}

function fingerprint(bundle: ContentBundle): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([bundle.guideList, bundle.categories, bundle.messages, bundle.synonyms, bundle.intents]));
  return h.digest('hex').slice(0, 12);
}
