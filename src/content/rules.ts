/**
 * Cross-file content rules that a schema cannot express: duplicate ids, dangling `related`,
 * unknown categories, non-https or non-official links, guides past their review date.
 */
import type { Guide } from '../core/guide.ts';
import type { ContentProblem } from './problems.ts';
import { positionOf, type YamlFile } from './yaml-file.ts';

const DAY_MS = 86_400_000;

/** Context the rules need. */
export interface RuleContext {
  readonly categories: ReadonlySet<string>;
  /** Ids of every guide file, including invalid ones (for `related`). */
  readonly knownIds?: ReadonlySet<string>;
  readonly officialDomains: readonly string[];
  readonly today: Date;
}

/** True when `host` is one of the official domains or a sub-domain of one. */
export function isOfficialHost(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d.toLowerCase() || h.endsWith(`.${d.toLowerCase()}`));
}

/** The date a guide must be reviewed by (explicit `review_by`, or `reviewed` + `review_every_days`). */
export function reviewDueDate(guide: Guide): Date {
  if (guide.review_by) return new Date(`${guide.review_by}T00:00:00Z`);
  const reviewed = new Date(`${guide.reviewed}T00:00:00Z`).getTime();
  return new Date(reviewed + (guide.review_every_days ?? 365) * DAY_MS);
}

/** Applies every cross-file rule; returns the problems found. */
export function checkGuides(parsed: readonly { guide: Guide; y: YamlFile }[], ctx: RuleContext): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const at = (y: YamlFile, path: PropertyKey[], severity: 'error' | 'warning', message: string) => {
    const { line, col } = positionOf(y, path);
    problems.push({ file: y.file, line, col, severity, message });
  };
  const firstById = new Map<string, YamlFile>();
  for (const { guide, y } of parsed) {
    const seen = firstById.get(guide.id);
    if (seen) at(y, ['id'], 'error', `id: duplicate id "${guide.id}" (also in ${seen.file})`);
    else firstById.set(guide.id, y);
  }
  for (const { guide, y } of parsed) {
    const base = y.file.split(/[\\/]/).pop()?.replace(/\.ya?ml$/, '');
    if (base !== guide.id) at(y, ['id'], 'warning', `id: "${guide.id}" differs from the file name "${base}" (name files <id>.yaml)`);
    if (!ctx.categories.has(guide.category)) {
      at(y, ['category'], 'error', `category: unknown category "${guide.category}" (see categories.yaml)`);
    }
    guide.related.forEach((id, i) => {
      if (!firstById.has(id) && !ctx.knownIds?.has(id)) at(y, ['related', i], 'error', `related: no guide has id "${id}"`);
      if (id === guide.id) at(y, ['related', i], 'warning', 'related: a guide should not list itself');
    });
    const links: { path: PropertyKey[]; url: string }[] = [
      ...guide.links.map((l, i) => ({ path: ['links', i, 'url'], url: l.url })),
      ...guide.steps.flatMap((s, i) => (s.link ? [{ path: ['steps', i, 'link'], url: s.link }] : [])),
      ...guide.en.steps.flatMap((s, i) => (s.link ? [{ path: ['en', 'steps', i, 'link'], url: s.link }] : [])),
      ...guide.where.flatMap((w, i) => (w.url ? [{ path: ['where', i, 'url'], url: w.url }] : [])),
      ...guide.contacts.flatMap((c, i) => (c.url ? [{ path: ['contacts', i, 'url'], url: c.url }] : [])),
    ];
    for (const { path, url } of links) {
      let parsedUrl: URL;
      try {
        parsedUrl = new URL(url);
      } catch {
        at(y, path, 'error', `${path.join('.')}: not a valid URL "${url}"`);
        continue;
      }
      if (parsedUrl.protocol !== 'https:') {
        at(y, path, 'error', `${path.join('.')}: link must use https ("${url}")`);
      } else if (!isOfficialHost(parsedUrl.hostname, ctx.officialDomains)) {
        at(y, path, 'warning', `${path.join('.')}: "${parsedUrl.hostname}" is not in the official domains (content/domains.yaml)`);
      }
    }
    if (guide.en.steps.length !== guide.steps.length) {
      at(y, ['en', 'steps'], 'warning', `en.steps: ${guide.en.steps.length} English steps for ${guide.steps.length} Vietnamese ones`);
    }
    const due = reviewDueDate(guide);
    const overdueDays = Math.floor((ctx.today.getTime() - due.getTime()) / 86_400_000);
    if (overdueDays > 0) {
      at(y, ['reviewed'], 'warning', `reviewed: past its review date by ${overdueDays} day${overdueDays === 1 ? '' : 's'} (due ${due.toISOString().slice(0, 10)})`);
    }
  }
  return problems;
}
