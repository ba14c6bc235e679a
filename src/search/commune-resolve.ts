/**
 * From the names found in a message and its cues to one answer: which name is asked about (the
 * subject), which names only say where it was (its qualifiers: "xã Mỹ Khánh huyện Phong Điền",
 * "P.3 Sóc Trăng"), and whether it is a former unit, a new one or a former district.
 */
import type { CommuneAnswer, CommuneMatch, CommuneUnit, FormerDistrict } from '../core/communes.ts';
import type { CommuneCues } from './commune-cues.ts';
import { nameKey, type DistrictInfo, type NameEntry } from './commune-index.ts';
import type { Mention, UnknownMention } from './commune-scan.ts';
import { agreesWithMarks, titleCase, type Word } from './commune-text.ts';

const NONE: CommuneAnswer = { kind: 'none' };
/** Words allowed between a name and the name that says where it is ("Mỹ Phước ở Mỹ Tú"). */
const LINKS = new Set(['o', 'cua', 'tai', 'in', 'of', 'cu', 'thuoc', 'ben', 'phia', 'trong', 'tren', 'the', 's']);

type Former = Extract<NameEntry, { type: 'former' }>;
const formersOf = (m: Mention) => m.entries.filter((e): e is Former => e.type === 'former');
const unitsOf = (m: Mention) => m.entries.flatMap((e) => (e.type === 'unit' ? [e.unit] : []));
const districtsOf = (m: Mention) => m.entries.flatMap((e) => (e.type === 'district' ? [e.info] : []));
const provincesOf = (m: Mention) => m.entries.flatMap((e) => (e.type === 'province' ? [e] : []));

/** Keeps the items `keep` accepts, or all of them when it accepts none (a kind word written loosely). */
function narrow<T>(items: readonly T[], keep: (t: T) => boolean): readonly T[] {
  const kept = items.filter(keep);
  return kept.length > 0 ? kept : items;
}

/** Groups mentions into chains: a name followed by the names that say where it is. */
export function chainsOf(mentions: readonly Mention[], words: readonly Word[]): Mention[][] {
  const chains: Mention[][] = [];
  for (const m of mentions) {
    const last = chains.at(-1)?.at(-1);
    const between = last ? words.slice(last.end, m.from).map((w) => w.folded) : [];
    const linked = last !== undefined && between.length <= 2 && between.every((w) => LINKS.has(w));
    // A name with a unit kind word starts its own chain ("phường An Hòa nay là phường Cái Khế").
    if (linked && m.kind?.level !== 'unit') chains.at(-1)!.push(m);
    else chains.push([m]);
  }
  return chains;
}

/** A name is province-like when it is written as a province or can be nothing else. */
function isProvince(m: Mention): boolean {
  const written = m.kind?.level === 'province' || (m.kind?.kinds.includes('thành phố') ?? false);
  return provincesOf(m).length > 0 && (written || m.entries.every((e) => e.type === 'province'));
}

/** 0: a unit written with its kind; 0.5: a bare unit name; 1: a district; 2: a province, or only a province's name (never the subject). */
function level(m: Mention): number {
  // A bare province name ("Sóc Trăng") is the province, even where a city or ward had its name.
  if ((isProvince(m) && districtsOf(m).length === 0) || (!m.kind && provincesOf(m).length > 0) || m.kind?.level === 'province') return 2;
  if (m.kind?.level === 'district') return 1;
  if (m.kind?.level === 'unit' || m.kind?.level === 'town') return 0;
  return formersOf(m).length > 0 || unitsOf(m).length > 0 ? 0.5 : districtsOf(m).length > 0 ? 1 : 2;
}

/** Hamlets and quarters ("ấp Tân Phú", "khóm 3") are below the communes: their names are not units. */
const HAMLET = new Set(['ap', 'khom', 'to', 'thon', 'xom']);

/** The mentions that may name a unit, district or province (a hamlet's name is dropped). */
export function withoutHamlets(mentions: readonly Mention[], words: readonly Word[]): Mention[] {
  return mentions.filter((m) => m.kind !== undefined || !HAMLET.has(words[m.from - 1]?.folded ?? ''));
}

/** Verbs before a name that is the answer the citizen guesses ("… giờ thuộc phường Cái Khế hả"). */
const ANSWER_VERBS = new Set(['thuoc', 'la', 'thanh', 'vo', 'vao', 've', 'sang', 'qua', 'into', 'became', 'become']);

/** True when only link words stand between the end of one name and the start of the next. */
function adjacent(words: readonly Word[], end: number, from: number): boolean {
  const between = words.slice(end, from).map((w) => w.folded);
  return between.length <= 2 && between.every((w) => LINKS.has(w));
}

/**
 * The chain asked about: a unit before a district, the first one first. A district or province
 * written just before a unit with its kind word says where that unit is ("Sóc Trăng phường 3",
 * "Cai Rang's Hung Phu ward"): it joins the chain as a qualifier.
 */
