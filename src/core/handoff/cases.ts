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

/**
 * The words a text is found by: personal numbers masked first (never indexed), folded (no
 * diacritics, lower case), 2–24 characters, no long digit runs; distinct, in order.
 */
export function searchTokens(text: string, max = TOKENS_PER_LINE_MAX): string[] {
  const out = new Set<string>();
  for (const word of foldText(maskPii(text)).split(/[\s/]+/)) {
    if (word.length < 2 || word.length > 24 || /^\d{5,}$/.test(word)) continue;
    out.add(word);
    if (out.size >= max) break;
  }
  return [...out];
}

/**
 * The words a search asks for: folded, 2–24 characters each (shorter words are ignored). Null
 * when the query holds a word no case can be found by — a run of five or more digits (personal
 * numbers are never indexed) or a too-long word — so such a search finds nothing rather than everything.
 */
export function queryTokens(text: string): string[] | null {
  const out = new Set<string>();
  for (const word of foldText(text).split(/[\s/]+/)) {
    if (word.length < 2) continue;
    if (word.length > 24 || /^\d{5,}$/.test(word)) return null;
    out.add(word);
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
