// The README and docs/ link to each other: every relative link must reach a file that exists,
// and every #anchor a heading of that file (as GitHub names headings).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** The README and every Markdown file under docs/. */
function docFiles(): string[] {
  const out = [join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.md')) out.push(p);
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk(join(ROOT, 'docs'));
  return out;
}

/** The text without fenced code blocks and inline code, where a link is only an example. */
export function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Link targets of Markdown links and images, and of HTML `href`/`src` attributes. */
export function linkTargets(markdown: string): string[] {
  const text = withoutCode(markdown);
  const targets: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(m[1]!);
  for (const m of text.matchAll(/<(?:a|img)\b[^>]*?\s(?:href|src)="([^"]+)"/g)) targets.push(m[1]!);
  return targets;
}

/** GitHub's anchor of a heading: lower case, Markdown marks and punctuation dropped, spaces → '-'. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a Markdown file offers (duplicates get -1, -2 … as on GitHub). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const text = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const m of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** What is wrong with the relative links of one file, one line per broken link. */
function brokenLinks(file: string): string[] {
  const where = relative(ROOT, file);
  const problems: string[] = [];
  for (const target of linkTargets(readFileSync(file, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: … are not checked here
    if (target.startsWith('/')) {
      problems.push(`${where}: ${target} is absolute; link relative to the file`);
      continue;
    }
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const path = pathPart === '' ? file : resolve(dirname(file), decodeURI(pathPart));
    if (relative(ROOT, path).startsWith('..')) {
      problems.push(`${where}: ${target} leaves the repository`);
      continue;
    }
    if (!existsSync(path)) {
      problems.push(`${where}: ${target} — no such file`);
      continue;
    }
    if (anchor !== undefined && anchor !== '') {
      if (!path.endsWith('.md')) {
        problems.push(`${where}: ${target} — an anchor into a file that is not Markdown`);
      } else if (!anchorsOf(readFileSync(path, 'utf8')).has(decodeURIComponent(anchor))) {
        problems.push(`${where}: ${target} — no heading #${anchor} in ${relative(ROOT, path)}`);
      }
    }
  }
  return problems;
}

describe('links between the README and docs/', () => {
  it('finds links, images and anchors the way GitHub reads them (the guard itself works)', () => {
    const md = [
      '# Run it',
      'See [ops](docs/operations.md#health-metrics-shutdown) and ![shot](docs/img/a.png).',
      '<img src="docs/img/b.png" width="300"> and [web](https://example.org/x).',
      '`[not a link](nowhere.md)`',
      '```',
      '[also not](nowhere.md)',
      '# not a heading',
      '```',
      '## What `content:check` reports',
      '## Zalo Bot Platform (quick to set up, text only)',
      '## Run it',
    ].join('\n');
    // Markdown links first, then HTML attributes.
    expect(linkTargets(md)).toEqual(['docs/operations.md#health-metrics-shutdown', 'docs/img/a.png', 'https://example.org/x', 'docs/img/b.png']);
    expect([...anchorsOf(md)]).toEqual(['run-it', 'what-contentcheck-reports', 'zalo-bot-platform-quick-to-set-up-text-only', 'run-it-1']);
    expect(slug('Retrieval quality — 2026-12-06')).toBe('retrieval-quality--2026-12-06');
    expect(slug('Thẻ căn cước')).toBe('thẻ-căn-cước');
  });

  it('the README and the docs it maps exist', () => {
    const files = docFiles().map((f) => relative(ROOT, f));
    for (const doc of ['operations', 'editors', 'staff', 'channels', 'search', 'architecture', 'benchmarks']) {
      expect(files).toContain(join('docs', `${doc}.md`));
    }
  });

  it.each(docFiles().map((f) => [relative(ROOT, f), f]))('every relative link of %s resolves', (_name, file) => {
    expect(brokenLinks(file)).toEqual([]);
  });

  it('the README links every page of docs/', () => {
    const readme = linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((t) => t.split('#')[0]);
    const pages = docFiles().filter((f) => f.endsWith('.md') && !f.endsWith('README.md')).map((f) => relative(ROOT, f));
    expect(pages.filter((p) => !readme.includes(p))).toEqual([]);
  });
});
