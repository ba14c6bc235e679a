/**
 * A small cache of recent searches: many citizens ask the same few questions ("làm căn cước",
 * "kích hoạt vneid"), and a repeated question costs a map lookup instead of a search. The key
 * is everything the result depends on: the text and the context (the guide the citizen has
 * open and that guide's app subject). One cache belongs to one built index, so a content
 * reload, which builds a new index, starts with an empty one. Pure.
 */
import type { GuideIndex, SearchContext, SearchResult } from '../core/ports.ts';

/** Default number of results kept (a few hundred KB). */
export const SEARCH_CACHE_SIZE = 1000;

/** Longest text kept in the cache, characters: long messages are rarely repeated word for word. */
export const SEARCH_CACHE_MAX_CHARS = 200;

/** Options of {@link withResultCache}. */
export interface ResultCacheOptions {
  /** Results kept, least recently used dropped first (0 = no cache). Default {@link SEARCH_CACHE_SIZE}. */
  readonly size?: number;
  /** Told of every lookup (metrics): true for a hit. */
  readonly counted?: (hit: boolean) => void;
}

/** The key of a search: the context's parts, then the text (none of them contains U+0000). */
function keyOf(text: string, context: SearchContext | undefined): string {
  if (!context || (context.openGuide === undefined && context.subject === undefined)) return text;
  return `${context.openGuide ?? ''}\u0000${context.subject ?? ''}\u0000${text}`;
}

/**
 * `index` with its results kept for repeated searches. Results are shared between the callers
 * that ask the same: they are read-only (the SearchResult type says so). Other members of the
 * index (its size, `explain`…) are those of `index`.
 */
export function withResultCache<T extends GuideIndex>(index: T, options: ResultCacheOptions = {}): T {
  const size = options.size ?? SEARCH_CACHE_SIZE;
  if (size <= 0) return index;
  const kept = new Map<string, SearchResult>();
  const cached = Object.create(index) as T & { search: GuideIndex['search'] };
  cached.search = (text, context) => {
    if (text.length > SEARCH_CACHE_MAX_CHARS) return index.search(text, context);
    const key = keyOf(text, context);
    const hit = kept.get(key);
    if (hit !== undefined) {
      kept.delete(key); // most recently used last
      kept.set(key, hit);
      options.counted?.(true);
      return hit;
    }
    options.counted?.(false);
    const result = index.search(text, context);
    kept.set(key, result);
    if (kept.size > size) kept.delete(kept.keys().next().value!);
    return result;
  };
  return cached;
}
