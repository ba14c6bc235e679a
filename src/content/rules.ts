/**
 * Cross-file content rules that a schema cannot express: duplicate ids, dangling `related`,
 * unknown categories, links (see links.ts), guides past their review date, fees with an amount
 * but no date to re-check it.
 */
import { runSteps, type Steps } from '../search/steps.ts';
import type { Guide, SiteName } from '../core/guide.ts';
import { checkGuideLinks, type LinkFinding, type LinkRuleContext } from './links.ts';
import type { ContentProblem } from './problems.ts';
import { daysOverdue, reviewDueDate, statedAmount } from './review.ts';
import { positionOf, type YamlFile } from './yaml-file.ts';

export { isOfficialHost } from './links.ts';
export { reviewDueDate } from './review.ts';

/** Context the rules need. A setting whose file did not load is `undefined`: its rule is skipped. */
export interface RuleContext {
  /** Category ids (`categories.yaml`); undefined when that file failed (its errors say why). */
  readonly categories?: ReadonlySet<string>;
  /**
   * Guide files that failed to load, by every id they may have (the `id` written in them and
   * their file name): a `related` entry naming one is folded into one line naming that file.
   */
  readonly failedIds?: ReadonlyMap<string, string>;
  /** Official domains (`domains.yaml`); undefined when that file failed. */
  readonly officialDomains?: readonly string[];
  /** Known site names → domains (`domains.yaml`), for the title/domain check of links. */
  readonly siteNames?: readonly SiteName[];
  readonly today: Date;
}

/** A guide that passed the schema, with its parsed file (for positions). */
export interface ParsedGuide {
  readonly guide: Guide;
  readonly y: YamlFile;
}

type At = (y: YamlFile, path: readonly PropertyKey[], severity: 'error' | 'warning', message: string) => void;

/** Applies every cross-file rule; returns the problems found. */
export function checkGuides(parsed: readonly ParsedGuide[], ctx: RuleContext): ContentProblem[] {
  return runSteps(checkGuidesSteps(parsed, ctx));
}

/** {@link checkGuides} in steps (see search/steps.ts): one guide per step. */
export function* checkGuidesSteps(parsed: readonly ParsedGuide[], ctx: RuleContext): Steps<ContentProblem[]> {
  const problems: ContentProblem[] = [];
  const at: At = (y, path, severity, message) => {
    const { line, col } = positionOf(y, path);
    problems.push({ file: y.file, line, col, severity, message });
  };
  const firstById = checkDuplicateIds(parsed, at);
  const links: LinkRuleContext = { officialDomains: ctx.officialDomains, siteNames: ctx.siteNames ?? [] };
  const linksKey = JSON.stringify(links);
  const toFailed = new Map<string, { by: ParsedGuide; index: number; others: string[] }>();
  for (const p of parsed) {
    checkIdentity(p, ctx, at);
    checkRelated(p, firstById, ctx, at, toFailed);
    for (const f of guideLinkFindings(p.guide, links, linksKey)) {
      at(p.y, f.path, f.severity, f.message);
    }
    checkDates(p, ctx.today, at);
    yield;
  }
  for (const [id, { by, index, others }] of toFailed) {
    const also = others.length > 0 ? `; also listed by ${others.join(', ')}` : '';
    at(by.y, ['related', index], 'error', `related: "${id}" is the guide in ${ctx.failedIds?.get(id)}, which did not load (fix that file's errors first)${also}`);
  }
  return problems;
}

/**
 * Each guide's link findings with the link rules they were found under (as JSON). A loader that
 * keeps parsed files between loads (yaml-cache.ts `ParsedFiles`) hands an unchanged guide back
 * as the same object: its links are not checked again unless the rules changed (domains.yaml).
 */
const linkFindings = new WeakMap<Guide, { readonly key: string; readonly findings: readonly LinkFinding[] }>();

function guideLinkFindings(guide: Guide, links: LinkRuleContext, key: string): readonly LinkFinding[] {
  const kept = linkFindings.get(guide);
  if (kept?.key === key) return kept.findings;
  const findings = checkGuideLinks(guide, links);
  linkFindings.set(guide, { key, findings });
  return findings;
}

/** Reports ids used twice; returns the first file of each id. */
function checkDuplicateIds(parsed: readonly ParsedGuide[], at: At): Map<string, YamlFile> {
  const firstById = new Map<string, YamlFile>();
  for (const { guide, y } of parsed) {
    const seen = firstById.get(guide.id);
    if (seen) at(y, ['id'], 'error', `id: duplicate id "${guide.id}" (also in ${seen.file})`);
    else firstById.set(guide.id, y);
  }
  return firstById;
}

/** The id matches the file name; the category exists; as many English steps as Vietnamese. */
function checkIdentity({ guide, y }: ParsedGuide, ctx: RuleContext, at: At): void {
  const base = y.file.split(/[\\/]/).pop()?.replace(/\.ya?ml$/, '');
  if (base !== guide.id) at(y, ['id'], 'warning', `id: "${guide.id}" differs from the file name "${base}" (name files <id>.yaml)`);
  if (ctx.categories && !ctx.categories.has(guide.category)) {
    at(y, ['category'], 'error', `category: unknown category "${guide.category}" (see categories.yaml)`);
  }
  if (guide.en.steps.length !== guide.steps.length) {
    at(y, ['en', 'steps'], 'warning', `en.steps: ${guide.en.steps.length} English steps for ${guide.steps.length} Vietnamese ones`);
  }
}

/** `related` ids exist; ids of guide files that failed to load are collected in `toFailed`. */
function checkRelated(
  p: ParsedGuide,
  firstById: ReadonlyMap<string, YamlFile>,
  ctx: RuleContext,
  at: At,
  toFailed: Map<string, { by: ParsedGuide; index: number; others: string[] }>,
): void {
  p.guide.related.forEach((id, i) => {
    if (id === p.guide.id) at(p.y, ['related', i], 'warning', 'related: a guide should not list itself');
    if (firstById.has(id)) return;
    if (ctx.failedIds?.has(id)) {
      const seen = toFailed.get(id);
      if (!seen) toFailed.set(id, { by: p, index: i, others: [] });
      else if (seen.by !== p && !seen.others.includes(p.guide.id)) seen.others.push(p.guide.id);
      return;
    }
    at(p.y, ['related', i], 'error', `related: no guide has id "${id}"`);
  });
}

/** Past the review date; a fee amount with no `review_by` to re-check it. */
function checkDates({ guide, y }: ParsedGuide, today: Date, at: At): void {
  const overdue = daysOverdue(guide, today);
  if (overdue > 0) {
    const due = reviewDueDate(guide).toISOString().slice(0, 10);
    const field = guide.review_by && due === guide.review_by ? 'review_by' : 'reviewed';
    at(y, [field], 'warning', `${field}: past its review date by ${overdue} day${overdue === 1 ? '' : 's'} (due ${due})`);
  }
  if (guide.review_by) return;
  for (const path of [['fees'], ['en', 'fees']] as const) {
    const amount = statedAmount(path.length === 1 ? guide.fees : guide.en.fees);
    if (amount) {
      at(y, path, 'warning', `${path.join('.')}: states an amount ("${amount}") but the guide has no review_by: add the date this fee should be checked again`);
      return;
    }
  }
}
