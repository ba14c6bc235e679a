/**
 * Zalo Official Account API v3 limits, error codes and the capabilities the shared renderer
 * adapts messages to. https://developers.zalo.me/docs/official-account
 */
import type { ChannelCapabilities } from '../../core/ports.ts';

/** Longest text of one consultation message, in characters (longer texts are refused, error -210). */
export const ZALO_OA_TEXT_LIMIT = 2000;

/** Most buttons one message template carries (OA API v3). */
export const ZALO_OA_MAX_BUTTONS = 5;

/** Longest button title, in characters (OA API v3). */
export const ZALO_OA_BUTTON_TITLE_LIMIT = 100;

/** Longest `oa.query.show` payload, in characters (OA API v3). */
export const ZALO_OA_BUTTON_PAYLOAD_LIMIT = 1000;

/** Webhook path served for the Official Account. */
export const ZALO_OA_WEBHOOK_PATH = '/webhooks/zalo-oa';

/** Header carrying the event signature (`mac=<hex>` or bare hex). */
export const ZALO_OA_SIGNATURE_HEADER = 'x-zevent-signature';

/** Consultation ("tư vấn") message endpoint, under ZALO_OA_API_ROOT. */
export const ZALO_OA_CS_MESSAGE_PATH = '/v3.0/oa/message/cs';

/** Token endpoint (refresh_token grant), under ZALO_OA_OAUTH_ROOT. */
export const ZALO_OA_TOKEN_PATH = '/v4/oa/access_token';

/** Error codes meaning our access token is invalid or expired: refresh, then try once more. */
export const ZALO_OA_TOKEN_ERROR_CODES: readonly number[] = Object.freeze([-216, -124]);

/**
 * Error codes meaning this citizen cannot receive consultation messages now; never retried,
 * the conversation is marked unreachable. -230: no interaction with the OA in the last 7 days;
 * -213: the user has not followed the OA (or unfollowed it).
 */
export const ZALO_OA_UNREACHABLE_CODES: readonly number[] = Object.freeze([-230, -213]);

/** Lifetime of an OA access token as Zalo issues it today (about 25 h), ms; used when a response omits expires_in. */
export const ZALO_OA_ACCESS_TOKEN_TTL_MS = 25 * 60 * 60 * 1000;

/**
 * Error codes meaning the app calls the OA API too fast (HTTP 200 with `error` set): retried
 * with backoff, then RateLimitedError. From Zalo's OA API error table.
 */
export const ZALO_OA_RATE_LIMIT_CODES: readonly number[] = Object.freeze([-32]);

/**
 * Error codes meaning the OA's message quota is used up (HTTP 200 with `error` set): not
 * retried (it does not come back within seconds), counted, logged, and shown in /readyz until
 * a send succeeds again. From Zalo's OA API error table.
 */
export const ZALO_OA_QUOTA_CODES: readonly number[] = Object.freeze([-211]);

/**
 * What an OA chat can show: option buttons (oa.query.hide) and link buttons (oa.open.url). The
 * options are numbered in the text as well: Zalo PC may not show the button template.
 */
export const ZALO_OA_CAPABILITIES: ChannelCapabilities = Object.freeze({
  textLimit: ZALO_OA_TEXT_LIMIT,
  optionButtons: true,
  optionsAlsoInText: true,
  urlButtons: true,
  maxButtons: ZALO_OA_MAX_BUTTONS,
  buttonLabelLimit: ZALO_OA_BUTTON_TITLE_LIMIT,
});
