/**
 * Parsed YAML files kept between reloads while they are unchanged on disk. Parsing with node
 * positions is slow for a large file: `communes.yaml` (130 KB) takes about 0.1–0.3 s, in one
 * piece that holds up every conversation. An editor's save changes one guide; the large files
 * it did not touch are taken from here. "Unchanged" is what the content watcher uses too: the
 * same size, modification time and inode.
 */
import { stat } from 'node:fs/promises';
import { readYamlFile, type YamlFile } from './yaml-file.ts';

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
