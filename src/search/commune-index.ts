/**
 * The names the commune finder knows (former units, new units, former districts, provinces),
 * folded, and the scan that finds them in a message with the kind word written next to them.
 * Pure; built once per content snapshot.
 */
import type { CommuneMatch, CommuneUnit, FormerDistrict, FormerUnit } from '../core/communes.ts';
import { HOME_PROVINCES, PROVINCE_ALIASES, PROVINCES } from './commune-places.ts';
import { kindAt, mayBeName, ROMAN, toWords, type KindWord, type Word } from './commune-text.ts';

/** A former district with the new units that took its communes. */
export interface DistrictInfo {
  readonly district: FormerDistrict;
  /** The former province (from the new units' `former_province`). */
  readonly province: string;
  readonly units: readonly { readonly unit: CommuneUnit; readonly from: readonly FormerUnit[] }[];
}

/** What a name may refer to. */
export type NameEntry =
  | { readonly type: 'former'; readonly former: FormerUnit; readonly matches: readonly CommuneMatch[] }
  | { readonly type: 'unit'; readonly unit: CommuneUnit }
  | { readonly type: 'district'; readonly info: DistrictInfo }
  | { readonly type: 'province'; readonly name: string; readonly home: boolean };

/** The folded names, each with what it may refer to. */
export interface NameIndex {
  readonly names: ReadonlyMap<string, readonly NameEntry[]>;
  /** Longest name, in words. */
  readonly maxWords: number;
}

/** The key of a name: folded words; a name that is a Roman numeral becomes its number. */
export function nameKey(name: string): string {
  const words = toWords(name).map((w) => w.folded);
  if (words.length === 1 && ROMAN.has(words[0]!)) return ROMAN.get(words[0]!)!;
  return words.join(' ');
}

/** Southern and standard spellings of the same name ("Trung Nhứt" / "Trung Nhất"). */
function variants(key: string): string[] {
  const alt = key.replace(/\bnhut\b/g, 'nhat');
  return alt === key ? [key] : [key, alt];
}

function add(names: Map<string, NameEntry[]>, name: string, entry: NameEntry): void {
  for (const key of variants(nameKey(name))) {
    const list = names.get(key) ?? [];
    list.push(entry);
    names.set(key, list);
  }
}

/** The former unit an unchanged unit was (itself, in its former district). */
function selfAsFormer(u: CommuneUnit): FormerUnit | undefined {
  if (!u.unchanged) return undefined;
  // Without `former_district` (a content:check warning) only the province is known.
  const district: FormerDistrict = u.formerDistrict ?? { kind: 'huyện', name: '', province: u.formerProvince, label: u.formerProvince };
  return { kind: u.kind, name: u.name, district, share: 'whole', label: `${u.kind} ${u.name} (${district.label})` };
}

/** Every former unit with the new unit(s) it went to, grouped by the unit as written. */
function formerGroups(units: readonly CommuneUnit[]): Map<string, { former: FormerUnit; matches: CommuneMatch[] }> {
  const groups = new Map<string, { former: FormerUnit; matches: CommuneMatch[] }>();
  const put = (former: FormerUnit, match: CommuneMatch) => {
    const key = `${former.kind} ${former.name} (${former.district.label})`;
    const g = groups.get(key) ?? { former, matches: [] };
    g.matches.push(match);
    groups.set(key, g);
  };
  for (const unit of units) {
    unit.formedFrom.forEach((former, index) => put(former, { former, index, unit }));
    const self = selfAsFormer(unit);
    if (self) put(self, { former: self, index: -1, unit });
  }
  return groups;
}

function districtInfos(units: readonly CommuneUnit[]): DistrictInfo[] {
  const byLabel = new Map<string, { district: FormerDistrict; province: string; units: Map<CommuneUnit, FormerUnit[]> }>();
  for (const unit of units) {
    const self = selfAsFormer(unit);
    for (const former of self && unit.formerDistrict ? [self] : unit.formedFrom) {
      const d = byLabel.get(former.district.label) ?? { district: former.district, province: former.district.province ?? unit.formerProvince, units: new Map() };
      d.units.set(unit, [...(d.units.get(unit) ?? []), former]);
      byLabel.set(former.district.label, d);
    }
  }
  return [...byLabel.values()].map((d) => ({ district: d.district, province: d.province, units: [...d.units].map(([unit, from]) => ({ unit, from })) }));
}

