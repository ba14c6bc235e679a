/**
 * `npm run fit [-- --file F …] [--max-wrong 0.01] [--oos-declined 0.96] [--write]`: fits the answer/clarify/fallback decision on the
 * project's own question sets (test/fixtures/eval/questions.jsonl, styles.jsonl and every blind
 * round styles-rN / people-rN; `--file` adds more), prints the cross-validated figures per kind of speech, and with `--write` writes the
 * model to src/search/decision-weights.ts. Deterministic: the same content and sets give the
 * same model. Run it after changing how guides are ranked, then `npm run eval`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasVietnameseLetters } from '../core/text.ts';
import { rankCandidates } from '../search/candidates.ts';
import { FEATURE_NAMES, questionFeatures } from '../search/decision-features.ts';
import { ruleVerdict } from '../search/evidence-rules.ts';
import { parseJsonl, type EvalItem } from '../search/eval-score.ts';
import { decidedByIntent, questionShape } from '../search/explain.ts';
import { chooseThresholds, crossValidate, FIT_DEFAULTS, fitLogistic, scoreAt, type FitLine, type FitOptions } from '../search/fit-decision.ts';
import { buildIndexParts, type IndexParts } from '../search/index-parts.ts';
import type { DecisionModel } from '../search/decision-types.ts';
import type { ContentBundle } from '../core/content.ts';
import { analyseQuery } from '../search/query.ts';
import { loadBundleOrExit } from './content-dir.ts';

const EVAL_DIR = fileURLToPath(new URL('../../test/fixtures/eval/', import.meta.url));

/**
 * The project's own question sets, in a fixed order: questions.jsonl, styles.jsonl, then every
 * later round (people-rN, styles-rN) by number. Each round was written blind and measured once
 * before it joined the fit, so the fit learns from how many different people write.
 */
export function ownQuestionSets(files: readonly string[]): string[] {
  const round = (f: string) => Number(/-r(\d+)\.jsonl$/.exec(f)?.[1] ?? 0);
  const rounds = files.filter((f) => /^(styles|people)-r\d+\.jsonl$/.test(f)).sort((a, b) => round(a) - round(b) || a.localeCompare(b));
  return ['questions.jsonl', 'styles.jsonl', ...rounds];
}

const OWN_SETS = ownQuestionSets(readdirSync(EVAL_DIR)).map((f) => join(EVAL_DIR, f));
const WEIGHTS_FILE = fileURLToPath(new URL('../search/decision-weights.ts', import.meta.url));

/** A kind of speech for a line that does not say: English, long, short, without marks, or standard. */
export function inferKind(text: string, english: boolean, contentWords: number): string {
  if (english) return 'english';
  if (contentWords >= 12) return 'long';
  if (contentWords <= 2) return 'short';
  return hasVietnameseLetters(text) ? 'standard' : 'no-marks';
}

/** The fit's view of a line, or undefined when an intent decides it (or it expects a person or a greeting). */
function fitLine(p: IndexParts, it: EvalItem): FitLine | undefined {
  const expect = typeof it.expect === 'string' ? [it.expect] : (it.expect ?? ['@none']);
  if (expect[0] === '@handoff' || expect[0] === '@greeting') return undefined;
  const q = analyseQuery(p.ctx, it.q);
  const candidates = rankCandidates(p, q);
  if (decidedByIntent(p, q, candidates)) return undefined;
  const shape = questionShape(p, q, it.q, candidates);
  const rules = ruleVerdict(candidates, shape.contentWords, p.thresholds, !shape.notCovered).decision;
  const oos = expect[0] === '@none';
  return {
    q: it.q,
    features: questionFeatures(candidates, shape, rules),
    right: !oos && candidates[0] !== undefined && expect.includes(candidates[0].id),
    oos,
    kind: it.kind ?? inferKind(it.q, q.english, q.slots.length),
  };
}

/** The printed table: per kind, cross-validated, at the chosen thresholds. */
function table(lines: readonly FitLine[], p: readonly number[], answerAt: number, clarifyAt: number): string {
  const kinds = [...new Set(lines.map((l) => l.kind))].sort();
  const pct = (a: number, b: number) => (b === 0 ? '–' : `${((a / b) * 100).toFixed(1)} %`);
  const rows = [['all', lines.map((_, i) => i)] as const, ...kinds.map((k) => [k, lines.flatMap((l, i) => (l.kind === k ? [i] : []))] as const)].map(([k, idx]) => {
    const s = scoreAt(idx.map((i) => lines[i]!), idx.map((i) => p[i]!), answerAt, clarifyAt);
    return `${k.padEnd(14)} ${String(s.lines).padStart(5)} ${pct(s.answeredRight, s.inScope).padStart(9)} ${pct(s.clarifiedRight, s.inScope).padStart(9)} ${pct(s.wrong, s.lines).padStart(8)} ${pct(s.declined, s.outOfScope).padStart(9)}`;
  });
  return [`${'kind'.padEnd(14)} ${'lines'.padStart(5)} ${'answered'.padStart(9)} ${'clarified'.padStart(9)} ${'wrong'.padStart(8)} ${'declined'.padStart(9)}`, ...rows].join('\n');
}

