// content:check rules: one broken fixture per rule, asserting the exact message and position.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { formatProblem } from '../../src/content/problems.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'content-min');
const TODAY = new Date('2026-11-27T00:00:00Z');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh copy of the minimal valid content, with `edit` applied to one file. */
function contentWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

async function problemsOf(dir: string): Promise<string[]> {
  const r = await loadContent(dir, { today: TODAY });
  return r.problems.map((p) => formatProblem({ ...p, file: relative(dir, p.file.startsWith('/') ? p.file : join(process.cwd(), p.file)) }));
}

const ALPHA = 'guides/alpha-guide.yaml';

describe('content rules', () => {
  it('the minimal fixture is valid', async () => {
    const r = await loadContent(FIXTURE, { today: TODAY });
    expect(r.problems).toEqual([]);
    expect(r.bundle?.guideList.map((g) => g.id)).toEqual(['alpha-guide', 'beta-guide']);
  });

  it('YAML syntax error: position of the broken line', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('keywords: [alpha]', 'keywords: [alpha'));
    expect(await problemsOf(dir)).toContainEqual(expect.stringMatching(/^guides\/alpha-guide\.yaml:6:\d+  error: YAML syntax: /));
    const r = await loadContent(dir, { today: TODAY });
    expect(r.bundle).toBeUndefined();
  });

  it('missing field: points at the map that lacks it', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('summary: Một hướng dẫn nhỏ để kiểm tra.\n', ''));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:1:1  error: summary: is required (string)');
  });

  it('wrongly typed field: points at the value', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('keywords: [alpha]', 'keywords: alpha'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:5:1  error: keywords: must be a list');
  });

  it('unknown field: points at the key', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('keywords: [alpha]', 'keywords: [alpha]\nkeywrods: [x]'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:6:1  error: (file): unknown field(s) keywrods');
  });

  it('duplicate ids', async () => {
    const dir = contentWith('guides/beta-guide.yaml', (t) => t.replace('id: beta-guide', 'id: alpha-guide'));
    const problems = await problemsOf(dir);
    expect(problems).toContainEqual(expect.stringMatching(/^guides\/beta-guide\.yaml:1:1  error: id: duplicate id "alpha-guide" \(also in .*guides\/alpha-guide\.yaml\)$/));
  });

  it('related ids that do not exist', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('related: [beta-guide]', 'related: [beta-guide, gamma-guide]'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:23:23  error: related: no guide has id "gamma-guide"');
  });

  it('links that are not https', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('    link: https://dichvucong.gov.vn', '    link: http://dichvucong.gov.vn'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:15:5  error: steps.1.link: link must use https ("http://dichvucong.gov.vn")');
  });

  it('links outside the official domains are a warning', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('    url: https://dichvucong.gov.vn', '    url: https://example.com/page'));
    const problems = await problemsOf(dir);
    expect(problems).toContain('guides/alpha-guide.yaml:18:5  warning: links.0.url: "example.com" is not in the official domains (content/domains.yaml)');
    expect((await loadContent(dir, { today: TODAY })).bundle).toBeDefined();
  });

  it('a guide past its review date is a warning with the number of days', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('reviewed: 2026-11-01', 'reviewed: 2026-01-01'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:21:1  warning: reviewed: past its review date by 150 days (due 2026-06-30)');
  });

  it('empty steps', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('  - text: Bước thứ nhất.', '  - text: ""'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:13:5  error: steps.0.text: must not be empty');
    const none = contentWith(ALPHA, (t) => t.replace(/steps:\n  - text: Bước thứ nhất.\n  - text: Bước thứ hai.\n    link: https:\/\/dichvucong.gov.vn\n/, 'steps: []\n'));
    expect(await problemsOf(none)).toContain('guides/alpha-guide.yaml:12:1  error: steps: needs at least one step');
  });

  it('an English block missing steps', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace(/  steps:\n    - text: First step.\n    - text: Second step.\n/, ''));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:24:1  error: en.steps: is required (a list)');
  });

  it('fewer than five sample questions', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('  - alpha năm\n', ''));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:6:1  error: questions: needs at least 5 sample questions');
  });

  it('an unknown category', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('category: vneid', 'category: weather'));
    expect(await problemsOf(dir)).toContain('guides/alpha-guide.yaml:2:1  error: category: unknown category "weather" (see categories.yaml)');
  });

  it('a message missing in one language', async () => {
    const dir = contentWith('messages/en.yaml', (t) => t.replace(/^fallback\.suggest:.*\n/m, ''));
    expect(await problemsOf(dir)).toContain('messages/en.yaml:1:1  error: missing message "fallback.suggest" (present in vi.yaml)');
  });
});

describe('npm run content:check', () => {
  const run = promisify(execFile);
  it('passes on the real content and prints a summary', async () => {
    const { stdout } = await run('npx', ['tsx', 'src/cli/content-check.ts'], { cwd: join(import.meta.dirname, '..', '..'), env: { ...process.env, CONTENT_DIR: './content' } });
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^✔ \d+ files, 42 guides: 0 errors, \d+ warnings?$/);
  });

  it('exits non-zero with file:line:col lines on a broken file (honouring CONTENT_DIR)', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('related: [beta-guide]', 'related: [nope]'));
    const err = await run('npx', ['tsx', 'src/cli/content-check.ts'], { cwd: join(import.meta.dirname, '..', '..'), env: { ...process.env, CONTENT_DIR: dir } }).catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stdout: string }).stdout).toMatch(/alpha-guide\.yaml:23:11 {2}error: related: no guide has id "nope"/);
    expect((err as { stdout: string }).stdout).toMatch(/✖ .*1 error/);
  });
});
