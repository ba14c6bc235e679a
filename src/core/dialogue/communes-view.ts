/**
 * Replies to commune questions ("my old ward is now which ward?"), one view per kind of
 * {@link CommuneAnswer}, in Vietnamese or English. Pure: text, options and links only.
 * Every answer about a unit says where papers can be filed (any centre in the city) and offers
 * the `dvc-where-to-submit` guide when the content has it.
 */
import type { CommuneAnswer, CommuneMatch, CommuneUnit, FormerDistrict, FormerUnit } from '../communes.ts';
import type { Action } from './actions.ts';
import { localGuide, say, type Reply, type ViewContext } from './views.ts';

/** The guide offered with every commune answer: where to file papers after the arrangement. */
export const WHERE_TO_SUBMIT_GUIDE = 'dvc-where-to-submit';

type Option = { readonly label: string; readonly action: Action };

const KIND_KEY: Readonly<Record<string, string>> = {
  phường: 'commune.kind_phuong',
  xã: 'commune.kind_xa',
  'thị trấn': 'commune.kind_thi_tran',
  quận: 'commune.kind_quan',
  huyện: 'commune.kind_huyen',
  'thị xã': 'commune.kind_thi_xa',
  'thành phố': 'commune.kind_thanh_pho',
};

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "phường Cái Khế" / "Cái Khế ward". */
function named(v: ViewContext, kind: string, name: string): string {
  // Numbered wards read "ward 3" / "ward VII" in English, not "3 ward".
  const key = kind === 'phường' && /^(?:\d+|[IVX]+)$/.test(name) ? 'commune.kind_phuong_numbered' : KIND_KEY[kind];
  return key ? say(v, key, { name }) : `${kind} ${name}`;
}

/** "huyện Châu Thành, Hậu Giang" / "Châu Thành district, Hậu Giang". */
function districtText(v: ViewContext, d: FormerDistrict): string {
  if (d.name === '') return d.province ?? d.label; // only the province is known
  const base = named(v, d.kind, d.name);
  return d.province ? `${base}, ${d.province}` : base;
}

/** A new unit: "phường Cái Khế". */
export function unitText(v: ViewContext, u: CommuneUnit): string {
  return named(v, u.kind, u.name);
}

/** A former unit with its district: "xã Mỹ Khánh (huyện Phong Điền)"; `share` adds "một phần". */
export function formerText(v: ViewContext, f: FormerUnit, share = false): string {
  const unit = say(v, 'commune.in_district', { unit: named(v, f.kind, f.name), district: districtText(v, f.district) });
  if (!share || f.share === 'whole') return unit;
  return say(v, f.share === 'part' ? 'commune.part' : 'commune.rest', { unit });
}

/** A seat as the data writes it: "trụ sở UBND phường An Hòa (dự kiến, 8/6/2025)". */
const SEAT_TEXT = /^trụ sở UBND (phường|xã|thị trấn|quận|huyện|thị xã|thành phố) ([^()]+?)(?: \((dự kiến)[^()]*?(\d{1,2}\/\d{1,2}\/\d{4})?\))?$/u;

/** The seat in the reader's language: the data's text in Vietnamese; in English, its parts translated when it has the usual form. */
function seatText(v: ViewContext, seat: string): string {
  const m = v.lang === 'vi' ? null : SEAT_TEXT.exec(seat);
  if (!m) return seat;
  const office = say(v, 'commune.seat_office', { unit: named(v, m[1]!, m[2]!) });
  return m[3] ? say(v, 'commune.seat_planned', { seat: office, when: m[4] ?? '' }).replace(/,? \)$/, ')') : office;
}

/** The option that opens the where-to-submit guide, when the content has it. */
function whereOption(v: ViewContext): Option[] {
  const g = v.content.guides.get(WHERE_TO_SUBMIT_GUIDE);
  return g ? [{ label: localGuide(g, v.lang).title, action: { type: 'guide', guideId: g.id } }] : [];
}

const menuOption = (v: ViewContext): Option => ({ label: say(v, 'btn.menu'), action: { type: 'menu' } });

/** What a new unit was formed from (or that it was not rearranged), its seat and caveats. */
function unitBlock(v: ViewContext, u: CommuneUnit): string[] {
  const lines: string[] = [];
  if (u.unchanged) {
    const district = u.formerDistrict ? districtText(v, u.formerDistrict) : u.formerProvince;
    lines.push(say(v, 'commune.unchanged', { unit: capitalised(unitText(v, u)), district }));
  } else {
    lines.push(say(v, 'commune.formed_from', { unit: capitalised(unitText(v, u)) }), ...u.formedFrom.map((f) => `• ${formerText(v, f, true)}`));
  }
  if (u.seat) lines.push('', say(v, 'commune.seat', { seat: seatText(v, u.seat) }));
  if (!u.confirmed) lines.push('', say(v, 'commune.unconfirmed'));
  return lines;
}

/** The closing lines: where to file, and the legal basis. */
function closing(v: ViewContext): string {
  return `${say(v, 'commune.file_anywhere')}\n${say(v, 'commune.basis')}`;
}

function sourceLinks(v: ViewContext, u: CommuneUnit): Reply['links'] {
  const url = u.sources[0];
  return url ? [{ label: say(v, 'commune.btn_source'), url }] : [];
}

