/**
 * Webhook authenticity: Telegram echoes the `secret_token` given to setWebhook in the
 * `X-Telegram-Bot-Api-Secret-Token` header of every update it posts.
 */
import { SecretCheck } from '../secret-check.ts';

/** The header Telegram puts the webhook secret in (Fastify lower-cases header names). */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * True when `provided` equals `expected`, compared in constant time (see channels/secret-check.ts:
 * neither the content nor the length of the secret leaks through timing, and nothing is hashed).
 * A missing/empty expected secret never matches (fail closed); an array header never matches.
 */
export function telegramSecretMatches(expected: string | undefined, provided: string | string[] | undefined): boolean {
  if (!expected) return false;
  return checkFor(expected).matches(provided);
}

/** The check for the configured secret, made once (the secret does not change while running). */
let cached: { readonly secret: string; readonly check: SecretCheck } | undefined;
function checkFor(secret: string): SecretCheck {
  if (cached?.secret !== secret) cached = { secret, check: new SecretCheck(secret) };
  return cached.check;
}
