/**
 * Reads one YAML file keeping node positions, so that a schema problem at a path
 * (e.g. `steps.2.text`) can be reported at the line and column where it is written.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { ContentProblem } from './problems.ts';

/** A parsed YAML file (or its syntax problems). */
export interface YamlFile {
  readonly file: string;
  readonly data: unknown;
  readonly doc: Document;
  readonly lines: LineCounter;
  /** Syntax errors; when non-empty, `data` must not be trusted. */
  readonly syntaxProblems: ContentProblem[];
}

/** Parses text as YAML. `file` is the name used in problems (relative paths read best). */
export function parseYamlText(file: string, text: string): YamlFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntaxProblems: ContentProblem[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      col: pos.col,
      severity: 'error',
      message: `YAML syntax: ${e.message.split('\n')[0]}`,
    };
  });
  let data: unknown = null;
  if (syntaxProblems.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      syntaxProblems.push({ file, line: 1, col: 1, severity: 'error', message: `YAML: ${String(err)}` });
    }
  }
  return { file, data, doc, lines, syntaxProblems };
}

/** Reads and parses a YAML file from disk. */
export async function readYamlFile(path: string, displayName: string): Promise<YamlFile> {
  return parseYamlText(displayName, await readFile(path, 'utf8'));
}

/**
 * A read file without its syntax tree: the data, and the text to parse again should a position
 * be needed (only for a problem). Thousands of guides' syntax trees kept through a load weigh
 * hundreds of MB, and collecting them holds the event loop up for a quarter of a second.
 */
export async function readYamlFileLight(path: string, displayName: string): Promise<YamlFile> {
  return parseYamlTextLight(displayName, await readFile(path, 'utf8'));
}

/** Parses text as YAML as {@link readYamlFileLight} does: no syntax tree kept unless a position is asked for. */
export function parseYamlTextLight(displayName: string, text: string): YamlFile {
  const full = parseYamlText(displayName, text);
  if (full.syntaxProblems.length > 0) return full;
  let again: YamlFile | undefined;
  const parsed = () => (again ??= parseYamlText(displayName, text));
  return {
    file: displayName,
    data: full.data,
    syntaxProblems: [],
    get doc() {
      return parsed().doc;
    },
    get lines() {
      return parsed().lines;
    },
  };
}

/**
 * The 1-based line and column of the value at `path`; for a missing key, the nearest
 * existing parent (so "missing field" points at the map that lacks it).
 */
export function positionOf(y: YamlFile, path: readonly PropertyKey[]): { line: number; col: number } {
  const keys = path.map((k) => (typeof k === 'symbol' ? String(k) : k));
  for (let n = keys.length; n > 0; n--) {
    const sub = keys.slice(0, n);
    const node = y.doc.getIn(sub, true);
    if (!isNode(node)) continue;
    // Point at the key when the value sits in a map (where editors look); else at the value.
    const parent = n === 1 ? y.doc.contents : y.doc.getIn(sub.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === sub[n - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return y.lines.linePos(pair.key.range[0]);
    }
    if (node.range) return y.lines.linePos(node.range[0]);
  }
  return { line: 1, col: 1 };
}

/** Validates `y.data` with a zod schema, turning each issue into a positioned problem. */
export function validateYaml<S extends z.ZodType>(
  y: YamlFile,
  schema: S,
): { ok: true; value: z.infer<S> } | { ok: false; problems: ContentProblem[] } {
  if (y.syntaxProblems.length > 0) return { ok: false, problems: y.syntaxProblems };
  const result = schema.safeParse(y.data);
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue): ContentProblem => {
    const at = issue.code === 'unrecognized_keys' && issue.keys[0] ? [...issue.path, issue.keys[0]] : issue.path;
    const { line, col } = positionOf(y, at);
    const field = issue.path.length > 0 ? issue.path.join('.') : '(file)';
    const present = valueAt(y.data, issue.path) !== undefined;
    return { file: y.file, line, col, severity: 'error', message: `${field}: ${describeIssue(issue, present)}` };
  });
  return { ok: false, problems };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function describeIssue(issue: z.core.$ZodIssue, present: boolean): string {
  if (issue.code === 'invalid_type') {
    if (!present) return `is required (${issue.expected === 'array' ? 'a list' : issue.expected})`;
    return `must be ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a map' : `a ${issue.expected}`}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.join(', ')}`;
  return issue.message;
}
