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

// ── What is kept for reports ────────────────────────────────────────────────

// An address with its @ (spaces around it and around the dots tolerated: "an @ gmail . com").
const LOOSE_EMAIL = /(?:[\p{L}\p{N}._%+-]+\s?)?@\s?[\p{L}\p{N}-]+(?:\s?\.\s?[\p{L}\p{N}-]+)*/gu;
// Digit groups (spaces, dots, dashes, brackets between them) making 6 digits or more: phone
// numbers typed for a call-back ("0901 234 567", "(0292) 3821 234"), OTP codes, account numbers.
const LONG_NUMBER = /(?<![\p{L}\p{N}])\+?\(?\d(?:[\s.()-]{0,2}\d){5,}\)?(?![\p{L}\p{N}])/gu;
// A secret named in folded text: password, passcode, PIN, OTP or a verification code.
const SECRET_WORD = /(?<![\p{L}\p{N}])(?:mat khau|mat ma|mk|password|passcode|pass|pwd|ma pin|pin|otp|ma otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bao mat)(?![\p{L}\p{N}])/gu;
// Words between a secret's name and its value ("mật khẩu của tôi là …", "my password is …").
const FILLER = new Set(['cua', 'toi', 'tui', 'em', 'minh', 'anh', 'chi', 'con', 'moi', 'cu', 'la', 'is', 'my', 'the', ':', '=', '-']);
// After "là" / ":" a word is a value unless it asks ("mật khẩu là gì?").
const NOT_A_VALUE = new Set(['gi', 'sao', 'nao', 'bao', 'nhieu', 'dau', 'the', 'ai', 'khong', 'chua', 'duoc', 'bi', 'sai', 'quen', 'what', 'wrong']);
const OTP_WORDS = new Set(['otp', 'ma otp', 'ma xac thuc', 'ma xac nhan', 'ma kich hoat', 'ma bao mat']);

/** One letter folded (no diacritics, đ → d, lower case), keeping the text's length. */
function foldUnit(ch: string): string {
  if (ch === 'đ' || ch === 'Đ') return 'd';
  const base = ch.normalize('NFD')[0] ?? ch;
  const lower = base.toLowerCase();
  return lower.length === 1 ? lower : base;
}

/** True for what a password or code looks like: 4+ characters with a digit or a symbol, or (after "là") any word that does not ask. */
function looksLikeSecret(word: string, afterIs: boolean): boolean {
  if (word.length >= 4 && /[\d!#$%&*+/=?^_~@-]/u.test(word)) return true;
  return afterIs && word.length >= 3 && !NOT_A_VALUE.has(word);
}

/**
 * Masks the value given after a secret's name ("mật khẩu là Abc12345" → "mật khẩu là [mật khẩu]").
 * Within the three words after the name (fillers such as "của tôi là" not counted), the words up
 * to the last one that looks like a secret go: "mat khau hoa 12345xyz" keeps neither half.
 */
function maskSecretValues(text: string): string {
  const folded = Array.from(text, foldUnit).join('');
  if (folded.length !== text.length) return text; // never expected after NFC; masking by position would be unsafe
  const cuts: [number, number, string][] = [];
  for (const named of folded.matchAll(SECRET_WORD)) {
    const cut = valueAfter(folded, named.index + named[0].length);
    if (cut) cuts.push([cut[0], cut[1], OTP_WORDS.has(named[0]) ? '[otp]' : '[mật khẩu]']);
  }
  let out = text;
  let before = Infinity;
  for (const [from, to, placeholder] of cuts.sort((a, b) => b[0] - a[0])) {
    if (to > before) continue; // overlaps a later cut already made
    out = out.slice(0, from) + placeholder + out.slice(to);
    before = from;
  }
  return out;
}

/** Where the value after a secret's name (ending at `from`) lies in the folded text, or null. */
function valueAfter(folded: string, from: number): [number, number] | null {
  const rest = /\S+/gu;
  rest.lastIndex = from;
  let afterIs = false;
  let start = -1;
  let end = -1;
  for (let words = 0, m = rest.exec(folded); m && words < 3; m = rest.exec(folded)) {
    const word = m[0].replace(/[.,;!?…)]+$/u, '');
    if (word === '' || FILLER.has(word)) {
      afterIs ||= word === 'la' || word === 'is' || word === ':' || word === '=';
      continue;
    }
    if (start < 0) start = m.index;
    if (looksLikeSecret(word, afterIs && words === 0)) end = m.index + word.length;
    words++;
  }
  return end > 0 ? [start, end] : null;
}

/**
 * What of a citizen's message may be kept for reports, masked BEFORE any normalisation
 * (normalising first strips the "@" and "." an e-mail address is recognised by): e-mail
 * addresses, a password, passcode, PIN or OTP code given with its value, ID and phone numbers
 * (a call-back number included), and any other number of 6 digits or more.
 */
export function maskForReport(text: string): string {
  let out = text.normalize('NFC');
  if (out.includes('@')) out = out.replace(LOOSE_EMAIL, '[email]');
  out = maskSecretValues(out);
  if (!HAS_DIGIT.test(out)) return out;
  out = maskPii(out);
  return out.replace(LONG_NUMBER, (run) => (/^(?:\+?84|0)\d{8,10}$/.test(run.replace(/[\s.()-]/g, '')) ? '[sđt]' : '[số]'));
}

/**
 * Masks what may remain in a report query normalised before masking (recorded by versions
 * before {@link maskForReport}): the words of an e-mail address after "email"/"mail" or before
 * a mail domain, the value after a password's name, and words with 6 digits or more. Used to
 * purge what was kept, and as a second net on what is kept.
 */
export function scrubNormalizedQuery(query: string): string {
  let words = query.split(' ').filter((w) => w.length > 0);
  const mailAt = words.findIndex((w) => MAIL_DOMAINS.has(w));
  const keyAt = words.findIndex((w) => w === 'email' || w === 'mail' || w === 'gmail');
  const tldAt = words.findLastIndex((w) => TLDS.has(w));
  if (keyAt >= 0 || mailAt >= 0) {
    const from = keyAt >= 0 && words[keyAt] !== 'gmail' ? keyAt + 1 : Math.max(0, (mailAt >= 0 ? mailAt : keyAt) - 3);
    const to = Math.max(tldAt, mailAt, keyAt >= 0 && words[keyAt] === 'gmail' ? keyAt : -1);
    if (to >= from) words = [...words.slice(0, from), '[email]', ...words.slice(to + 1)];
  }
  return maskSecretValues(words.join(' ')).replace(/[^\s[\]]*\d{6,}[^\s[\]]*/gu, '[số]');
}

const MAIL_DOMAINS = new Set(['gmail', 'yahoo', 'hotmail', 'outlook', 'icloud', 'ymail', 'live', 'proton', 'protonmail']);
const TLDS = new Set(['com', 'vn', 'net', 'org', 'edu', 'gov', 'info', 'io', 'me', 'biz']);
