/**
 * How much of a citizen's message the search reads: a long message is cut to its start and its
 * end, so one very long message cannot hold the event loop.
 */
import type { GuideIndex } from './core/ports.ts';

/**
 * Longest part of a message the search reads. A question is short, and search time grows with
 * length: a 4,000-character message would hold the event loop for about half a second.
 */
export const SEARCH_QUERY_MAX_CHARS = 300;

/** The index, reading at most `maxChars` of each query (the message itself stays whole). */
export function capQueryLength(index: GuideIndex, maxChars: number): GuideIndex {
  const capped = Object.create(index) as GuideIndex & { search: GuideIndex['search'] };
  capped.search = (query, context) => index.search(query.length > maxChars ? headAndTail(query, maxChars) : query, context);
  return capped;
}

/**
 * The start and the end of a long message, `maxChars` in all, cut between words and joined as
 * two clauses: an elderly citizen's long message often puts its question last ("…, giờ phải
 * làm sao?").
 */
export function headAndTail(text: string, maxChars: number): string {
  const half = Math.floor(maxChars / 2);
  let head = text.slice(0, half);
  let tail = text.slice(-half);
  const lastSpace = head.lastIndexOf(' ');
  if (lastSpace > 0) head = head.slice(0, lastSpace);
  const firstSpace = tail.indexOf(' ');
  if (firstSpace >= 0) tail = tail.slice(firstSpace + 1);
  return `${head}, ${tail}`;
}
