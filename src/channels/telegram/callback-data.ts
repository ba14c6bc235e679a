/**
 * The short, opaque `callback_data` of option buttons: `n:<index>` or `n:<index>:<menuSeq>`.
 * It only names a position in the conversation's last menu; what the option does is resolved
 * server-side by the engine, so a forged value can at worst pick another visible option.
 */
import { TELEGRAM_CALLBACK_DATA_LIMIT } from './limits.ts';

/** A decoded option button press. */
export interface OptionCallback {
  /** 1-based index of the option in its menu. */
  readonly index: number;
  /** The menu the button belonged to, when it was encoded (menuSeq > 0). */
  readonly menuSeq?: number;
}

const PATTERN = /^n:([1-9]\d{0,3})(?::(\d{1,15}))?$/;

/**
 * Encodes an option button. `menuSeq` 0 (no menu) is left out.
 * Throws RangeError for an index below 1 or a result over TELEGRAM_CALLBACK_DATA_LIMIT bytes.
 */
export function encodeOptionCallback(index: number, menuSeq: number): string {
  if (!Number.isInteger(index) || index < 1 || index > 9999) throw new RangeError(`bad option index ${index}`);
  const data = menuSeq > 0 && Number.isSafeInteger(menuSeq) ? `n:${index}:${menuSeq}` : `n:${index}`;
  if (Buffer.byteLength(data, 'utf8') > TELEGRAM_CALLBACK_DATA_LIMIT) throw new RangeError('callback_data too long');
  return data;
}

/** Decodes `callback_data`; null for anything we did not produce (old formats, other bots, forgeries). */
export function decodeOptionCallback(data: string | undefined): OptionCallback | null {
  if (data === undefined) return null;
  const m = PATTERN.exec(data);
  if (!m) return null;
  const index = Number(m[1]);
  const menuSeq = m[2] === undefined ? undefined : Number(m[2]);
  if (menuSeq !== undefined && !Number.isSafeInteger(menuSeq)) return null;
  return menuSeq === undefined ? { index } : { index, menuSeq };
}