export function subjectOf(chains: readonly Mention[][], words: readonly Word[] = []): Mention[] | undefined {
  const candidates = chains.filter((c) => level(c[0]!) < 2);
  // A name after "thuộc", "thành", "về"… with another name before it is the citizen's guess at the answer.
  const named = new Set(chains.flat().flatMap((m) => Array.from({ length: m.end - m.from }, (_, k) => m.from + k)));
  const before = (c: readonly Mention[]) => c[0]!.from - 1;
  const guess = (c: readonly Mention[]) => (c !== candidates[0] && !named.has(before(c)) && ANSWER_VERBS.has(words[before(c)]?.folded ?? '') ? 1 : 0);
  const ranked = [...candidates].sort((a, b) => guess(a) - guess(b) || level(a[0]!) - level(b[0]!) || a[0]!.from - b[0]!.from);
  const subject = ranked[0];
  if (!subject) return undefined;
  const prev = chains[chains.indexOf(subject) - 1];
  const head = subject[0]!;
  const qualifies = (m: Mention) => m.kind?.level !== 'unit' && (districtsOf(m).length > 0 || provincesOf(m).length > 0);
  if (prev && head.kind?.level === 'unit' && prev.every(qualifies) && adjacent(words, prev.at(-1)!.end, head.from)) return [...subject, ...prev];
  return subject;
}

/** "cũ" / "mới" written with the subject, or English "old" / "new" before it. */
export function markerOf(words: readonly Word[], chain: readonly Mention[]): 'old' | 'new' | undefined {
  const head = chain[0]!;
  const end = Math.max(...chain.map((m) => m.end));
  const after = words.slice(head.end, end + 2).map((w) => w.folded);
  const before = words.slice(Math.max(0, head.from - 4), head.from).map((w) => w.folded);
  // Small words between the kind and the name ("phường cũ Trà Nóc", "xã mới An Thạnh").
  const inside = words.slice(head.from, head.start).map((w) => w.folded);
  if (after.includes('cu') || inside.includes('cu') || before.some((w) => w === 'cu' || w === 'old' || w === 'former' || w === 'formerly' || w === 'used')) return 'old';
  if (after.includes('moi') || inside.includes('moi') || before.slice(-2).includes('new')) return 'new';
  return undefined;
}

/** True when the message is little more than the name and its marker ("Trà Nóc cũ?"). */
export function isShort(words: readonly Word[], chain: readonly Mention[]): boolean {
  const named = chain.reduce((n, m) => n + (m.end - m.from), 0);
  return words.length - named <= 3;
}

/**
 * True when the message is only the name of a unit that no longer exists, with its kind word
 * ("phường VII Vị Thanh", "xã Mỹ Khánh"): nothing else to read it as.
 */
export function isBareFormer(words: readonly Word[], chain: readonly Mention[]): boolean {
  const head = chain[0]!;
  const named = chain.reduce((n, m) => n + (m.end - m.from), 0);
  return words.length - named <= 1 && head.kind?.level === 'unit' && formersOf(head).length > 0 && unitsOf(head).length === 0;
}

/** True when a name agrees with the marks typed (see agreesWithMarks); a name read through a typo agrees with anything. */
const marksAgree = (m: Mention, name: string) => m.fuzzy === true || agreesWithMarks(m.words, name);

/** Filters candidates by the qualifiers' districts (first) or provinces. */
function byQualifiers<T>(items: readonly T[], quals: readonly Mention[], district: (t: T) => string, province: (t: T) => string): readonly T[] {
  let out = items;
  for (const q of quals) {
    if (q.kind?.level === 'unit') continue;
    const labels = new Set(districtsOf(q).filter((d) => !q.kind?.kinds.length || q.kind.kinds.includes(d.district.kind)).map((d) => d.district.label));
    const byDistrict = out.filter((t) => labels.has(district(t)));
    if (byDistrict.length > 0) {
      out = byDistrict;
      continue;
    }
    const provinces = new Set(provincesOf(q).map((p) => nameKey(p.name)));
    const byProvince = out.filter((t) => provinces.has(nameKey(province(t))));
    if (byProvince.length > 0) out = byProvince;
  }
  return out;
}

function formerAnswer(head: Mention, formers: readonly Former[], quals: readonly Mention[], filing: boolean): CommuneAnswer {
  const qualified = byQualifiers(formers, quals, (f) => f.former.district.label, (f) => f.matches[0]!.unit.formerProvince);
  const kept = narrow(qualified, (f) => marksAgree(head, f.former.name));
  const candidates: CommuneMatch[] = kept.flatMap((f) => f.matches);
  if (candidates.length === 0) return NONE;
  if (new Set(candidates.map((c) => c.unit)).size === 1) return { kind: 'former', match: candidates[0]!, filing };
  return { kind: 'choose', name: kept[0]!.former.name, split: kept.length === 1, candidates };
}

