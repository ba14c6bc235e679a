/**
 * Where the citizen lives, read as context and never as the topic: "bà ở xã Vĩnh Châu thì làm ở
 * đâu", "ổng ở xã Kế An huyện Kế Sách cũ". A commune or ward of the merged city (new or former,
 * from communes.yaml) written after its kind word is skipped by the query analyser like a stop
 * phrase, so its common syllables ("lương", "tâm", "an", "bình") pull the message to no guide.
 * A former district written with its kind word ("huyện Kế Sách cũ") stays content, since
 * "huyện" and "cũ" are what merger questions are about, but is marked as a place: an open guide
 * keeps a follow-up that only names where the citizen lives. The former districts' names are
 * stop phrases in synonyms.yaml; the commune finder reads every name first, so "xã X giờ thuộc
 * phường nào" is still answered from the data. Pure.
 */
import type { CommuneUnit } from '../core/communes.ts';
import { tokenize } from './normalize.ts';
import { PhraseTable } from './phrases.ts';

/** Whether a name is a commune-level unit's or a former district's. */
export type PlaceKind = 'unit' | 'district';

/** The folded names of the units, new and former, and of the former districts. */
export function placeNames(units: readonly CommuneUnit[] | undefined): PhraseTable<PlaceKind> {
  const table = new PhraseTable<PlaceKind>();
  const add = (name: string, kind: PlaceKind) => {
    if (name) table.set(tokenize(name).map((t) => t.folded), kind);
  };
  for (const u of units ?? []) {
    add(u.formerDistrict?.name ?? '', 'district');
    for (const f of u.formedFrom) add(f.district.name, 'district');
  }
  // A unit's name wins where a district had the same name ("thị trấn Kế Sách", "huyện Kế Sách").
  for (const u of units ?? []) {
    add(u.name, 'unit');
    for (const f of u.formedFrom) add(f.name, 'unit');
  }
  return table;
}

/** Kind words written before a name, folded, with the kind of name they take. */
const KINDS: readonly { readonly words: readonly string[]; readonly kind: PlaceKind }[] = [
  { words: ['xa'], kind: 'unit' },
  { words: ['phuong'], kind: 'unit' },
  { words: ['thi', 'tran'], kind: 'unit' },
  { words: ['huyen'], kind: 'district' },
  { words: ['quan'], kind: 'district' },
  { words: ['thi', 'xa'], kind: 'district' },
  { words: ['thanh', 'pho'], kind: 'district' },
];

/**
 * Per word of the message: 1 for the words of a unit named with its kind word ("xã Lương Tâm",
 * "phường 7"), 2 for a former district with its kind word and the "cũ" after it ("huyện Kế Sách
 * cũ"), else 0. A name must be whole: "xã hội" names no place.
 */
export function placeMask(places: PhraseTable<PlaceKind>, folded: readonly string[]): Uint8Array {
  const mask = new Uint8Array(folded.length);
  for (let i = 0; i < folded.length; i++) {
    for (const kind of KINDS) {
      if (!kind.words.every((w, k) => folded[i + k] === w)) continue;
      let name: { words: number; value: PlaceKind } | undefined;
      places.forEachAt(folded, i + kind.words.length, (value, words) => {
        if (value === kind.kind || kind.kind === 'district') name = { words, value };
      });
      if (!name) continue;
      let end = i + kind.words.length + name.words;
      const mark = kind.kind === 'unit' ? 1 : 2;
      if (mark === 2 && folded[end] === 'cu') end++;
      mask.fill(mark, i, end);
      i = end - 1;
      break;
    }
  }
  return mask;
}

/** English words that put a place after them: "my dad in Soc Trang", "from Cai Rang", "near Ninh Kieu wharf". */
const EN_BEFORE_PLACE = new Set(['in', 'from', 'at', 'near', 'around']);
/** English kind words written after a name ("Ninh Kieu ward", "Soc Trang province"), folded. */
const EN_KINDS = new Set(['ward', 'commune', 'district', 'province', 'city', 'town']);
/** The three provinces of the merged city, folded: named in English as places too. */
const PROVINCES: readonly (readonly string[])[] = [['can', 'tho'], ['soc', 'trang'], ['hau', 'giang']];

/**
 * Per word of an English message: 1 for a place named after "in/from/at/near" ("my dad in
 * Soc Trang lost his ID card", "from Can Tho to Soc Trang"), with its kind word ("Cai Rang
 * district"), else 0. A place said that way is where the citizen is, not the topic; "after the
 * merger of Soc Trang" and "is Hau Giang part of Can Tho now" keep their names.
 */
export function englishPlaceMask(places: PhraseTable<PlaceKind>, folded: readonly string[]): Uint8Array {
  const mask = new Uint8Array(folded.length);
  let placeRead = false;
  for (let i = 1; i < folded.length; i++) {
    // "to" only after a place already read ("from Can Tho to Soc Trang"): "what happened to Soc
    // Trang" asks about the place.
    const before = folded[i - 1]!;
    if (!EN_BEFORE_PLACE.has(before) && !(before === 'to' && placeRead)) continue;
    let words = PROVINCES.find((p) => p.every((w, k) => folded[i + k] === w))?.length ?? 0;
    places.forEachAt(folded, i, (_, n) => {
      words = Math.max(words, n);
    });
    if (words === 0) continue;
    let end = i + words;
    if (EN_KINDS.has(folded[end] ?? '')) end++;
    mask.fill(1, i, end);
    placeRead = true;
    i = end - 1;
  }
  return mask;
}

/** Words of a level of government ("xã", "phường", "huyện", "thành phố"), folded. */
const LEVEL_WORDS = new Set(['xa', 'phuong', 'huyen', 'quan', 'tinh', 'pho']);

/**
 * Whether word i (of slots, by their text) names a level of government: in a question of where
 * inside a guide ("ra cs phường hay phải lên thành phố", "có phải lên huyện như hồi trước"), the
 * place asked about, not a new topic (the merger and where-to-submit guides have those words too).
 */
export function levelWordAt(words: readonly { readonly text: string }[], i: number): boolean {
  const text = words[i]!.text;
  if (LEVEL_WORDS.has(text)) return true;
  return text === 'thanh' && words[i + 1]?.text === 'pho';
}