/** A former unit: the new unit it became part of, what that was formed from, where to file. */
export function communeFormerView(v: ViewContext, match: CommuneMatch, filing = false): Reply {
  const { former, unit } = match;
  const head =
    match.index < 0
      ? []
      : [say(v, former.share === 'part' ? 'commune.former_part' : former.share === 'rest' ? 'commune.former_rest' : 'commune.former', { former: formerText(v, former), unit: unitText(v, unit) }), ''];
  const body = [...head, ...unitBlock(v, unit)].join('\n');
  const text = filing ? `${closing(v)}\n\n${body}` : `${capitalised(body)}\n\n${closing(v)}`;
  return { text: capitalised(text), options: [...whereOption(v), menuOption(v)], links: sourceLinks(v, unit) };
}

/** A new unit: what it was formed from, its seat if known, where to file. */
export function communeUnitView(v: ViewContext, unit: CommuneUnit, filing = false): Reply {
  const body = unitBlock(v, unit).join('\n');
  const text = filing ? `${closing(v)}\n\n${body}` : `${body}\n\n${closing(v)}`;
  return { text, options: [...whereOption(v), menuOption(v)], links: sourceLinks(v, unit) };
}

/** A former district: the new units that took its communes (each an option), and where to file. */
export function communeDistrictView(v: ViewContext, a: Extract<CommuneAnswer, { kind: 'district' }>): Reply {
  const district = districtText(v, a.district);
  const lines = [capitalised(say(v, 'commune.district', { district }))];
  // Two former districts of this name (huyện Châu Thành of Hậu Giang and of Sóc Trăng): say each unit's province.
  const provinces = new Set(a.units.map((u) => u.unit.formerProvince));
  const label = (u: CommuneUnit) => (provinces.size > 1 ? `${unitText(v, u)} (${u.formerProvince})` : unitText(v, u));
  for (const { unit, from } of a.units) {
    const parts = unit.unchanged ? say(v, 'commune.unchanged_short') : from.map((f) => formerText(v, { ...f, district: a.district }, true).replace(/ \(.*\)$/, '')).join(', ');
    lines.push(`• ${label(unit)}: ${parts}`);
  }
  const also = a.also ?? [];
  if (also.length > 0) lines.push('', say(v, 'commune.district_also'), ...also.map((m) => `• ${formerText(v, m.former, true)} → ${unitText(v, m.unit)}`));
  lines.push('', say(v, 'commune.district_ask'));
  const text = a.filing ? `${closing(v)}\n\n${lines.join('\n')}` : `${lines.join('\n')}\n\n${closing(v)}`;
  const units = [...a.units.map((u) => u.unit), ...also.map((m) => m.unit)].filter((u, i, all) => all.indexOf(u) === i);
  const options: Option[] = units.map((u) => ({ label: capitalised(label(u)), action: { type: 'commune', unitId: u.id } }));
  return { text, options: [...options, ...whereOption(v), menuOption(v)] };
}

/** Several former units of one name (or a split unit): which one? Each candidate is an option. */
export function communeChooseView(v: ViewContext, a: Extract<CommuneAnswer, { kind: 'choose' }>): Reply {
  const lead = a.split ? say(v, 'commune.split', { former: capitalised(formerText(v, a.candidates[0]!.former)) }) : say(v, 'commune.choose', { name: a.name });
  const items = a.candidates.map((c) => `• ${formerText(v, c.former, true)} → ${unitText(v, c.unit)}`);
  const text = [lead, ...items, '', say(v, a.split ? 'commune.split_ask' : 'commune.choose_ask')].join('\n');
  const options: Option[] = a.candidates.map((c) => ({
    label: capitalised(`${formerText(v, c.former, true)} → ${unitText(v, c.unit)}`),
    action: c.index >= 0 ? { type: 'commune', unitId: c.unit.id, index: c.index } : { type: 'commune', unitId: c.unit.id },
  }));
  return { text, options: [...options, menuOption(v)] };
}

type Place = Extract<CommuneAnswer, { kind: 'outside' | 'unknown' }>;

/** A place as the citizen wrote it, its kind word in the reader's language ("Bến Nghé ward"). */
function placeText(v: ViewContext, a: Place): string {
  return a.placeKind && a.placeName ? named(v, a.placeKind, a.placeName) : a.place;
}

/** A place outside the new Cần Thơ city. */
export function communeOutsideView(v: ViewContext, a: Place): Reply {
  return { text: say(v, 'commune.outside', { place: placeText(v, a) }), options: [menuOption(v)] };
}

/** A name the data does not have. */
export function communeUnknownView(v: ViewContext, a: Place): Reply {
  return { text: say(v, 'commune.unknown', { place: placeText(v, a) }), options: [menuOption(v), { label: say(v, 'btn.handoff'), action: { type: 'handoff' } }] };
}

/** The reply for any answer; undefined for `none` (not a commune question: the dialogue goes on as usual). */
export function communeView(v: ViewContext, a: CommuneAnswer): Reply | undefined {
  switch (a.kind) {
    case 'former':
      return communeFormerView(v, a.match, a.filing);
    case 'unit':
      return communeUnitView(v, a.unit, a.filing);
    case 'district':
      return communeDistrictView(v, a);
    case 'choose':
      return communeChooseView(v, a);
    case 'outside':
      return communeOutsideView(v, a);
    case 'unknown':
      return communeUnknownView(v, a);
    case 'none':
      return undefined;
  }
}
