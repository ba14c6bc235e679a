// The house rules of issue 17: no function in src/ over 80 lines, no file over 400, no import circle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { importsOf } from './support/imports.ts';

const ROOT = join(import.meta.dirname, '..');
const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 400;

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(p) ? [p] : [];
  });
}

/** Functions (declarations, methods, arrows, expressions) longer than `max` lines, whole span. */
export function longFunctions(file: string, source: string, max: number): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const from = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const to = sf.getLineAndCharacterOfPosition(node.end).line;
      const name = 'name' in node && node.name ? node.name.getText(sf) : '(anonymous)';
      if (to - from + 1 > max) out.push(`${relative(ROOT, file)}:${from + 1} ${name} is ${to - from + 1} lines`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Import circles among the given TypeScript files (relative imports only), each as a path. */
export function importCircles(all: readonly string[]): string[] {
  const graph = new Map<string, string[]>();
  for (const f of all) {
    const targets = importsOf(readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(f), s));
    graph.set(f, targets.filter((t) => graph.has(t) || all.includes(t)));
  }
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const walk = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open') circles.push([...stack.slice(stack.indexOf(t)), t].map((p) => relative(ROOT, p)).join(' → '));
      else if (!state.has(t)) walk(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of all) if (!state.has(f)) walk(f);
  return circles;
}

describe('house rules', () => {
  const sources = files(join(ROOT, 'src'), /\.(ts|js)$/);

  it('the guards work on a sample', () => {
    const body = Array.from({ length: 90 }, () => '  x++;').join('\n');
    expect(longFunctions('a.ts', `function big() {\n${body}\n}\nconst ok = () => 1;`, MAX_FUNCTION_LINES)).toHaveLength(1);
    expect(longFunctions('a.ts', 'const ok = () => 1;', MAX_FUNCTION_LINES)).toEqual([]);
  });

  it(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    expect(sources.flatMap((f) => longFunctions(f, readFileSync(f, 'utf8'), MAX_FUNCTION_LINES))).toEqual([]);
  });

  it(`no file in src/ is longer than ${MAX_FILE_LINES} lines`, () => {
    const long = sources
      .map((f) => ({ f: relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > MAX_FILE_LINES);
    expect(long).toEqual([]);
  });

  it('no import circle in src/', () => {
    expect(importCircles(files(join(ROOT, 'src'), /\.ts$/))).toEqual([]);
  });
});
