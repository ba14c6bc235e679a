/**
 * Where the CLI tools (ask, eval, bench) find the content, and loading it for them.
 * `CONTENT_DIR` is read through src/config.ts, like every other setting.
 */
import { loadConfig } from '../config.ts';
import { loadContent } from '../content/load.ts';
import { formatProblem } from '../content/problems.ts';
import type { ContentBundle } from '../core/content.ts';

/** The content directory: `CONTENT_DIR`, default `./content`. */
export function contentDirFromEnv(): string {
  return loadConfig().CONTENT_DIR;
}

/**
 * Loads the content for a CLI tool. On content errors, writes them to stderr and exits 2
 * (stdout stays clean for the tools whose output is a contract).
 */
export async function loadBundleOrExit(dir: string = contentDirFromEnv()): Promise<ContentBundle> {
  const result = await loadContent(dir);
  if (!result.bundle) {
    for (const p of result.problems.filter((x) => x.severity === 'error')) {
      process.stderr.write(`${formatProblem(p)}\n`);
    }
    process.stderr.write(`content in ${dir} has errors; nothing indexed\n`);
    process.exit(2);
  }
  return result.bundle;
}
