/**
 * Webhook authentication for the Zalo Bot Platform: the `X-Bot-Api-Secret-Token` header must
 * equal the secret we registered. Compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `header` (the raw header value; an array when sent twice, which we refuse) equals
 * `secret`. Both sides are hashed first, so the comparison takes the same time whatever the
 * length or content of the forged value. An empty secret never matches.
 */
export function verifyZaloBotSecret(header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || header.length === 0 || secret.length === 0) return false;
  const given = createHash('sha256').update(header, 'utf8').digest();
  const expected = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(given, expected);
}
