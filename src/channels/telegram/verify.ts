/**
 * Webhook authenticity: Telegram echoes the `secret_token` given to setWebhook in the
 * `X-Telegram-Bot-Api-Secret-Token` header of every update it posts.
 */
import { hash, timingSafeEqual } from 'node:crypto';

/** The header Telegram puts the webhook secret in (Fastify lower-cases header names). */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * True when `provided` equals `expected`, compared in constant time. Both sides are hashed
 * first so neither the content nor the length of the secret leaks through timing.
 * A missing/empty expected secret never matches (fail closed); an array header never matches.
 */
export function telegramSecretMatches(expected: string | undefined, provided: string | string[] | undefined): boolean {
  if (!expected || typeof provided !== 'string' || provided.length === 0) return false;
  return timingSafeEqual(expectedDigest(expected), sha256(provided));
}

/** The configured secret's digest, computed once (the secret does not change while running). */
let cached: { readonly secret: string; readonly digest: Buffer } | undefined;
function expectedDigest(secret: string): Buffer {
  if (cached?.secret !== secret) cached = { secret, digest: sha256(secret) };
  return cached.digest;
}

function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
