/**
 * Parsed YAML files kept between reloads while they are unchanged on disk. Parsing with node
 * positions is slow for a large file: `communes.yaml` (130 KB) takes about 0.1–0.3 s, in one
 * piece that holds up every conversation. An editor's save changes one guide; the large files
 * it did not touch are taken from here. "Unchanged" is what the content watcher uses too: the
 * same size, modification time and inode.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { parseYamlText, parseYamlTextLight, readYamlFile, type YamlFile } from './yaml-file.ts';

/** Files from this size on are kept (small ones parse in a millisecond or two). */
export const YAML_CACHE_MIN_BYTES = 32 * 1024;

/** Reads a YAML file as `readYamlFile` does. */
export type YamlReader = (path: string, displayName: string) => Promise<YamlFile>;

/** Keeps large parsed files by path, with the signature they were read at. */
export class YamlCache {
  readonly #files = new Map<string, { signature: string; displayName: string; file: YamlFile }>();

  constructor(private readonly minBytes = YAML_CACHE_MIN_BYTES) {}

  /** The parsed file: from the cache when its size, mtime and inode are those it was parsed at. */
  readonly read: YamlReader = async (path, displayName) => {
    const s = await stat(path);
    const signature = `${s.size}:${s.mtimeMs}:${s.ino}`;
    const kept = this.#files.get(path);
    if (kept && kept.signature === signature && kept.displayName === displayName) return kept.file;
    const file = await readYamlFile(path, displayName);
    if (s.size >= this.minBytes) this.#files.set(path, { signature, displayName, file });
    else this.#files.delete(path);
    return file;
  };
}

/** A file as the {@link ParsedFiles} cache keeps it: the text it was parsed from, and how. */
interface KeptFile {
  readonly text: string;
  readonly displayName: string;
  readonly light: boolean;
  readonly file: YamlFile;
}

/**
 * Every file a load parsed, kept until the next load, which parses only the files whose text
 * changed (the load worker keeps one between reloads: an editor's save re-parses one file of
 * thousands). Compared by text, not by size and mtime: reading a file is cheap next to parsing
 * it, and an edit that keeps the size within the mtime's resolution is still seen. A file no
 * load read since the last one (removed) is dropped when the next load starts.
 */
export class ParsedFiles {
  /** Files read by the load in progress (or the last one). */
  #current = new Map<string, KeptFile>();
  /** The last load's files, while the next one runs. */
  #previous = new Map<string, KeptFile>();
  /** The display names of the files parsed (not taken from the cache) since {@link startLoad}. */
  parsed: string[] = [];

  /**
   * `sync`: read files with `readFileSync` — for a worker thread, which has no one to give its
   * loop to; thousands of asynchronous reads cost a round trip to the thread pool each.
   */
  constructor(sync = false) {
    this.#sync = sync;
  }

  readonly #sync: boolean;

  /** Starts a load: the files of the last one are what it may reuse. */
  startLoad(): void {
    this.#previous = this.#current;
    this.#current = new Map();
    this.parsed = [];
  }

  /** Ends a load: the files it did not read (removed ones) are let go. */
  endLoad(): void {
    this.#previous = new Map();
  }

  /** Reads as `readYamlFile` does. */
  readonly read: YamlReader = (path, displayName) => this.#read(path, displayName, false);

  /** Reads as `readYamlFileLight` does. */
  readonly readLight: YamlReader = (path, displayName) => this.#read(path, displayName, true);

  async #read(path: string, displayName: string, light: boolean): Promise<YamlFile> {
    const text = this.#sync ? readFileSync(path, 'utf8') : await readFile(path, 'utf8');
    const kept = this.#current.get(path) ?? this.#previous.get(path);
    if (kept && kept.text === text && kept.displayName === displayName && kept.light === light) {
      this.#current.set(path, kept);
      return kept.file;
    }
    const file = light ? parseYamlTextLight(displayName, text) : parseYamlText(displayName, text);
    this.parsed.push(displayName);
    this.#current.set(path, { text, displayName, light, file });
    return file;
  }
}
