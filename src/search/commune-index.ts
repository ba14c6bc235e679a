/**
 * The names the commune finder knows (former units, new units, former districts, provinces),
 * folded, and the scan that finds them in a message with the kind word written next to them.
 * Pure; built once per content snapshot.
 */
import type { CommuneMatch, CommuneUnit, FormerDistrict, FormerUnit } from '../core/communes.ts';
import { HOME_ALIASES, HOME_PROVINCES, PROVINCE_ALIASES, PROVINCES } from './commune-places.ts';
import { fuzzyKeys, groupKeys, type FuzzyKeys } from './commune-fuzzy.ts';
import { KIND_KEYS, NOT_NAME, ROMAN, toWords } from './commune-text.ts';

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
  /** The names a misspelt one is compared with (see commune-fuzzy.ts). */
  readonly fuzzy: FuzzyKeys;
  /** Every folded word of a name, a kind word or a question word: what a Telex-typed word may spell. */
  readonly vocab: ReadonlySet<string>;
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

/** One id for the spellings {@link variants} makes of a name. */
const variantId = (key: string) => key.replace(/\bnhat\b/g, 'nhut');

/** Extra question words a Telex-typed message may spell (most are in NOT_NAME already). */
const QUESTION_WORDS = 'ten gi nao dau thuoc nhap sap gom doi moi cu gio bay hien nay truoc sau xa phuong huyen quan thi tran'.split(' ');

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
  for (const [alias, name] of Object.entries(HOME_ALIASES)) {
    const entries = names.get(nameKey(name));
    if (entries && !names.has(nameKey(alias))) names.set(nameKey(alias), entries);
  }
  let maxWords = 1;
  for (const key of names.keys()) maxWords = Math.max(maxWords, key.split(' ').length);
  const vocab = new Set([...NOT_NAME, ...QUESTION_WORDS, ...KIND_KEYS.flatMap((k) => k.split(' '))]);
  for (const key of names.keys()) for (const w of key.split(' ')) if (!/^\d+$/.test(w)) vocab.add(w);
  const written = new Set<string>();
  for (const e of new Set([...names.values()].flat())) written.add(e.type === 'former' ? e.former.name : e.type === 'unit' ? e.unit.name : e.type === 'district' ? e.info.district.name : e.name);
  const fuzzy = groupKeys(fuzzyKeys([...written].map((n) => toWords(n).map((w) => w.accented)), variantId));
  return { names, maxWords, fuzzy, vocab };
}
