// content:check rules: one broken fixture per rule, asserting the exact message and position.
// The checker runs in-process (runContentCheck); one test spawns the real CLI for its exit code.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.ts';
import { loadContent } from '../../src/content/load.ts';
import { ALPHA, FIXTURE, ROOT, TODAY, contentWith, problemsOf } from './helpers.ts';

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

describe('content:check as a function', () => {
  it('passes on the real content and ends with a summary', async () => {
    const r = await runContentCheck(join(ROOT, 'content'));
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.summaryText.split('\n').at(-1)).toMatch(/^✔ \d+ files, 42 guides: 0 errors, \d+ warnings?$/);
  });

  it('reports a broken file with file:line:col lines and exit code 1', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('related: [beta-guide]', 'related: [nope]'));
    const r = await runContentCheck(dir, { today: TODAY });
    expect(r.exitCode).toBe(1);
    expect(r.lines).toContainEqual(expect.stringMatching(/alpha-guide\.yaml:23:11 {2}error: related: no guide has id "nope"$/));
    expect(r.summaryText).toMatch(/^✖ 9 files, 2 guides: 1 error, 0 warnings$/);
  });
});

describe('npm run content:check (the real CLI)', () => {
  const run = promisify(execFile);
  // Spawning tsx is slow on a busy machine: the only test that does, with a generous timeout.
  it('prints the problems and the summary and exits 1 on errors (honouring CONTENT_DIR)', { timeout: 60_000 }, async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('related: [beta-guide]', 'related: [nope]'));
    const err = await run('npx', ['tsx', 'src/cli/content-check.ts'], { cwd: ROOT, env: { ...process.env, CONTENT_DIR: dir } }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code: number; stdout: string }) => e,
    );
    expect(err.code).toBe(1);
    const out = err.stdout.trim().split('\n');
    expect(out[0]).toMatch(/alpha-guide\.yaml:23:11 {2}error: related: no guide has id "nope"$/);
    expect(out.at(-1)).toBe('✖ 9 files, 2 guides: 1 error, 0 warnings');
  });
});
