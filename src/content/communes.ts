/**
 * Loads `communes.yaml` (the 2025 commune arrangement) from the content directory. Optional: a
 * missing file means no commune finder. A broken file is reported with its positions but never
 * blocks the rest of the content: the guides load without it.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { CommunesFileSchema, communeUnitsOf, type CommuneUnit } from '../core/communes.ts';
import type { ContentProblem } from './problems.ts';
import { positionOf, readYamlFile, validateYaml } from './yaml-file.ts';
import type { YamlReader } from './yaml-cache.ts';

/** The communes file name, relative to the content directory. */
export const COMMUNES_FILE = 'communes.yaml';

/** What loading the communes file produced. */
export interface CommunesLoad {
  /** The parsed units; absent when the file is missing or has errors. */
  readonly units?: readonly CommuneUnit[];
  readonly problems: readonly ContentProblem[];
  /** `[COMMUNES_FILE]` when the file exists, else empty. */
  readonly files: readonly string[];
}

/**
 * Reads and validates `<dir>/communes.yaml`. `display` turns a path into the name used in
 * problems (the loader's relative-path rule); `read` reads and parses it (default
 * `readYamlFile`). Never throws.
 */
export async function loadCommunes(dir: string, display: (path: string) => string, read: YamlReader = readYamlFile): Promise<CommunesLoad> {
  const path = join(dir, COMMUNES_FILE);
  try {
    await access(path);
  } catch {
    return { problems: [], files: [] };
  }
  const files = [COMMUNES_FILE];
  try {
    const y = await read(path, display(path));
    const r = validateYaml(y, CommunesFileSchema);
    if (!r.ok) return { problems: r.problems, files };
    const problems: ContentProblem[] = [];
    r.value.forEach((e, i) => {
      if (e.unchanged === true && e.former_district === undefined) {
        const { line, col } = positionOf(y, [i, 'unchanged']);
        problems.push({ file: y.file, line, col, severity: 'warning', message: `${i}.unchanged: unchanged unit "${e.name}" has no former_district: the bot cannot tell it from same-name units elsewhere` });
      }
    });
    return { units: communeUnitsOf(r.value), problems, files };
  } catch (err) {
    return { problems: [{ file: display(path), line: 1, col: 1, severity: 'error', message: `cannot read: ${(err as Error).message}` }], files };
  }
}
