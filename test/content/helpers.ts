// Shared helpers of the content:check tests: a fresh copy of the minimal valid content with
// edits applied, and its problems as printed lines with paths relative to the copy.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { formatProblem, type ContentProblem } from '../../src/content/problems.ts';
import { loadContent } from '../../src/content/load.ts';

/** The minimal valid content (two guides). */
export const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'content-min');
/** The repository root (where `content/` lives). */
export const ROOT = join(import.meta.dirname, '..', '..');
/** The day the tests compare review dates with (the fixture guides are not due on it). */
export const TODAY = new Date('2026-11-27T00:00:00Z');
/** The first fixture guide. */
export const ALPHA = 'guides/alpha-guide.yaml';
/** The second fixture guide. */
export const BETA = 'guides/beta-guide.yaml';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of the repository's real content (removed after the test). */
export function realContentCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-real-'));
  dirs.push(dir);
  cpSync(join(ROOT, 'content'), dir, { recursive: true });
  return dir;
}

/** A fresh copy of the minimal valid content, with `edit` applied to one file. */
export function contentWith(file: string, edit: (text: string) => string): string {
  return contentWithEdits({ [file]: edit });
}

/** A fresh copy of the minimal valid content, with an edit applied to each named file (a string replaces it). */
export function contentWithEdits(edits: Record<string, ((text: string) => string) | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits)) {
    const path = join(dir, file);
    writeFileSync(path, typeof edit === 'string' ? edit : edit(readFileSync(path, 'utf8')));
  }
  return dir;
}

/** A problem as printed, its file relative to the content dir `dir`. */
export function lineOf(dir: string, p: ContentProblem): string {
  return formatProblem({ ...p, file: relative(dir, p.file.startsWith('/') ? p.file : join(process.cwd(), p.file)) });
}

/** The problems loading `dir` finds, as printed lines relative to `dir`. */
export async function problemsOf(dir: string, today: Date = TODAY): Promise<string[]> {
  const r = await loadContent(dir, { today });
  return r.problems.map((p) => lineOf(dir, p));
}
