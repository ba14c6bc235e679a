/**
 * The commune format (`content/communes.yaml`): the commune-level units (phường, xã) of the new
 * Cần Thơ city after the 1/7/2025 arrangement, each with the former units it was formed from.
 * Zod schemas (pure, no I/O), the types derived from them, the parsed shapes the finder and the
 * views share, and the port the dialogue calls (`CommuneFinder`).
 */
import { z } from 'zod';

const text = z.string().trim().min(1, 'must not be empty');
const url = z.string().trim().url('must be a full URL (https://…)');

/** Kinds of the new units (there are no districts any more). */
export const UNIT_KINDS = ['phường', 'xã'] as const;
/** Kinds of the former commune-level units. */
export const FORMER_UNIT_KINDS = ['phường', 'xã', 'thị trấn'] as const;
/** Kinds of the former district-level units. */
export const FORMER_DISTRICT_KINDS = ['quận', 'huyện', 'thị xã', 'thành phố'] as const;

/** `phường` or `xã`. */
export type UnitKind = (typeof UNIT_KINDS)[number];
/** `phường`, `xã` or `thị trấn`. */
export type FormerUnitKind = (typeof FORMER_UNIT_KINDS)[number];
/** `quận`, `huyện`, `thị xã` or `thành phố` (thuộc tỉnh). */
export type FormerDistrictKind = (typeof FORMER_DISTRICT_KINDS)[number];

/** `huyện Châu Thành` or `huyện Châu Thành, Hậu Giang` (the province tells same-name districts apart). */
const DISTRICT_TEXT = /^(quận|huyện|thị xã|thành phố) ([^,()]+?)(?:, ([^,()]+?))?$/u;
/** `xã Mỹ Khánh (huyện Phong Điền)`, `một phần phường Long Tuyền (quận Bình Thủy)`, `phần còn lại của …`. */
const FORMER_UNIT_TEXT = /^(?:(một phần|phần còn lại của) )?(phường|xã|thị trấn) ([^()]+?) \(([^()]+)\)$/u;

/** A former district (quận, huyện, thị xã, thành phố thuộc tỉnh). */
export interface FormerDistrict {
  readonly kind: FormerDistrictKind;
  /** Empty when only the province is known (an unchanged unit without `former_district`). */
  readonly name: string;
  /** Written only where two provinces had a district of this name (`huyện Châu Thành, Hậu Giang`). */
  readonly province?: string;
  /** As written in the data (`huyện Châu Thành, Hậu Giang`). */
  readonly label: string;
}

/** A former commune-level unit, as one item of a new unit's `formed_from`. */
export interface FormerUnit {
  readonly kind: FormerUnitKind;
  readonly name: string;
  readonly district: FormerDistrict;
  /** `part`: "một phần" (a split unit); `rest`: "phần còn lại của"; else the whole unit. */
  readonly share: 'whole' | 'part' | 'rest';
  /** As written in the data. */
  readonly label: string;
}

/** Parses a former district as written in the data; undefined when it is not in that form. */
export function parseFormerDistrict(written: string): FormerDistrict | undefined {
  const label = written.normalize('NFC').trim();
  const m = DISTRICT_TEXT.exec(label);
  if (!m) return undefined;
  const kind = m[1] as FormerDistrictKind;
  return m[3] ? { kind, name: m[2]!, province: m[3], label } : { kind, name: m[2]!, label };
}

/** Parses one `formed_from` item; undefined when it is not in the documented form. */
export function parseFormerUnit(written: string): FormerUnit | undefined {
  const label = written.normalize('NFC').trim();
  const m = FORMER_UNIT_TEXT.exec(label);
  if (!m) return undefined;
  const district = parseFormerDistrict(m[4]!);
  if (!district) return undefined;
  const share = m[1] === 'một phần' ? 'part' : m[1] ? 'rest' : 'whole';
  return { kind: m[2] as FormerUnitKind, name: m[3]!, district, share, label };
}

