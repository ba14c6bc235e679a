/**
 * The words of a commune question: folded words with the punctuation breaks between them, and the
 * words that name a kind of unit ("phường", "P.", "thị trấn", "huyện", "ward", "district"…).
 * Pure; shared by the name index and the finder.
 */
import { ENGLISH_STOPWORDS } from './english.ts';
import { normalizeText, normToken } from './normalize.ts';
import { decodeTelex, decodeVni } from './telex.ts';

/** One word of a message. */
export interface Word {
  /** Folded (no diacritics, đ → d), as the search module folds. */
  readonly folded: string;
  /** Canonical accented form, lower case. */
  readonly accented: string;
  /** True when the citizen typed diacritics in it. */
  readonly marks: boolean;
  /** True when punctuation (a comma, a full stop, a bracket…) comes right before it. */
  readonly boundary: boolean;
}

/**
 * A word typed with Telex or VNI keys the keyboard did not turn into marks ("phuowngf", "nocs",
 * "phuong2"), read as the word it spells, but only when that word is in `vocab` (the finder's
 * names, kind words and question words) and the word as typed is neither in it nor an English
 * function word: "was", "ward", "after", "as" stay.
 */
function repaired(tok: string, folded: string, vocab: ReadonlySet<string> | undefined): ReturnType<typeof normToken> | undefined {
  if (!vocab || vocab.has(folded) || ENGLISH_STOPWORDS.has(folded) || !/^[a-z]+[1-9]?[a-z1-9]*$/.test(tok)) return undefined;
  const decoded = decodeTelex(tok) ?? decodeVni(tok);
  if (!decoded) return undefined;
  const t = normToken(decoded);
  return vocab.has(t.folded) ? t : undefined;
}

/**
 * Splits a message into words, keeping where punctuation breaks it. "P3", "F.3", "Q1" → two words.
 * With `vocab`, words left in Telex or VNI keys are read as the words they spell (see {@link repaired}).
 */
