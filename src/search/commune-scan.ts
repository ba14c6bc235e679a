/**
 * The scan that finds the known names of a message, each with the kind word written next to it
 * ("phường Trà Nóc", "P.3", "Tra Noc ward"), and the kind words followed by names the data does
 * not have ("phường Tân Định"). Misspelt names are corrected only where a name is expected.
 * Pure.
 */
import { nearestName } from './commune-fuzzy.ts';
import type { NameEntry, NameIndex } from './commune-index.ts';
import { agreesWithMarks, kindAt, mayBeName, ROMAN, type KindWord, type Word } from './commune-text.ts';

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
  /** True when the name was read through a typo ("Mỹ Khán" for "Mỹ Khánh"). */
  readonly fuzzy?: boolean;
}

/** A kind word followed by a name the index does not have ("phường Tân Định", "quận 1"). */
export interface UnknownMention {
  readonly from: number;
  readonly end: number;
  readonly kind: KindWord;
  readonly words: readonly Word[];
}

/** Small words between a kind word and its name ("phường số 3", "xã cũ Mỹ Khánh", "ward no. 7"). */
const KIND_FILLERS = new Set(['so', 'thu', 'cu', 'moi', 'ten', 'goi', 'no', 'number']);
const MAX_KIND_FILLERS = 2;

/** Numbers written as words after a ward's kind ("phường bảy"), by their accented form. */
const NUMBER_WORDS: ReadonlyMap<string, string> = new Map([
  ['một', '1'], ['mot', '1'], ['hai', '2'], ['ba', '3'], ['bốn', '4'], ['bon', '4'], ['tư', '4'], ['năm', '5'], ['sáu', '6'],
  ['bảy', '7'], ['tám', '8'], ['tam', '8'], ['chín', '9'], ['chin', '9'], ['mười', '10'], ['muoi', '10'],
]);

type Found = { key: string; length: number; fuzzy?: boolean };

/**
 * The entries of a name found, without the provinces its marks rule out: "Thạnh Hòa" typed with
 * marks is the commune, not the province Thanh Hóa (a province would make it a mere qualifier).
 */
function entriesOf(index: NameIndex, key: string, typed: readonly Word[]): readonly NameEntry[] {
  const all = index.names.get(key)!;
  const kept = all.filter((e) => e.type !== 'province' || agreesWithMarks(typed, e.name));
  return kept.length > 0 ? kept : all;
}

/** The longest known name starting at word `i`. Numbers (and Roman numerals, number words) only after a unit kind. */
function nameAt(index: NameIndex, words: readonly Word[], i: number, afterUnit: boolean): Found | undefined {
  for (let n = Math.min(index.maxWords, words.length - i); n >= 1; n--) {
    const slice = words.slice(i, i + n);
    if (slice.some((w, k) => k > 0 && w.boundary)) continue;
    let key = slice.map((w) => w.folded).join(' ');
    if (n === 1 && afterUnit && ROMAN.has(key)) key = ROMAN.get(key)!;
    if (n === 1 && afterUnit && !index.names.has(key) && NUMBER_WORDS.has(slice[0]!.accented)) key = NUMBER_WORDS.get(slice[0]!.accented)!;
    if (/^\d+$/.test(key) && !afterUnit) continue;
    if (!index.names.has(key)) continue;
    // A last word "a"/"b" (Trường Xuân A) is a letter, not the particle "à" / "á".
    if (n > 1 && /^[ab]$/.test(key.slice(-1)) && key.at(-2) === ' ' && slice[n - 1]!.marks) continue;
    return { key, length: n };
  }
  return undefined;
}

/**
 * A misspelt known name at word `i`: the longest run of name-like words one known name is near to.
 * `endsWell`: which word may follow the name (checked first: it is cheap).
 */
