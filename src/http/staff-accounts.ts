/**
 * Staff passwords and accounts: scrypt hashing with a random salt, constant-time checks, and
 * the rules for usernames and passwords. Used by the login route, `npm run staff` and the
 * development seed.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../core/errors.ts';
import { neutralizeBidi } from '../core/text.ts';
import type { StaffAccount, StaffDirectory, StaffRole } from '../core/ports.ts';

/** Shortest password accepted. */
export const STAFF_PASSWORD_MIN = 10;
/** Longest password accepted (scrypt takes any length; this bounds the work per request). */
export const STAFF_PASSWORD_MAX = 256;
/** Lower-case letters, digits, dot, dash, underscore; 2–32 characters, starting with a letter or digit. */
export const STAFF_USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

/**
 * scrypt cost: N = 2^15, r = 8, p = 3, one of OWASP's equivalent minimums (32 MiB per check;
 * p runs its lanes one after another in the same memory, so three times the time of p = 1, not
 * three times the memory), 32-byte key, 16-byte salt. Hashes made with other parameters are
 * made again with these at the next successful login ({@link needsRehash}).
 */
export const SCRYPT_COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const COST = SCRYPT_COST;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAXMEM = 128 * COST.N * COST.r * 2;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** A staff input that breaks the account rules (the message says which rule). */
export class StaffAccountError extends AppError {
  constructor(message: string) {
    super('STAFF_ACCOUNT_INVALID', message);
  }
}

/** Hashes a password as `scrypt$N$r$p$<salt b64>$<key b64>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { ...COST, maxmem: MAXMEM });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/**
 * True when `password` matches `stored` (compared in constant time). A malformed or unknown
 * hash is simply false. Costs one scrypt either way.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(key ?? '', 'base64');
  const valid =
    kind === 'scrypt' && salt !== undefined && expected.length >= 16 &&
    [cost.N, cost.r, cost.p].every((v) => Number.isInteger(v) && v > 0) && cost.N <= 2 ** 20 && cost.r <= 32 && cost.p <= 16;
  if (!valid) {
    await dummyCheck(password);
    return false;
  }
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { ...cost, maxmem: 128 * cost.N * cost.r * 2 });
  return timingSafeEqual(actual, expected);
}

/** True when `stored` was not made with {@link SCRYPT_COST} (an older, cheaper hash): hash the password again. */
export function needsRehash(stored: string): boolean {
  const [kind, n, r, p] = stored.split('$');
  return kind !== 'scrypt' || Number(n) !== COST.N || Number(r) !== COST.r || Number(p) !== COST.p;
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real check would, for a username that does not exist, so response times
 * do not tell which usernames are real.
 */
export async function dummyCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  const stored = await dummyHash;
  const [, , , , salt, key] = stored.split('$');
  await scrypt(password, Buffer.from(salt!, 'base64'), Buffer.from(key!, 'base64').length, { ...COST, maxmem: MAXMEM });
  return false;
}

/** Checks a username; throws {@link StaffAccountError}. Returns it as stored (lower case). */
export function checkUsername(raw: string): string {
  const username = raw.trim().toLowerCase();
  if (!STAFF_USERNAME.test(username)) {
    throw new StaffAccountError('username: 2-32 characters of a-z, 0-9, ".", "-", "_", starting with a letter or digit');
  }
  return username;
}

/** Checks a password's length; throws {@link StaffAccountError}. */
export function checkPassword(password: string): void {
  if (password.length < STAFF_PASSWORD_MIN) throw new StaffAccountError(`password: at least ${STAFF_PASSWORD_MIN} characters`);
  if (password.length > STAFF_PASSWORD_MAX) throw new StaffAccountError(`password: at most ${STAFF_PASSWORD_MAX} characters`);
}

/** What {@link putStaffAccount} needs. */
export interface NewStaffAccount {
  readonly username: string;
  readonly password: string;
  readonly role: StaffRole;
  readonly displayName?: string;
}

/**
 * Creates or replaces an account (`nowMs`: when; a replaced account keeps its creation time).
 * Replacing one (a new password) ends every console session of it, so whoever knew the old
 * password is out at once. Throws {@link StaffAccountError} on bad input.
 */
export async function putStaffAccount(directory: StaffDirectory, input: NewStaffAccount, nowMs: number): Promise<StaffAccount> {
  const username = checkUsername(input.username);
  checkPassword(input.password);
  // Bidirectional overrides would make the name read differently to staff and citizens.
  const displayName = input.displayName === undefined ? undefined : neutralizeBidi(input.displayName).replace(/\p{Cc}/gu, '').trim();
  if (displayName !== undefined && (displayName.length === 0 || displayName.length > 60)) {
    throw new StaffAccountError('display name: 1-60 characters');
  }
  const existing = await directory.getAccount(username);
  const replaced = existing !== null;
  const account: StaffAccount = {
    username,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    createdAtMs: existing?.createdAtMs ?? nowMs,
    ...(replaced ? { passwordChangedAtMs: nowMs } : {}),
    ...(displayName ? { displayName } : {}),
  };
  await directory.putAccount(account);
  if (replaced) await directory.endSessions(username);
  return account;
}