export function toWords(text: string, vocab?: ReadonlySet<string>): Word[] {
  const norm = normalizeText(text).replace(/(^|[^\p{L}\p{N}])(p|f|q|ward)\.?(\d{1,2})(?![\p{L}\p{N}])/gu, '$1$2 $3');
  const out: Word[] = [];
  let boundary = false;
  for (const m of norm.matchAll(/[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}\s]+|\n/gu)) {
    const tok = m[0];
    if (!/^[\p{L}\p{N}]/u.test(tok)) {
      if (/[,;:!?()[\]"\n.]/.test(tok)) boundary = true;
      continue;
    }
    const raw = normToken(tok);
    const t = (!raw.hasMarks && repaired(tok, raw.folded, vocab)) || raw;
    out.push({ folded: /^\d+$/.test(t.folded) ? String(Number(t.folded)) : t.folded, accented: t.accented, marks: t.hasMarks, boundary });
    boundary = false;
  }
  return out;
}

/** Levels of the kinds a word can name. `town` is English "town": a thị trấn or a thị xã. */
export type KindLevel = 'unit' | 'district' | 'province' | 'town';

/** A word (or two) naming a kind of administrative unit. */
export interface KindWord {
  readonly level: KindLevel;
  /** The Vietnamese kinds it may mean (`phường`, `huyện`…); empty for a province. */
  readonly kinds: readonly string[];
  /** Number of words it takes. */
  readonly length: number;
  /** English kinds may stand after the name ("Tra Noc ward"). */
  readonly english: boolean;
}

const KIND_TABLE: readonly (readonly [string, KindLevel, readonly string[], boolean])[] = [
  ['thi tran', 'unit', ['thị trấn'], false],
  ['thi xa', 'district', ['thị xã'], false],
  ['thanh pho', 'district', ['thành phố'], false],
  ['phuong', 'unit', ['phường'], false],
  ['p', 'unit', ['phường'], false],
  ['f', 'unit', ['phường'], false],
  ['xa', 'unit', ['xã'], false],
  ['tt', 'unit', ['thị trấn'], false],
  ['x', 'unit', ['xã'], false],
  ['quan', 'district', ['quận'], false],
  ['q', 'district', ['quận'], false],
  ['huyen', 'district', ['huyện'], false],
  ['h', 'district', ['huyện'], false],
  ['tx', 'district', ['thị xã'], false],
  ['tp', 'district', ['thành phố'], false],
  ['tinh', 'province', [], false],
  ['ward', 'unit', ['phường'], true],
  ['wards', 'unit', ['phường'], true],
  ['commune', 'unit', ['xã'], true],
  ['communes', 'unit', ['xã'], true],
  ['township', 'unit', ['thị trấn'], true],
  ['town', 'town', ['thị trấn', 'thị xã'], true],
  ['district', 'district', ['quận', 'huyện'], true],
  ['city', 'district', ['thành phố'], true],
  ['province', 'province', [], true],
];

/** The folded kind words ("phuong", "thi tran", "ward"…). */
export const KIND_KEYS: readonly string[] = KIND_TABLE.map(([key]) => key);

/** The kind words by their first word, two-word ones first (a look-up instead of a scan: this runs for every word). */
const KINDS_BY_FIRST: ReadonlyMap<string, readonly (KindWord & { readonly key: string })[]> = (() => {
  const m = new Map<string, (KindWord & { key: string })[]>();
  for (const [key, level, kinds, english] of KIND_TABLE) {
    const first = key.split(' ')[0]!;
    const list = m.get(first) ?? [];
    list.push({ key, level, kinds, length: key.includes(' ') ? 2 : 1, english });
    list.sort((a, b) => b.length - a.length);
    m.set(first, list);
  }
  return m;
})();

/** The kind word starting at word `i`, longest first; undefined when there is none. */
export function kindAt(words: readonly Word[], i: number): KindWord | undefined {
  const w = words[i];
  const candidates = w && KINDS_BY_FIRST.get(w.folded);
  if (!candidates) return undefined;
  for (const { key, level, kinds, length, english } of candidates) {
    if (length === 2 && `${w.folded} ${words[i + 1]?.folded}` !== key) continue;
    // "phương" (with its mark) is a name's first word (xã Phương Bình), never the kind "phường";
    // any other marked spelling ("phuờng", "phưòng") is a slip of the keyboard for the kind.
    if (key === 'phuong' && (w.accented === 'phương' || w.accented === 'phượng')) continue;
    if (key === 'xa' && w.marks && w.accented !== 'xã') continue;
    // "thì xã …" is "then the commune …", not "thị xã"; "thành phố" and "thị trấn" likewise need their marks or none.
    if (length === 2 && w.marks && w.accented !== 'thị' && w.accented !== 'thành') continue;
    return { level, kinds, length, english };
  }
  return undefined;
}

/** Roman numerals of numbered wards (phường I … phường X of Vị Thanh), as Arabic numbers. */
export const ROMAN: ReadonlyMap<string, string> = new Map([
  ['i', '1'], ['ii', '2'], ['iii', '3'], ['iv', '4'], ['v', '5'], ['vi', '6'], ['vii', '7'], ['viii', '8'], ['ix', '9'], ['x', '10'],
]);

/**
 * Words that never start or continue a unit's name: pronouns, particles (Southern ones too),
 * question words and the verbs of a commune question. Folded.
 */
export const NOT_NAME: ReadonlySet<string> = new Set(
  (
    'cu moi gio bay nay hien tai truoc sau hoi ngay xua kia do day thuoc la ten ve vo vao len xuong sang qua ' +
    'toi tui minh em anh chi co chu bac ong ba nha con ban ad admin shop oi ' +
    'nao gi dau sao the vay dzay zay a ah ha ho hen nhe nha nhen ne ta hong hok ko k khong hem ' +
    'roi da dang se bi duoc co cua o tai trong ngoai tren duoi voi va hay hoac hoi ma thi cho nen ' +
    'sap nhap gop hop nhat doi chuyen gom nhung cac may bao nhieu tu den nop ho so giay lam man ' +
    'dia ban ap khom to khu vuc dan cu cung het phan mot con lai cai phia gan ghi giu nguyen phai j z dz ' +
    'now old former new which what is was the of in and or before used to our it its after merged merge into'
  ).split(' '),
);

/** True when word `i` may belong to a name the data does not have (see {@link NOT_NAME}). */
export function mayBeName(words: readonly Word[], i: number): boolean {
  const w = words[i];
  return w !== undefined && !NOT_NAME.has(w.folded) && !isLinkWord(w) && kindAt(words, i) === undefined;
}

/**
 * Words that fold like a name's word but, as typed, are not one: "bên" ("over in": "Châu Thành
 * bên Sóc Trăng", also unmarked; "Bến" is a name's word) and "đúng" ("… phải không, đúng không").
 */
export function isLinkWord(w: Word): boolean {
  return (w.folded === 'ben' && w.accented !== 'bến') || w.accented === 'đúng';
}

/** A name as the citizen wrote it, each word capitalised ("tân định" → "Tân Định"). */
export function titleCase(words: readonly Word[]): string {
  return words.map((w) => (/^\d/.test(w.accented) ? w.accented : w.accented.charAt(0).toUpperCase() + w.accented.slice(1))).join(' ');
}

/**
 * True when a name agrees with the way the citizen wrote it: each word typed with marks must be
 * that word of the name ("Vĩnh Thạnh" is not "Vĩnh Thành"; "Vinh Thanh" may be either), and a
 * Roman numeral must be written so in the name.
 */
export function agreesWithMarks(typed: readonly Word[], name: string): boolean {
  const written = toWords(name);
  // A Roman numeral typed ("phường IV") is a ward numbered so (Vị Thanh's), not "phường 4" of another town.
  const agrees = (w: Word, x: Word) => (w.marks ? w.accented === x.accented : !ROMAN.has(w.folded) || w.folded === x.folded);
  return written.length === typed.length && typed.every((w, i) => agrees(w, written[i]!));
}