function fuzzyAt(index: NameIndex, words: readonly Word[], i: number, endsWell: (end: number) => boolean = () => true): Found | undefined {
  for (let n = Math.min(index.maxWords, words.length - i); n >= 1; n--) {
    if (!endsWell(i + n)) continue;
    const slice = words.slice(i, i + n);
    // Names may hold a question word ("Cờ Đỏ", "Cù Lao Dung"), but not only such words, nor kind words.
    if (slice.some((w, k) => (k > 0 && w.boundary) || kindAt(words, i + k) || /\d/.test(w.folded))) continue;
    if (!mayBeName(words, i) || slice.filter((_, k) => mayBeName(words, i + k)).length * 2 < n) continue;
    const near = nearestName(index.fuzzy, slice);
    if (near) return { key: near.key, length: n, fuzzy: true };
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

/** "thành" right before a kind word is the verb "becomes" ("xã Mỹ Khánh thành phường An Bình"). */
const isVerbBeforeKind = (words: readonly Word[], i: number) => words[i]!.folded === 'thanh' && kindAt(words, i + 1) !== undefined;

/** End of the words that carry on a known name without starting another (at most two). */
function continuation(index: NameIndex, words: readonly Word[], at: number): number {
  let end = at;
  while (end < words.length && end - at < 2 && mayBeName(words, end) && !words[end]!.boundary && !isVerbBeforeKind(words, end) && !nameAt(index, words, end, false)) end++;
  return end;
}

/** First word after the kind word at `i` and the small words after it ("phường số 3": the "3"). */
function nameStart(words: readonly Word[], i: number, kind: KindWord): number {
  const first = i + kind.length;
  let j = first;
  while (j - first < MAX_KIND_FILLERS && KIND_FILLERS.has(words[j]?.folded ?? '')) j++;
  return j;
}

type Step = { next: number; mention?: Mention; unknown?: UnknownMention };

/** The known name after a kind word: right after it, else after the small words ("phường cũ Trà Nóc"). */
function knownAfterKind(index: NameIndex, words: readonly Word[], i: number, kind: KindWord): { at: number; found: Found } | undefined {
  const unit = kind.level === 'unit';
  const direct = nameAt(index, words, i + kind.length, unit);
  if (direct) return { at: i + kind.length, found: direct };
  const at = nameStart(words, i, kind);
  const found = at > i + kind.length ? nameAt(index, words, at, unit) : undefined;
  return found ? { at, found } : undefined;
}

/** Reads a kind word at `i` and what follows it; undefined when a bare name there reads longer. */
function afterKind(index: NameIndex, words: readonly Word[], i: number, kind: KindWord, here: Found | undefined): Step | undefined {
  const known = knownAfterKind(index, words, i, kind);
  if (known && (!here || known.at + known.found.length >= i + here.length)) {
    const { at: j, found } = known;
    const end = j + found.length;
    // A known name that goes on ("xã Tân Phú Trung") is a name the data does not have.
    const more = kind.english ? end : continuation(index, words, end);
    if (more > end) return { next: more, unknown: { from: i, end: more, kind, words: words.slice(j, more) } };
    return { next: end, mention: { start: j, end, from: i, entries: entriesOf(index, found.key, words.slice(j, end)), kind, words: words.slice(j, end) } };
  }
  if (here) return undefined;
  const s = nameStart(words, i, kind);
  const near = kind.english ? undefined : fuzzyAt(index, words, s);
  if (near) {
    const end = s + near.length;
    return { next: end, mention: { start: s, end, from: i, entries: index.names.get(near.key)!, kind, words: words.slice(s, end), fuzzy: true } };
  }
  const j = i + kind.length;
  const end = kind.english ? j : unknownAt(index, words, j);
  return { next: Math.max(end, j), ...(end > j ? { unknown: { from: i, end, kind, words: words.slice(j, end) } } : {}) };
}

/**
 * An English kind word after a name ("Tra Noc ward"), unless it is the kind of a number after it
 * ("Soc Trang ward 3", "ward V"); a Roman numeral that starts a name is the name ("commune Vi Thanh").
 */
function englishKindAfter(index: NameIndex, words: readonly Word[], end: number): KindWord | undefined {
  const post = kindAt(words, end);
  if (!post?.english) return undefined;
  const at = end + post.length;
  const next = words[at]?.folded ?? '';
  const numbered = /^\d+$/.test(next) || (ROMAN.has(next) && (nameAt(index, words, at, false)?.length ?? 0) < 2);
  return numbered ? undefined : post;
}

/** Words a bare name asked about is followed by ("… giờ thuộc", "… nay là", "… sáp nhập", "… now"). */
const SUBJECT_NEXT = new Set(['gio', 'h', 'bay', 'bh', 'nay', 'hien', 'thuoc', 'la', 'sap', 'nhap', 'gop', 'da', 'doi', 'truoc', 'sau', 'now', 'is', 'was', 'became', 'merged']);

/** Words that say a misspelt bare name is a name ("Tra Nog cũ", "Tra Nog ward"). */
const NAME_MARKERS = new Set(['cu', 'moi']);

/**
 * A bare misspelt name: right before an English kind word or "cũ"/"mới", or anywhere when `loose`
 * (a second scan of a message that asks a commune question but has no name the data knows).
 */
function bareFuzzy(index: NameIndex, words: readonly Word[], i: number, loose: boolean): Found | undefined {
  if (!mayBeName(words, i)) return undefined;
  // Loose: a name the question is about, right before what is asked ("Traa Noc giờ thuộc…").
  const marked = (end: number) => englishKindAfter(index, words, end) !== undefined || NAME_MARKERS.has(words[end]?.folded ?? '');
  return fuzzyAt(index, words, i, (end) => marked(end) || (loose && SUBJECT_NEXT.has(words[end]?.folded ?? '')));
}

/**
 * Finds the known names of a message (and kind words followed by unknown names). `loose`: read a
 * bare misspelt name anywhere (see {@link bareFuzzy}); only for a message that asks about communes.
 */
export function scanNames(index: NameIndex, words: readonly Word[], loose = false): { mentions: Mention[]; unknown: UnknownMention[] } {
  const mentions: Mention[] = [];
  const unknown: UnknownMention[] = [];
  let i = 0;
  while (i < words.length) {
    const kind = kindAt(words, i);
    const here = nameAt(index, words, i, false) ?? (kind ? undefined : bareFuzzy(index, words, i, loose));
    const step = kind ? afterKind(index, words, i, kind, here) : undefined;
    if (step) {
      if (step.mention) mentions.push(step.mention);
      if (step.unknown) unknown.push(step.unknown);
      i = step.next;
      continue;
    }
    if (here) {
      const end = i + here.length;
      const english = englishKindAfter(index, words, end);
      const entries = here.fuzzy ? index.names.get(here.key)! : entriesOf(index, here.key, words.slice(i, end));
      mentions.push({ start: i, end: end + (english?.length ?? 0), from: i, entries, ...(english ? { kind: english } : {}), words: words.slice(i, end), ...(here.fuzzy ? { fuzzy: true } : {}) });
      i = end + (english?.length ?? 0);
      continue;
    }
    i++;
  }
  return { mentions, unknown };
}
