// content:check puts the root cause first: a guide file that fails to load is reported before
// (and instead of) the errors it causes elsewhere, every problem of a file shows in one run,
// and the summary counts what did load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.ts';
import { ALPHA, BETA, FIXTURE, TODAY, contentWithEdits, lineOf, problemsOf } from './helpers.ts';

const alpha = readFileSync(join(FIXTURE, ALPHA), 'utf8');
/** A third guide that, like alpha, lists beta as related. */
const GAMMA = alpha.replace(/alpha/g, 'gamma');
const brokenBeta = (t: string) => t.replace('keywords: [beta]', 'keywords: [beta');

describe('root cause first', () => {
  it('a guide that does not parse comes first; the guides linking to it get one line naming it', async () => {
    const dir = contentWithEdits({ [BETA]: brokenBeta, 'guides/gamma-guide.yaml': GAMMA });
    const r = await runContentCheck(dir, { today: TODAY });
    const lines = r.problems.map((p) => lineOf(dir, p));
    expect(lines[0]).toMatch(/^guides\/beta-guide\.yaml:6:\d+ {2}error: YAML syntax: /);
    const related = lines.filter((l) => l.includes('related:'));
    expect(related).toHaveLength(1);
    expect(related[0]).toMatch(
      /^guides\/alpha-guide\.yaml:23:\d+ {2}error: related: "beta-guide" is the guide in .*guides\/beta-guide\.yaml, which did not load \(fix that file's errors first\); also listed by gamma-guide$/,
    );
    expect(lines.findIndex((l) => l.includes('related:'))).toBeGreaterThan(lines.findIndex((l) => l.startsWith('guides/beta-guide.yaml')));
    expect(lines.join('\n')).not.toContain('no guide has id');
  });

  it('also when the broken guide is valid YAML but fails the schema', async () => {
    const dir = contentWithEdits({ [BETA]: (t) => t.replace('summary: Một hướng dẫn nhỏ để kiểm tra.\n', '') });
    const lines = (await runContentCheck(dir, { today: TODAY })).problems.map((p) => lineOf(dir, p));
    expect(lines).toEqual([
      'guides/beta-guide.yaml:1:1  error: summary: is required (string)',
      expect.stringMatching(/^guides\/alpha-guide\.yaml:23:\d+ {2}error: related: "beta-guide" is the guide in .*beta-guide\.yaml, which did not load/),
    ]);
  });

  it('counts the guides that loaded and names the files that did not', async () => {
    const dir = contentWithEdits({ [BETA]: brokenBeta });
    const r = await runContentCheck(dir, { today: TODAY });
    expect(r.guidesLoaded).toBe(1);
    expect(r.failedFiles).toEqual([expect.stringMatching(/guides\/beta-guide\.yaml$/)]);
    const summary = r.summaryText.split('\n');
    expect(summary[0]).toMatch(/^Did not load \(1\): .*guides\/beta-guide\.yaml$/);
    expect(summary.at(-1)).toMatch(/^✖ 9 files, 1 guide \(1 file failed to load\): \d+ errors, 0 warnings$/);
    expect(r.exitCode).toBe(1);
  });

  it('a broken categories.yaml is reported alone, not as an unknown category in every guide', async () => {
    const dir = contentWithEdits({ 'categories.yaml': (t) => t.replace('  - id: vneid\n', '  - idd: vneid\n') });
    const lines = await problemsOf(dir);
    expect(lines.some((l) => l.startsWith('categories.yaml:'))).toBe(true);
    expect(lines.join('\n')).not.toContain('unknown category');
  });

  it('a broken domains.yaml does not make every link a warning', async () => {
    const dir = contentWithEdits({ 'domains.yaml': 'official_domains: []\n' });
    const lines = await problemsOf(dir);
    expect(lines).toEqual(['domains.yaml:1:1  error: official_domains: Too small: expected array to have >=1 items']);
  });
});

describe('every problem of a file in one run', () => {
  it('all schema problems of a guide, including the missing review field', async () => {
    const dir = contentWithEdits({
      [ALPHA]: (t) => t.replace('summary: Một hướng dẫn nhỏ để kiểm tra.\n', '').replace('keywords: [alpha]', 'keywords: [alpha]\nkeywrods: [x]').replace('review_every_days: 180\n', '').replace('  - text: Bước thứ nhất.', '  - text: ""'),
    });
    const lines = (await problemsOf(dir)).filter((l) => l.startsWith('guides/alpha-guide.yaml'));
    expect(lines).toEqual(
      expect.arrayContaining([
        'guides/alpha-guide.yaml:1:1  error: summary: is required (string)',
        'guides/alpha-guide.yaml:5:1  error: (file): unknown field(s) keywrods',
        'guides/alpha-guide.yaml:13:5  error: steps.0.text: must not be empty',
        'guides/alpha-guide.yaml:1:1  error: review_every_days: needs review_every_days or review_by',
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('every YAML syntax error the parser returns', async () => {
    const dir = contentWithEdits({ [ALPHA]: (t) => t.replace('keywords: [alpha]', 'keywords: [alpha').replace('title: Alpha test guide', 'title: "Alpha test guide') });
    const lines = (await problemsOf(dir)).filter((l) => l.includes('YAML syntax'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^guides\/alpha-guide\.yaml:6:\d+ /);
    expect(lines.at(-1)).toMatch(/Missing closing "quote/);
  });
});