function districtAnswer(head: Mention, infos: readonly DistrictInfo[], quals: readonly Mention[], filing: boolean, also: readonly Former[]): CommuneAnswer {
  const kept = byQualifiers(infos, quals, (d) => d.district.label, (d) => d.province);
  const first = kept[0];
  if (!first) return NONE;
  const district: FormerDistrict = kept.length === 1 ? first.district : { kind: first.district.kind, name: first.district.name, label: `${first.district.kind} ${first.district.name}` };
  const units = new Map<CommuneUnit, DistrictInfo['units'][number]['from']>();
  for (const d of kept) for (const u of d.units) units.set(u.unit, [...(units.get(u.unit) ?? []), ...u.from]);
  const labels = new Set(kept.map((d) => d.district.label));
  const others = also.filter((f) => !labels.has(f.former.district.label) && marksAgree(head, f.former.name)).flatMap((f) => f.matches);
  return { kind: 'district', district, units: [...units].map(([unit, from]) => ({ unit, from })), filing, ...(others.length > 0 ? { also: others } : {}) };
}

/** The answer about the subject chain. */
export function answerSubject(chain: readonly Mention[], cues: CommuneCues, marker: 'old' | 'new' | undefined): CommuneAnswer {
  const [head, ...quals] = chain as [Mention, ...Mention[]];
  const kinds = head.kind?.kinds ?? [];
  const formers = narrow(formersOf(head), (f) => kinds.length === 0 || kinds.includes(f.former.kind));
  const units = narrow(unitsOf(head), (u) => kinds.length === 0 || kinds.includes(u.kind));
  const districts = narrow(districtsOf(head), (d) => kinds.length === 0 || kinds.includes(d.district.kind));
  const filing = cues.filing;
  const newSide = marker === 'new' || (cues.newToOld && marker !== 'old');
  const unit = (u: CommuneUnit): CommuneAnswer => ({ kind: 'unit', unit: u, filing });
  if (head.kind?.level === 'district') return districts.length > 0 && districtsOf(head).length > 0 ? districtAnswer(head, districts, quals, filing, []) : NONE;
  if (head.kind?.level === 'town' && !formersOf(head).some((f) => f.former.kind === 'thị trấn') && districtsOf(head).length > 0) {
    return districtAnswer(head, districts, quals, filing, []);
  }
  if (newSide && units.length > 0) return unit(units[0]!);
  // A bare district name asked as one unit ("Kế Sách cũ giờ là xã gì"): the town that was its seat and had its name.
  // Every district of that name must have had such a town ("Châu Thành" of Hậu Giang had none: ask).
  const seatTowns = formers.filter((f) => f.former.kind === 'thị trấn' && districts.some((d) => d.district.label === f.former.district.label));
  const seated = seatTowns.length > 0 && districts.every((d) => seatTowns.some((f) => f.former.district.label === d.district.label));
  if (!head.kind && seated && !cues.many && !filing && !newSide) return formerAnswer(head, seatTowns, quals, filing);
  if (!head.kind && districts.length > 0 && !newSide) return districtAnswer(head, districts, quals, filing, formers);
  if (formersOf(head).length > 0) return formerAnswer(head, formers, quals, filing);
  if (units.length > 0 && unitsOf(head).length > 0) return unit(units[0]!);
  if (districtsOf(head).length > 0) return districtAnswer(head, districts, quals, filing, []);
  return NONE;
}

/** An unknown place with its kind word ("phường Tân Định"): the label and its parts. */
function placeOf(kind: string | undefined, words: readonly Word[]): { place: string; placeKind?: string; placeName: string } {
  const name = titleCase(words);
  return kind ? { place: `${kind} ${name}`, placeKind: kind, placeName: name } : { place: name, placeName: name };
}

/** A place the data cannot answer for: another province, a district it does not have, an unknown name. */
export function placeAnswer(mentions: readonly Mention[], unknown: readonly UnknownMention[], subject: readonly Mention[] | undefined): CommuneAnswer | undefined {
  const provinces = mentions.filter(isProvince).flatMap(provincesOf);
  const outside = provinces.find((p) => !p.home);
  if (outside && !provinces.some((p) => p.home)) return { kind: 'outside', place: outside.name };
  const district = unknown.find((u) => u.kind.level === 'district' || u.kind.level === 'province');
  if (district) return { kind: 'outside', ...placeOf(district.kind.kinds[0], district.words) };
  // A district named with a kind the data has no such district for ("quận Bình Thạnh").
  const miskind = mentions.find((m) => m.kind?.level === 'district' && districtsOf(m).length === 0 && !isProvince(m));
  if (miskind) return { kind: 'outside', ...placeOf(miskind.kind!.kinds[0], miskind.words) };
  const unit = unknown.find((u) => u.kind.level === 'unit' || u.kind.level === 'town');
  if (unit && (!subject || level(subject[0]!) >= 1 || unit.from < subject[0]!.from)) return { kind: 'unknown', ...placeOf(unit.kind.kinds[0], unit.words) };
  return undefined;
}