/** The weights file's text. */
function weightsSource(model: object): string {
  return `// Written by \`npm run fit -- --write\`: do not edit by hand.\nimport type { DecisionModel } from './decision-types.ts';\n\n/** The fitted decision model. */\nexport const DEFAULT_MODEL: DecisionModel = ${JSON.stringify(model, null, 2)};\n`;
}

/** A fitted decision: the model, the lines it was fitted on, and their cross-validated probabilities. */
export interface FittedDecision {
  readonly model: DecisionModel;
  readonly lines: readonly FitLine[];
  readonly cv: readonly number[];
}

/** Fits the decision on labelled lines over a content bundle (deterministic). `sets`: names for `fittedOn`. */
export function fitDecision(bundle: ContentBundle, items: readonly EvalItem[], sets: readonly string[], options: FitOptions = FIT_DEFAULTS): FittedDecision {
  const p = buildIndexParts(bundle);
  const lines = items.map((it) => fitLine(p, it)).filter((l): l is FitLine => l !== undefined);
  const cv = crossValidate(lines, options);
  const { answerAt, clarifyAt } = chooseThresholds(lines, cv, options);
  const w = fitLogistic(
    lines.map((l) => l.features),
    lines.map((l) => (l.right ? 1 : 0)),
    options,
  );
  const round = (xs: readonly number[]) => xs.map((x) => Math.round(x * 1e6) / 1e6);
  const model: DecisionModel = {
    features: [...FEATURE_NAMES],
    mean: round(w.mean),
    scale: round(w.scale),
    weights: round(w.weights),
    bias: Math.round(w.bias * 1e6) / 1e6,
    answerAt,
    clarifyAt,
    fittedOn: `${lines.length} lines of ${sets.join(', ')}; ${options.folds}-fold CV by kind; wrong ≤ ${options.maxWrong * 100} %, out of scope declined ≥ ${options.oosDeclined * 100} %`,
  };
  return { model, lines, cv };
}

/** The share (between 0 and 1) after a flag, or the default. */
function shareFlag(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  const share = at >= 0 ? Number(argv[at + 1]) : fallback;
  if (!(share > 0 && share < 1)) throw new Error(`${name} takes a share between 0 and 1, such as ${fallback}`);
  return share;
}

async function main(argv: readonly string[]): Promise<number> {
  const files = [...OWN_SETS, ...argv.flatMap((a, i) => (argv[i - 1] === '--file' ? [a] : []))];
  const bundle = await loadBundleOrExit();
  const items = files.flatMap((f) => parseJsonl(readFileSync(f, 'utf8')));
  // `--max-wrong 0.01`: a tighter wrong-answer budget than the target, for sets fresher than the
  // fit's; `--oos-declined 0.96`: a higher share of out-of-scope lines clarifyAt must still decline.
  const options = { ...FIT_DEFAULTS, maxWrong: shareFlag(argv, '--max-wrong', FIT_DEFAULTS.maxWrong), oosDeclined: shareFlag(argv, '--oos-declined', FIT_DEFAULTS.oosDeclined) };
  const { model, lines, cv } = fitDecision(bundle, items, files.map((f) => f.split('/').pop()!), options);
  const { answerAt, clarifyAt } = model;
  process.stdout.write(`${lines.length} lines (intents and person/greeting lines left out); answerAt ${answerAt}, clarifyAt ${clarifyAt}\n`);
  process.stdout.write(`cross-validated, ${options.folds} folds stratified by kind of speech:\n${table(lines, cv, answerAt, clarifyAt)}\n`);
  const ruleIdx = FEATURE_NAMES.indexOf('rulesAnswer');
  const rules = scoreAt(lines, lines.map((l) => l.features[ruleIdx]!), 0.5, 0.5);
  process.stdout.write(`the evidence rules alone: answered ${((rules.answeredRight / rules.inScope) * 100).toFixed(1)} %, wrong ${((rules.wrong / rules.lines) * 100).toFixed(1)} %\n`);
  if (argv.includes('--write')) {
    writeFileSync(WEIGHTS_FILE, weightsSource(model));
    process.stdout.write(`written: ${WEIGHTS_FILE}\n`);
  }
  return 0;
}

const isMain = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`fit: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
