/**
 * Link rules of a guide: every URL it holds (links, step links, places and contacts, sources,
 * and addresses written inside its text) is checked for what breaks or misleads citizens:
 * not https, outside the official domains, ending in punctuation ("https://x.gov.vn."), or a
 * title that names one site while the URL points to another.
 */
import type { Guide, SiteName } from '../core/guide.ts';

/** Where a URL sits in a guide, and how it is shown. */
export interface LinkEntry {
  /** Path of the field in the guide (for positions and messages). */
  readonly path: readonly PropertyKey[];
  readonly url: string;
  /** The words shown with it (a link's title, a place's or contact's name), if any. */
  readonly title?: string;
  /** False for `sources` (editors' references, never shown to citizens). */
  readonly shown: boolean;
}

/** One finding of the link rules, still without a file position. */
export interface LinkFinding {
  readonly path: readonly PropertyKey[];
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** What the link rules need besides the guide. */
export interface LinkRuleContext {
  /** Official domains (`content/domains.yaml`); `undefined` when that file did not load. */
  readonly officialDomains?: readonly string[];
  readonly siteNames: readonly SiteName[];
}

/** Characters that end a sentence or a bracket, not an address. */
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"…]+$/;
/** An address written in running text (up to the next space). */
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>]+/g;
/** Fields whose strings are searched, not shown as prose (no addresses expected in them). */
const NOT_PROSE = new Set(['keywords', 'questions', 'signs', 'links', 'sources', 'related', 'url', 'link', 'id', 'category']);

/** True when `host` is one of the official domains or a sub-domain of one. */
export function isOfficialHost(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some((d) => h === d.toLowerCase() || h.endsWith(`.${d.toLowerCase()}`));
}

/** Lower case, without Vietnamese marks, words separated by single spaces (for name matching). */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Every URL field of a guide: links, step links (both languages), places, contacts, sources. */
export function linkEntries(guide: Guide): LinkEntry[] {
  return [
    ...guide.links.map((l, i) => ({ path: ['links', i, 'url'], url: l.url, title: l.title, shown: true })),
    ...guide.steps.flatMap((s, i) => (s.link ? [{ path: ['steps', i, 'link'], url: s.link, shown: true }] : [])),
    ...guide.en.steps.flatMap((s, i) => (s.link ? [{ path: ['en', 'steps', i, 'link'], url: s.link, shown: true }] : [])),
    ...guide.where.flatMap((w, i) => (w.url ? [{ path: ['where', i, 'url'], url: w.url, title: w.name, shown: true }] : [])),
    ...guide.contacts.flatMap((c, i) => (c.url ? [{ path: ['contacts', i, 'url'], url: c.url, title: c.name, shown: true }] : [])),
    ...guide.sources.map((url, i) => ({ path: ['sources', i], url, shown: false })),
  ];
}

/**
 * The site names a title mentions, longest first, dropping a name that only appears inside a
 * longer one it matched ("Bộ Công an" inside "Dịch vụ công Bộ Công an").
 */
export function sitesNamedIn(title: string, siteNames: readonly SiteName[]): SiteName[] {
  const folded = ` ${foldName(title)} `;
  const hits = siteNames
    .map((site) => ({ site, name: foldName(site.name) }))
    .filter(({ name }) => name.length > 0 && folded.includes(` ${name} `))
    .sort((a, b) => b.name.length - a.name.length);
  return hits.filter((h, i) => !hits.slice(0, i).some((longer) => longer.name.includes(h.name))).map((h) => h.site);
}

/** The problems of one URL field. */
export function checkLinkEntry(entry: LinkEntry, ctx: LinkRuleContext): LinkFinding[] {
  const field = entry.path.join('.');
  const out: LinkFinding[] = [];
  const add = (severity: 'error' | 'warning', message: string) => out.push({ path: entry.path, severity, message: `${field}: ${message}` });
  const trailing = TRAILING_PUNCTUATION.exec(entry.url)?.[0];
  if (trailing) add('warning', `the URL ends with "${trailing}" ("${entry.url}"): drop it, or the link opens a wrong page`);
  let url: URL;
  try {
    url = new URL(entry.url);
  } catch {
    add('error', `not a valid URL "${entry.url}"`);
    return out;
  }
  if (!entry.shown) return out;
  if (url.protocol !== 'https:') add('error', `link must use https ("${entry.url}")`);
  else if (ctx.officialDomains && !isOfficialHost(url.hostname, ctx.officialDomains)) {
    add('warning', `"${url.hostname}" is not in the official domains (content/domains.yaml)`);
  }
  const named = entry.title ? sitesNamedIn(entry.title, ctx.siteNames) : [];
  if (named.length > 0 && !named.some((site) => isOfficialHost(url.hostname, site.domains))) {
    const expected = named.flatMap((site) => site.domains).join(' or ');
    add('warning', `"${entry.title}" names ${named.map((s) => `"${s.name}"`).join(', ')} (${expected}) but the link goes to ${url.hostname}: fix the title or the URL`);
  }
  return out;
}

/** Every string of the guide shown as prose, with its path (summary, steps, fees, notes, problems…). */
export function proseStrings(value: unknown, path: PropertyKey[] = []): { path: PropertyKey[]; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => proseStrings(v, [...path, i]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (NOT_PROSE.has(k) ? [] : proseStrings(v, [...path, k])));
}

/** Addresses written inside the guide's text: punctuation glued to them, or plain http. */
export function checkUrlsInText(guide: Guide): LinkFinding[] {
  const out: LinkFinding[] = [];
  for (const { path, text } of proseStrings(guide)) {
    for (const [written] of text.matchAll(URL_IN_TEXT)) {
      const field = path.join('.');
      const trailing = TRAILING_PUNCTUATION.exec(written)?.[0];
      if (trailing) {
        const address = written.slice(0, -trailing.length);
        out.push({ path, severity: 'warning', message: `${field}: "${trailing}" right after ${address} is read as part of the link by some apps: end the line with the address, or write the site's name instead` });
      }
      if (written.startsWith('http://')) out.push({ path, severity: 'warning', message: `${field}: ${written} is not https` });
    }
  }
  return out;
}

/** All link rules of one guide. */
export function checkGuideLinks(guide: Guide, ctx: LinkRuleContext): LinkFinding[] {
  return [...linkEntries(guide).flatMap((entry) => checkLinkEntry(entry, ctx)), ...checkUrlsInText(guide)];
}
