/**
 * Webhook authentication for the Zalo Bot Platform: the `X-Bot-Api-Secret-Token` header must
 * equal the secret we registered. Compared in constant time, without hashing (see
 * channels/secret-check.ts).
 */
import { SecretCheck } from '../secret-check.ts';

/**
 * True when `header` (the raw header value; an array when sent twice, which we refuse) equals
 * `secret`, in a time that depends on neither the length nor the content of the forged value.
 * An empty secret never matches.
 */
export function verifyZaloBotSecret(header: string | string[] | undefined, secret: string): boolean {
  return checkFor(secret).matches(header);
}

/** The check for the configured secret, made once (the secret does not change while running). */
let cached: { readonly secret: string; readonly check: SecretCheck } | undefined;
function checkFor(secret: string): SecretCheck {
  if (cached?.secret !== secret) cached = { secret, check: new SecretCheck(secret) };
  return cached.check;
}
