/**
 * Masks personal numbers and addresses in free text before it is logged or kept for reports:
 * 12-digit ID card numbers, 9-digit old ID numbers, phone numbers, bank account numbers and
 * emails. Masking keeps the shape (so editors still see that a number was typed) but not the value.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Runs of digits possibly broken by spaces, dots or dashes (phone "0912 345 678", "+84 912-345-678").
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\d(?:[\s.-]?\d){7,}(?![\p{L}\p{N}])/gu;
const HAS_DIGIT = /\d/;

/** Replaces personal numbers and emails in `text` with placeholders like `[số]` / `[email]`. */
export function maskPii(text: string): string {
  // Most texts hold neither an @ nor a run of 8 digits: skip the Unicode-aware scans then.
  const masked = text.includes('@') ? text.replace(EMAIL, '[email]') : text;
  if (!HAS_DIGIT.test(masked)) return masked;
  return masked.replace(DIGIT_RUN, (run) => {
    const digits = run.replace(/\D/g, '');
    if (digits.length === 12) return '[cccd]';
    if (digits.length === 9) return '[cmnd]';
    if (/^(?:\+?84|0)\d{9,10}$/.test(run.replace(/[\s.-]/g, ''))) return '[sđt]';
    return '[số]';
  });
}

/** True when `text` contains something maskPii would hide. */
export function containsPii(text: string): boolean {
  return maskPii(text) !== text;
}

// "mã otp là 123456", "mật khẩu: abc123", "stk 0123456789": a secret given away with its value
// (folded text). The value has four characters or more, one a digit: "sai mật khẩu 5 lần" is no secret.
const SECRET =
  /\b(?:otp|ma xac thuc|ma xac nhan|mat khau|mk|passcode|password|pass|ma pin|pin|stk|so tai khoan|so the)\b\s*(?:cua (?:toi|em|minh|tui) )?(?:la|:|=)?\s*(?=[\p{L}\p{N}]{4,})[\p{L}]*\d/u;

/**
 * True when a citizen's message gives away what nobody should send in a chat: a full ID number
 * (12 digits, or 9 for the old card), a card number (16 or 19 digits), or an OTP code, password or
 * account number with its value. Phone numbers, emails and other codes (a dossier's number) are
 * not counted. `folded`: the text without diacritics, lower case.
 */
export function revealsSecrets(text: string, folded: string): boolean {
  if (HAS_DIGIT.test(text)) {
    for (const run of text.match(DIGIT_RUN) ?? []) {
      const compact = run.replace(/[\s.-]/g, '');
      if (/^(?:\+?84|0)\d{9,10}$/.test(compact)) continue; // a phone number
      if (compact.length === 12 || compact.length === 9 || compact.length === 16 || compact.length === 19) return true;
    }
  }
  return SECRET.test(folded);
}
