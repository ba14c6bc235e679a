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

/** Errors first, then by file and position. */
export function sortProblems(problems: readonly ContentProblem[]): ContentProblem[] {
  return [...problems].sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col,
  );
}
