/**
 * Zalo OA webhook signatures: `X-ZEvent-Signature` = sha256 hex of
 * `app_id + raw body + timestamp + OA secret key`, computed over the exact bytes received
 * (re-serialising the JSON would change them). Some deployments prefix the value with `mac=`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a signed event was refused. */
export type ZaloOaVerifyFailure = 'missing-signature' | 'malformed-body' | 'missing-timestamp' | 'bad-signature' | 'stale';

/** The outcome of verifying one event: its parsed body, or why it was refused. */
export type ZaloOaVerifyResult =
  | { readonly ok: true; readonly body: Record<string, unknown>; readonly timestampMs: number }
  | { readonly ok: false; readonly reason: ZaloOaVerifyFailure };

/** What verification needs. */
export interface ZaloOaVerifyInput {
  /** The signature header as received (string; arrays are refused). */
  readonly header: string | string[] | undefined;
  /** The raw request bytes. */
  readonly rawBody: Buffer;
  /** ZALO_OA_APP_ID. */
  readonly appId: string;
  /** ZALO_OA_SECRET_KEY (the OA secret key of the webhook settings). */
  readonly secretKey: string;
  /** Current time, epoch ms. */
  readonly nowMs: number;
  /** Largest accepted |now − timestamp|, seconds. */
  readonly maxAgeS: number;
}

/** sha256 hex of `appId + rawBody + timestamp + secretKey`, hashed over bytes. */
export function computeZaloOaSignature(appId: string, rawBody: Buffer, timestamp: string, secretKey: string): string {
  return createHash('sha256')
    .update(Buffer.from(appId, 'utf8'))
    .update(rawBody)
    .update(Buffer.from(timestamp, 'utf8'))
    .update(Buffer.from(secretKey, 'utf8'))
    .digest('hex');
}

/**
 * Verifies one event. The timestamp (ms) is the body's `timestamp` field; the signature is
 * compared in constant time, with or without `mac=`; an event older or newer than `maxAgeS`
 * is refused as stale (replays). Never throws.
 */
export function verifyZaloOaEvent(input: ZaloOaVerifyInput): ZaloOaVerifyResult {
  const given = typeof input.header === 'string' ? input.header.trim().replace(/^mac=/i, '').toLowerCase() : '';
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'missing-signature' };
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed-body' };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'malformed-body' };
  const record = body as Record<string, unknown>;
  const timestamp = typeof record.timestamp === 'string' || typeof record.timestamp === 'number' ? String(record.timestamp) : '';
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'missing-timestamp' };
  const expected = computeZaloOaSignature(input.appId, input.rawBody, timestamp, input.secretKey);
  if (!timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'))) return { ok: false, reason: 'bad-signature' };
  const timestampMs = Number(timestamp);
  if (Math.abs(input.nowMs - timestampMs) > input.maxAgeS * 1000) return { ok: false, reason: 'stale' };
  return { ok: true, body: record, timestampMs };
}
