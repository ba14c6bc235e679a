/**
 * `npm run content:check`: validates every content file and prints each problem as
 * `file:line:col  severity: message`, then a one-line summary. Exits 1 on errors.
 * Also checks that every sample question ranks its own guide first (self-retrieval).
 */
import { loadConfig } from '../config.ts';
import { loadContent } from '../content/load.ts';
import { formatProblem, sortProblems, type ContentProblem } from '../content/problems.ts';
import { buildGuideIndex, selfRetrievalCheck } from '../search/index.ts';
import { positionOf, readYamlFile } from '../content/yaml-file.ts';
import { join, relative } from 'node:path';
import { readdir, stat } from 'node:fs/promises';

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

async function main(): Promise<number> {
  const config = loadConfig();
  const dir = config.CONTENT_DIR;
  const result = await loadContent(dir);
  const problems: ContentProblem[] = [...result.problems];
  if (result.bundle) {
    const index = buildGuideIndex(result.bundle);
    for (const miss of selfRetrievalCheck(result.bundle, index)) {
      const path = await findGuideFile(dir, miss.guideId);
      const file = path ? relative(process.cwd(), path) : `${dir}/guides/${miss.guideId}.yaml`;
      let line = 1;
      let col = 1;
      if (path) {
        const y = await readYamlFile(path, file);
        const g = result.bundle.guides.get(miss.guideId);
        const i = g ? g.questions.indexOf(miss.question) : -1;
        ({ line, col } = positionOf(y, ['questions', Math.max(i, 0)]));
      }
      const got = miss.got ? `ranks "${miss.got}" first` : 'matches no guide';
      const message = miss.notCovered
        ? `questions: "${miss.question}" is declined: it names a not-covered topic of intents.yaml (remove that phrase there, or give this guide a keyword phrase the question contains)`
        : `questions: "${miss.question}" ${got}, not this guide`;
      problems.push({ file, line, col, severity: 'warning', message });
    }
  }
  for (const p of sortProblems(problems)) process.stdout.write(`${formatProblem(p)}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const guides = result.bundle?.guideList.length ?? 0;
  process.stdout.write(
    `${errors === 0 ? '✔' : '✖'} ${result.files.length} files, ${guides} guides: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
  );
  return errors > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`content:check failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
