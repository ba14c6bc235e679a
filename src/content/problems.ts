/**
 * Content problems with their position, printed by `content:check` as `file:line:col  message`.
 */

/** One problem found in a content file. Lines and columns are 1-based. */
export interface ContentProblem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** `file:line:col  severity: message`, the format editors' tools (and editors' eyes) understand. */
export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}:${p.col}  ${p.severity}: ${p.message}`;
}

/**
 * Errors first, then warnings; among errors, those of `rootFiles` (files that failed to load,
 * the root causes) come before the others, in the order given; then by file and position.
 */
export function sortProblems(problems: readonly ContentProblem[], rootFiles: readonly string[] = []): ContentProblem[] {
  const rank = (p: ContentProblem) => {
    if (p.severity !== 'error') return rootFiles.length + 1;
    const i = rootFiles.indexOf(p.file);
    return i >= 0 ? i : rootFiles.length;
  };
  return [...problems].sort(
    (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
}
