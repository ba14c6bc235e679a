/**
 * The form of a message kept for editors' reports (`SearchResult.normalized`): the message is
 * masked first (e-mail addresses, passwords and codes given with their value, phone, ID and
 * other long numbers), then normalised piece by piece around the placeholders. Normalising
 * first would strip the "@" and "." an address is recognised by ("email nguyenvana pii exampl").
 */
import type { SearchResult } from '../core/ports.ts';
import { maskForReport } from '../core/privacy.ts';
import type { IndexParts } from './index-parts.ts';
import { analyseQuery } from './query.ts';

/** Splits a masked text at its placeholders (kept, at the odd positions). */
const PLACEHOLDERS = /(\[(?:email|mật khẩu|otp|sđt|số|cccd|cmnd)\])/u;

/** `result` with `normalized` made from the masked message (unchanged when nothing was masked). */
export function withReportForm(p: IndexParts, text: string, result: SearchResult): SearchResult {
  const pieces = maskForReport(text).split(PLACEHOLDERS);
  if (pieces.length === 1) return result;
  const words = pieces.map((piece, i) => (i % 2 === 1 ? piece : analyseQuery(p.ctx, piece).normalized)).filter((w) => w.length > 0);
  return { ...result, normalized: words.join(' ') };
}
