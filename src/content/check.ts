/**
 * The whole of `content:check` as a function: load and validate the content directory, check that
 * every sample question finds its own guide, order the problems (root causes first) and write
 * the summary. The CLI (src/cli/content-check.ts) only prints the result; tests call it in-process.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ContentBundle } from '../core/content.ts';
import { buildGuideIndex, selfRetrievalCheck } from '../search/index.ts';
import { newEmojiIn, SAFE_EMOJI_VERSION } from './emoji-age.ts';
import { loadContent, type LoadResult } from './load.ts';
import { formatProblem, sortProblems, type ContentProblem } from './problems.ts';
import { guidesDue, type GuideDue } from './review.ts';
import { positionOf, readYamlFile } from './yaml-file.ts';

/** Options of {@link runContentCheck}. */
export interface ContentCheckOptions {
  /** The day review dates are compared with (default: now). */
  readonly today?: Date;
  /** Skip the sample-question check (it builds the search index; the rest is quick). */
  readonly skipSelfRetrieval?: boolean;
}

/** What a content check found. */
export interface ContentCheckResult {
  /** Every problem, in reading order: root causes first, then other errors, then warnings. */
  readonly problems: readonly ContentProblem[];
  /** The problems as printed, one `file:line:col  severity: message` line each. */
  readonly lines: readonly string[];
  /** The closing lines: guides due for review, files that failed, and the counts. */
  readonly summaryText: string;
  /** 0 without errors, 1 with. */
  readonly exitCode: 0 | 1;
  /** Guides past their review date, most overdue first. */
  readonly due: readonly GuideDue[];
  /** Guides that passed the schema. */
  readonly guidesLoaded: number;
  /** Files that failed to read, parse or validate. */
  readonly failedFiles: readonly string[];
}

/** Runs every content check over `dir`. Never throws for bad content. */
export async function runContentCheck(dir: string, options: ContentCheckOptions = {}): Promise<ContentCheckResult> {
  const today = options.today ?? new Date();
  const result = await loadContent(dir, { today });
  const problems: ContentProblem[] = [...result.problems, ...(await emojiProblems(dir, result.files))];
  if (result.bundle && !options.skipSelfRetrieval) problems.push(...(await selfRetrievalProblems(dir, result.bundle)));
  const sorted = sortProblems(problems, result.failedFiles);
  const due = guidesDue(result.guides, today);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  return {
    problems: sorted,
    lines: sorted.map(formatProblem),
    summaryText: summarise(result, due, errors, sorted.length - errors),
    exitCode: errors > 0 ? 1 : 0,
    due,
    guidesLoaded: result.guides.length,
    failedFiles: result.failedFiles,
  };
}

/**
 * A warning for every emoji newer than Emoji 11.0 in the content files: older phones, which many
 * elderly citizens use, show them as empty boxes. Unreadable files are reported elsewhere.
 */
async function emojiProblems(dir: string, files: readonly string[]): Promise<ContentProblem[]> {
  const problems: ContentProblem[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), 'utf8').catch(() => '');
    for (const { emoji, index } of newEmojiIn(text)) {
      const before = text.slice(0, index).split('\n');
      problems.push({
        file: relative(process.cwd(), join(dir, file)) || file,
        line: before.length,
        col: (before.at(-1)?.length ?? 0) + 1,
        severity: 'warning',
        message: `${emoji} is newer than Emoji ${SAFE_EMOJI_VERSION}: older phones show it as an empty box; use an older emoji`,
      });
    }
  }
  return problems;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The summary: the guides due for review, the files that failed, then one line with the
 * counts (`✔ 49 files, 42 guides: 0 errors, 2 warnings`).
 */
export function summarise(result: Pick<LoadResult, 'files' | 'guides' | 'failedFiles'>, due: readonly GuideDue[], errors: number, warnings: number): string {
  const lines: string[] = [];
  if (due.length > 0) {
    lines.push(`Due for review (${due.length}): ${due.map((d) => `${d.id} (due ${d.due})`).join(', ')}`);
  }
  if (result.failedFiles.length > 0) {
    lines.push(`Did not load (${result.failedFiles.length}): ${result.failedFiles.join(', ')}`);
  }
  const failed = result.failedFiles.length > 0 ? ` (${plural(result.failedFiles.length, 'file')} failed to load)` : '';
  lines.push(
    `${errors === 0 ? '✔' : '✖'} ${plural(result.files.length, 'file')}, ${plural(result.guides.length, 'guide')}${failed}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  );
  return lines.join('\n');
}

/** Sample questions that do not rank their own guide first, as warnings at the question. */
async function selfRetrievalProblems(dir: string, bundle: ContentBundle): Promise<ContentProblem[]> {
  const problems: ContentProblem[] = [];
  const index = buildGuideIndex(bundle);
  for (const miss of selfRetrievalCheck(bundle, index)) {
    const path = await findGuideFile(dir, miss.guideId);
    const file = path ? relative(process.cwd(), path) : `${dir}/guides/${miss.guideId}.yaml`;
    let position = { line: 1, col: 1 };
    if (path) {
      const y = await readYamlFile(path, file);
      const i = bundle.guides.get(miss.guideId)?.questions.indexOf(miss.question) ?? -1;
      position = positionOf(y, ['questions', Math.max(i, 0)]);
    }
    const got = miss.got ? `ranks "${miss.got}" first` : 'matches no guide';
    const message = miss.notCovered
      ? `questions: "${miss.question}" is declined: it names a not-covered topic of intents.yaml (remove that phrase there, or give this guide a keyword phrase the question contains)`
      : `questions: "${miss.question}" ${got}, not this guide`;
    problems.push({ file, ...position, severity: 'warning', message });
  }
  return problems;
}

async function findGuideFile(dir: string, id: string): Promise<string | null> {
  const walk = async (d: string): Promise<string | null> => {
    for (const name of await readdir(d)) {
      const p = join(d, name);
      if ((await stat(p)).isDirectory()) {
        const r = await walk(p);
        if (r) return r;
      } else if (name === `${id}.yaml` || name === `${id}.yml`) return p;
    }
    return null;
  };
  return walk(join(dir, 'guides')).catch(() => null);
}
