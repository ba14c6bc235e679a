/**
 * Pure helpers of the hand-off history: case ids, the words a case is found by, label rules,
 * the case's title (the citizen's first question, masked) and when a resolved case may be
 * reopened. Stores and the desk share them, so memory and Redis find the same cases.
 */
import { maskPii } from '../privacy.ts';
import type { CaseRecord } from '../ports-history.ts';
import { foldText } from '../text.ts';
import type { ConversationId, TranscriptEntry } from '../types.ts';

/** A resolved case may be reopened when the citizen wrote again within this long of its closing. */
export const CASE_REOPEN_WINDOW_MS = 24 * 3_600_000;
/** Longest label, in characters. */
export const LABEL_MAX_CHARS = 30;
/** Most labels on one case. */
export const LABELS_PER_CASE_MAX = 8;
/** Longest case title (the first question), in characters. */
export const CASE_TITLE_MAX_CHARS = 90;
/** Most distinct search words taken from one line. */
const TOKENS_PER_LINE_MAX = 120;

/** FNV-1a of a string, base 36 (short, stable, not secret). */
function fnv36(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36);
}

/** The id of the case a conversation opened at `startedAtMs`: `[0-9a-z]+-[0-9a-z]+`, safe in URLs and keys. */
export function caseIdOf(conversationId: ConversationId, startedAtMs: number): string {
  return `${Math.max(0, Math.floor(startedAtMs)).toString(36)}-${fnv36(conversationId)}`;
}

/** True for a string shaped like {@link caseIdOf}'s ids. */
export function isCaseId(s: string): boolean {
  return /^[0-9a-z]{1,12}-[0-9a-z]{1,8}$/.test(s);
}

/** A text's words, lower case (NFC), split at anything but letters and digits. */
function wordsOf(text: string): string[] {
  return text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The five tone marks (combining), and a digit for each. */
const TONES: Record<string, string> = { '\u0301': '1', '\u0300': '2', '\u0309': '3', '\u0303': '4', '\u0323': '5' };

/**
 * A word with diacritics as matched: its letters (ă â ê ô ơ ư đ kept) and its tone as a digit
 * at the end, wherever the tone mark was written ("khoá" and "khóa" → "khoa1"; "căn" ≠ "cán").
 */
function toneKey(word: string): string {
  let tone = '';
  const base = word.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, (m) => {
    tone = TONES[m] ?? '';
    return '';
  });
  return `${base.normalize('NFC')}${tone}`;
}

/** A usable search word: 2–24 characters, not a run of five or more digits. */
const usable = (w: string): boolean => w.length >= 2 && w.length <= 25 && !/^\d{5,}$/.test(w);

/**
 * The words a text is found by: personal numbers masked first (never indexed); each word
 * folded (no diacritics: "can", found by "can cuoc") and, when it has diacritics, also with
 * them ("căn", so "căn cước" does not find "cán bộ"; tone marks placed either way match);
 * 2–25 characters, no long digit runs; distinct, in order.
 */
export function searchTokens(text: string, max = TOKENS_PER_LINE_MAX): string[] {
  const out = new Set<string>();
  for (const word of wordsOf(maskPii(text))) {
    const folded = foldText(word).replace(/\s+/g, '');
    if (usable(folded)) out.add(folded);
    const keyed = toneKey(word);
    if (keyed !== folded && usable(keyed)) out.add(keyed);
    if (out.size >= max) break;
  }
  return [...out];
}

/**
 * The words a search asks for: a word typed with diacritics must match as written, one typed
 * without matches either way (see {@link searchTokens}); words under 2 characters are ignored.
 * Null when the query holds a word no case can be found by — a run of five or more digits
 * (personal numbers are never indexed) or a too-long word — so such a search finds nothing
 * rather than everything.
 */
export function queryTokens(text: string): string[] | null {
  const out = new Set<string>();
  for (const word of wordsOf(text)) {
    if (word.length < 2) continue;
    if (!usable(word)) return null;
    const folded = foldText(word).replace(/\s+/g, '');
    out.add(word === folded ? folded : toneKey(word));
  }
  return [...out];
}

/** A label as stored and matched: folded, words joined by `-` ("Khiếu nại" → "khieu-nai"). */
export function labelKey(label: string): string {
  return foldText(label).replace(/\s+/g, '-').slice(0, LABEL_MAX_CHARS * 2);
}

/**
 * Labels as staff typed them, tidied: trimmed, inner spaces single, 1–{@link LABEL_MAX_CHARS}
 * characters, one per folded key (the first spelling wins), at most {@link LABELS_PER_CASE_MAX}.
 * Returns null when one is empty or too long, or there are too many.
 */
export function tidyLabels(labels: readonly string[]): string[] | null {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of labels) {
    const label = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (label.length === 0 || [...label].length > LABEL_MAX_CHARS || labelKey(label) === '') return null;
    const key = labelKey(label);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(label);
  }
  return out.length > LABELS_PER_CASE_MAX ? null : out;
}

/**
 * The case's title: the citizen's first real question among `lines` (not a button press, a
 * number, a greeting or the request for a person — `isQuestion` decides), else their last line,
 * masked and cut to {@link CASE_TITLE_MAX_CHARS}. Empty when they wrote nothing.
 */
export function caseTitle(lines: readonly TranscriptEntry[], isQuestion: (text: string) => boolean): string {
  const said = lines.filter((e) => e.role === 'citizen' && !/^\[\d+\]$/.test(e.text.trim()) && e.text.trim() !== '');
  const question = said.find((e) => foldText(e.text).split(' ').length >= 2 && isQuestion(e.text));
  const text = (question ?? said[said.length - 1])?.text ?? '';
  const masked = maskPii(text.replace(/\s+/g, ' ').trim());
  const chars = [...masked];
  return chars.length <= CASE_TITLE_MAX_CHARS ? masked : `${chars.slice(0, CASE_TITLE_MAX_CHARS - 1).join('')}…`;
}

/** True when a resolved case may be reopened at `nowMs`: the citizen wrote after it closed, within a day, and that was within the last day. */
export function canReopen(record: CaseRecord, nowMs: number): boolean {
  if (record.status !== 'resolved' || record.closedAtMs === undefined || record.lastCitizenAtMs === undefined) return false;
  const wroteAfter = record.lastCitizenAtMs > record.closedAtMs && record.lastCitizenAtMs - record.closedAtMs <= CASE_REOPEN_WINDOW_MS;
  return wroteAfter && nowMs - record.lastCitizenAtMs <= CASE_REOPEN_WINDOW_MS;
}