const formerUnitText = text.refine((s) => parseFormerUnit(s) !== undefined, {
  message: 'must read "<phường|xã|thị trấn> <name> (<quận|huyện|thị xã|thành phố> <district>)", optionally after "một phần " or "phần còn lại của "',
});
const formerDistrictText = text.refine((s) => parseFormerDistrict(s) !== undefined, {
  message: 'must read "<quận|huyện|thị xã|thành phố> <name>" (optionally ", <province>")',
});

/** One new unit, as editors write it. */
export const CommuneEntrySchema = z
  .strictObject({
    name: text,
    kind: z.enum(UNIT_KINDS),
    /** Cần Thơ, Hậu Giang or Sóc Trăng: the province the unit belonged to before 1/7/2025. */
    former_province: text,
    /** Predecessors with their former district; empty for the units not rearranged. */
    formed_from: z.array(formerUnitText).default([]),
    /** True only for the units not rearranged (same name and territory). */
    unchanged: z.boolean().optional(),
    /** For an unchanged unit: its former district (merged units say it in `formed_from`). */
    former_district: formerDistrictText.optional(),
    /** The seat, only where a source states it (press reports, not the resolution). */
    seat: text.optional(),
    sources: z.array(url).min(1, 'needs at least one source URL'),
    /** True when the predecessors are given by the resolution and matched by an independent dataset. */
    confirmed: z.boolean(),
    note: text.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.unchanged === true && e.formed_from.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['formed_from'], message: 'an unchanged unit has no predecessors (leave formed_from empty)' });
    }
    if (e.unchanged !== true && e.formed_from.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['formed_from'], message: 'needs its predecessors (or unchanged: true)' });
    }
    if (e.former_district !== undefined && e.unchanged !== true) {
      ctx.addIssue({ code: 'custom', path: ['former_district'], message: 'only for unchanged units (the others name districts in formed_from)' });
    }
  });

