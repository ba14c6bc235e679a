// The webhook secret check without hashing (issue 24): equal values match; anything else does
// not, whatever its length; an empty secret never matches.
import { describe, expect, it } from 'vitest';
import { SECRET_BUFFER_BYTES, SecretCheck } from '../../src/channels/secret-check.ts';
import { verifyZaloBotSecret } from '../../src/channels/zalo-bot/verify.ts';
import { telegramSecretMatches } from '../../src/channels/telegram/verify.ts';

describe('SecretCheck', () => {
  const check = new SecretCheck('s3cret-Token_42');

  it('matches the secret and nothing else', () => {
    expect(check.matches('s3cret-Token_42')).toBe(true);
    expect(check.matches('s3cret-Token_43')).toBe(false);
    expect(check.matches('s3cret-Token_4')).toBe(false); // a prefix
    expect(check.matches('s3cret-Token_42\u0000')).toBe(false); // padding is no match
    expect(check.matches('s3cret-Token_42x')).toBe(false);
    expect(check.matches('')).toBe(false);
    expect(check.matches(undefined)).toBe(false);
    expect(check.matches(['s3cret-Token_42'])).toBe(false);
    expect(check.matches('x'.repeat(SECRET_BUFFER_BYTES * 3))).toBe(false);
    expect(check.matches(`s3cret-Token_42${'x'.repeat(SECRET_BUFFER_BYTES)}`)).toBe(false);
  });

  it('works the same on repeated calls (its buffer is reused)', () => {
    for (let i = 0; i < 3; i++) {
      expect(check.matches('a-much-longer-forged-value-than-the-secret')).toBe(false);
      expect(check.matches('s3cret-Token_42')).toBe(true);
    }
  });

  it('handles secrets longer than its buffer and non-ASCII text', () => {
    const long = 'k'.repeat(SECRET_BUFFER_BYTES + 40);
    expect(new SecretCheck(long).matches(long)).toBe(true);
    expect(new SecretCheck(long).matches(long.slice(1))).toBe(false);
    expect(new SecretCheck('bí-mật').matches('bí-mật')).toBe(true);
    expect(new SecretCheck('bí-mật').matches('bi-mat')).toBe(false);
  });

  it('never matches without a secret (fail closed)', () => {
    expect(new SecretCheck('').matches('')).toBe(false);
    expect(new SecretCheck(undefined).matches('anything')).toBe(false);
    expect(telegramSecretMatches(undefined, 'anything')).toBe(false);
    expect(verifyZaloBotSecret('anything', '')).toBe(false);
  });

  it('is what the Telegram and Zalo Bot checks use', () => {
    expect(telegramSecretMatches('tg-secret', 'tg-secret')).toBe(true);
    expect(telegramSecretMatches('tg-secret', 'tg-secreT')).toBe(false);
    expect(verifyZaloBotSecret('zb-secret', 'zb-secret')).toBe(true);
    expect(verifyZaloBotSecret(['zb-secret'], 'zb-secret')).toBe(false);
  });
});