/** Builds the name index over the new units (and the provinces of Việt Nam). */
export function buildNameIndex(units: readonly CommuneUnit[]): NameIndex {
  const names = new Map<string, NameEntry[]>();
  for (const { former, matches } of formerGroups(units).values()) add(names, former.name, { type: 'former', former, matches });
  for (const unit of units) add(names, unit.name, { type: 'unit', unit });
  for (const info of districtInfos(units)) add(names, info.district.name, { type: 'district', info });
  const home = new Set([...HOME_PROVINCES, ...units.map((u) => u.formerProvince)].map(nameKey));
  for (const p of PROVINCES) add(names, p, { type: 'province', name: p, home: home.has(nameKey(p)) });
  for (const [alias, p] of Object.entries(PROVINCE_ALIASES)) add(names, alias, { type: 'province', name: alias, home: home.has(nameKey(p)) });
  let maxWords = 1;
  for (const key of names.keys()) maxWords = Math.max(maxWords, key.split(' ').length);
  return { names, maxWords };
}

/** A name found in a message. */
export interface Mention {
  /** First word of the name. */
  readonly start: number;
  /** Word after the name (and after an English kind word standing after it). */
  readonly end: number;
  /** First word of the kind word before the name, else `start`. */
  readonly from: number;
  readonly entries: readonly NameEntry[];
  /** The kind word written with it, before (or, in English, after) the name. */
  readonly kind?: KindWord;
  /** The name as the citizen wrote it. */
  readonly words: readonly Word[];
}

/** A kind word followed by a name the index does not have ("phường Tân Định", "quận 1"). */
export interface UnknownMention {
  readonly from: number;
  readonly end: number;
  readonly kind: KindWord;
  readonly words: readonly Word[];
}

/** The longest known name starting at word `i`. Numbers (and Roman numerals) only after a unit kind. */
function nameAt(index: NameIndex, words: readonly Word[], i: number, afterUnit: boolean): { key: string; length: number } | undefined {
  for (let n = Math.min(index.maxWords, words.length - i); n >= 1; n--) {
    const slice = words.slice(i, i + n);
    if (slice.some((w, k) => k > 0 && w.boundary)) continue;
    let key = slice.map((w) => w.folded).join(' ');
    if (n === 1 && afterUnit && ROMAN.has(key)) key = ROMAN.get(key)!;
    if (/^\d+$/.test(key) && !afterUnit) continue;
    if (!index.names.has(key)) continue;
    // A last word "a"/"b" (Trường Xuân A) is a letter, not the particle "à" / "á".
    if (n > 1 && /^[ab]$/.test(key.slice(-1)) && key.at(-2) === ' ' && slice[n - 1]!.marks) continue;
    return { key, length: n };
  }
  return undefined;
}

/** The words of a name the index does not have, after a Vietnamese kind word (ends before a known name). */
function unknownAt(index: NameIndex, words: readonly Word[], at: number): number {
  const first = words[at]?.folded ?? '';
  if (/^\d+$/.test(first) || ROMAN.has(first)) return at + 1; // "quận 1", "phường 15": a number is the whole name
  let end = at;
  while (end < words.length && end - at < 4 && mayBeName(words, end) && (end === at || (!words[end]!.boundary && !nameAt(index, words, end, false)))) end++;
  return end - at >= 2 ? end : at;
}

/** End of the words that carry on a known name without starting another (at most two). */
function continuation(index: NameIndex, words: readonly Word[], at: number): number {
  let end = at;
  while (end < words.length && end - at < 2 && mayBeName(words, end) && !words[end]!.boundary && !nameAt(index, words, end, false)) end++;
  return end;
}

/** Finds the known names of a message (and kind words followed by unknown names). */
export function scanNames(index: NameIndex, words: readonly Word[]): { mentions: Mention[]; unknown: UnknownMention[] } {
  const mentions: Mention[] = [];
  const unknown: UnknownMention[] = [];
  let i = 0;
  while (i < words.length) {
    const kind = kindAt(words, i);
    const here = nameAt(index, words, i, false);
    if (kind) {
      const j = i + kind.length;
      const after = nameAt(index, words, j, kind.level === 'unit');
      if (after && (!here || j + after.length >= i + here.length)) {
        const end = j + after.length;
        // A known name that goes on ("xã Tân Phú Trung") is a name the data does not have.
        const more = kind.english ? end : continuation(index, words, end);
        if (more > end) unknown.push({ from: i, end: more, kind, words: words.slice(j, more) });
        else mentions.push({ start: j, end, from: i, entries: index.names.get(after.key)!, kind, words: words.slice(j, end) });
        i = more;
        continue;
      }
      if (!here) {
        const end = kind.english ? j : unknownAt(index, words, j);
        if (end > j) unknown.push({ from: i, end, kind, words: words.slice(j, end) });
        i = Math.max(end, j);
        continue;
      }
    }
    if (here) {
      const end = i + here.length;
      const post = kindAt(words, end);
      const english = post?.english ? post : undefined;
      mentions.push({ start: i, end: end + (english?.length ?? 0), from: i, entries: index.names.get(here.key)!, ...(english ? { kind: english } : {}), words: words.slice(i, end) });
      i = end + (english?.length ?? 0);
      continue;
    }
    i++;
  }
  return { mentions, unknown };
}
