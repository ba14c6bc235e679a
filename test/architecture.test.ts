// Doors open inward: src/core and src/search must not import the outer rings or I/O libraries.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from './support/imports.ts';

const ROOT = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const FORBIDDEN_PACKAGES = ['telegraf', 'ioredis', 'fastify', 'yaml', 'pino', 'prom-client', 'node:fs', 'fs', 'node:http', 'http', 'node:net', 'node:child_process'];
const OUTER_RINGS = ['channels', 'stores', 'http', 'content', 'console', 'cli', 'log'];

function violations(ring: 'core' | 'search', allowedInner: string[], allowedPackages: string[]): string[] {
  const out: string[] = [];
  for (const file of files(join(ROOT, 'src', ring))) {
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const where = relative(ROOT, file);
      if (spec.startsWith('.')) {
        const target = relative(join(ROOT, 'src'), join(file, '..', spec));
        const top = target.split(/[\\/]/)[0]!;
        if (target.startsWith('..') || !allowedInner.includes(top)) out.push(`${where} imports ${spec}`);
      } else if (FORBIDDEN_PACKAGES.includes(spec) || !allowedPackages.includes(spec)) {
        out.push(`${where} imports package ${spec}`);
      }
    }
  }
  return out;
}

describe('architecture', () => {
  it('finds imports of every form (the guard itself works)', () => {
    const src = "import a from 'x';\nimport type { B } from \"../stores/y.ts\";\nexport { c } from './z.ts';\nconst d = await import('fastify');\nimport 'side';";
    expect(importsOf(src)).toEqual(['x', '../stores/y.ts', './z.ts', 'fastify', 'side']);
  });

  it('src/core imports only src/core (and zod for the content schema)', () => {
    expect(violations('core', ['core'], ['zod'])).toEqual([]);
  });

  it('src/search imports only src/core, src/search and fuse.js', () => {
    expect(violations('search', ['core', 'search'], ['fuse.js'])).toEqual([]);
  });

  it('the outer rings exist where DESIGN.md says', () => {
    for (const ring of ['channels', 'stores', 'http', 'content']) expect(OUTER_RINGS).toContain(ring);
    expect(statSync(join(ROOT, 'src', 'core', 'ports.ts')).isFile()).toBe(true);
  });
});