/** A stable id for a new unit, short enough for a stored button action (`phuong-cai-khe`). */
export function communeId(kind: UnitKind, name: string): string {
  return `${kind} ${name}`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** `content/communes.yaml`: the whole list; ids unique, each whole former unit under one new unit. */
export const CommunesFileSchema = z
  .array(CommuneEntrySchema)
  .min(1, 'needs at least one unit')
  .superRefine((entries, ctx) => {
    const ids = new Map<string, number>();
    const whole = new Map<string, number>();
    entries.forEach((e, i) => {
      const id = communeId(e.kind, e.name);
      if (ids.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${e.kind} ${e.name}" is listed twice (first at item ${ids.get(id)! + 1})` });
      else ids.set(id, i);
      e.formed_from.forEach((f, j) => {
        const u = parseFormerUnit(f);
        if (!u || u.share !== 'whole') return;
        const key = `${u.kind} ${u.name} (${u.district.label})`;
        const first = whole.get(key);
        if (first !== undefined) {
          ctx.addIssue({ code: 'custom', path: [i, 'formed_from', j], message: `"${key}" is already under item ${first + 1} (a split unit is written "một phần …" / "phần còn lại của …")` });
        } else whole.set(key, i);
      });
    });
  });

/** One validated entry of `communes.yaml`, as written. */
export type CommuneEntry = z.infer<typeof CommuneEntrySchema>;

/** A new unit, parsed for the finder and the views. */
export interface CommuneUnit {
  /** {@link communeId}: stable across reloads while the name stays. */
  readonly id: string;
  readonly name: string;
  readonly kind: UnitKind;
  readonly formerProvince: string;
  readonly formedFrom: readonly FormerUnit[];
  readonly unchanged: boolean;
  /** Unchanged units: their former district, when the data gives it. */
  readonly formerDistrict?: FormerDistrict;
  /** Only where a source states it; from press reports, to be checked before telling a citizen. */
  readonly seat?: string;
  readonly sources: readonly string[];
  readonly confirmed: boolean;
}

/** Parses validated entries (items that do not parse are skipped; the schema has rejected them). */
export function communeUnitsOf(entries: readonly CommuneEntry[]): CommuneUnit[] {
  return entries.map((e) => {
    const district = e.former_district ? parseFormerDistrict(e.former_district) : undefined;
    return {
      id: communeId(e.kind, e.name),
      name: e.name,
      kind: e.kind,
      formerProvince: e.former_province,
      formedFrom: e.formed_from.map(parseFormerUnit).filter((u): u is FormerUnit => u !== undefined),
      unchanged: e.unchanged === true,
      ...(district ? { formerDistrict: district } : {}),
      ...(e.seat ? { seat: e.seat } : {}),
      sources: e.sources,
      confirmed: e.confirmed,
    };
  });
}

/** A former unit and the new unit it (or its part) went to. */
export interface CommuneMatch {
  readonly former: FormerUnit;
  /** Index of `former` in `unit.formedFrom`; -1 for an unchanged unit (it is its own predecessor). */
  readonly index: number;
  readonly unit: CommuneUnit;
}

/** What a message asks about the 2025 arrangement, as the finder read it. */
export type CommuneAnswer =
  /** Not a question about former or new communes. */
  | { readonly kind: 'none' }
  /** A former unit: the new unit it became part of. `filing`: the citizen asked where to file papers. */
  | { readonly kind: 'former'; readonly match: CommuneMatch; readonly filing: boolean }
  /** A new unit: what it was formed from. */
  | { readonly kind: 'unit'; readonly unit: CommuneUnit; readonly filing: boolean }
  /** A former district: the new units that took its communes (each with those communes). */
  | {
      readonly kind: 'district';
      readonly district: FormerDistrict;
      readonly units: readonly { readonly unit: CommuneUnit; readonly from: readonly FormerUnit[] }[];
      readonly filing: boolean;
      /** Former units of the same name elsewhere ("Vị Thanh": the city, and xã Vị Thanh of Vị Thủy). */
      readonly also?: readonly CommuneMatch[];
    }
  /** A name several former units had (or a split unit): ask which one. */
  | { readonly kind: 'choose'; readonly name: string; readonly split: boolean; readonly candidates: readonly CommuneMatch[] }
  /**
   * A place outside the city (another province, or a unit unknown here with a province named).
   * `place` as the citizen wrote it ("phường Bến Nghé"); `placeKind`/`placeName` when it was written
   * with a kind word, so that a reply in English can say "Bến Nghé ward".
   */
  | { readonly kind: 'outside'; readonly place: string; readonly placeKind?: string; readonly placeName?: string }
  /** A commune question about a name the data does not have (no province named); as for `outside`. */
  | { readonly kind: 'unknown'; readonly place: string; readonly placeKind?: string; readonly placeName?: string };

/** Port: reads citizens' messages about the 2025 commune arrangement. Built once per content snapshot. */
export interface CommuneFinder {
  /** Reads one message. Pure and fast; never throws; `{ kind: 'none' }` when it is not such a question. */
  find(text: string): CommuneAnswer;
  /**
   * The answer behind an option (see the `commune` action): `index` ≥ 0 picks that predecessor of
   * the unit (a `former` answer); without it, the unit itself (a `unit` answer). Undefined when the
   * unit is gone from the data (a stale button).
   */
  pick(unitId: string, index?: number): CommuneAnswer | undefined;
  /** Every new unit, in file order. */
  readonly units: readonly CommuneUnit[];
}

/** The new unit names an answer gives (the `ask` contract): one = answered, several = asks which. */
export function communeNames(a: CommuneAnswer): string[] {
  switch (a.kind) {
    case 'former':
      return [a.match.unit.name];
    case 'unit':
      return [a.unit.name];
    case 'district':
      return [...new Set([...a.units.map((u) => u.unit.name), ...(a.also ?? []).map((m) => m.unit.name)])];
    case 'choose':
      return [...new Set(a.candidates.map((c) => c.unit.name))];
    default:
      return [];
  }
}
