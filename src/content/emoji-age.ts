/**
 * Emoji too new for the phones many elderly citizens use. Android 9 and older (and other phones
 * without font updates) know the emoji up to Emoji 11.0 (2018); newer ones, such as 🪪 and 🛟
 * (Emoji 14.0, 2021), show there as empty boxes. Every emoji whose code point came with
 * Emoji 12.0 (2019) or later is listed here by range; content:check warns about them.
 * https://unicode.org/emoji/charts/emoji-versions.html
 */

/** The last Emoji version every phone we serve can show. */
export const SAFE_EMOJI_VERSION = '11.0';

/** Code point ranges (inclusive) of emoji added in Emoji 12.0 or later. */
const NEW_EMOJI_RANGES: readonly (readonly [number, number])[] = [
  [0x26a7, 0x26a7], // ⚧ 13.0
  [0x1f6d5, 0x1f6df], // 🛕 12.0 … 🛟 14.0
  [0x1f6fa, 0x1f6ff], // 🛺 12.0, 🛻 13.0 …
  [0x1f7e0, 0x1f7ff], // 🟠 coloured circles and squares 12.0, 🟰 14.0
  [0x1f90c, 0x1f90f], // 🤌 13.0, 🤍🤎🤏 12.0
  [0x1f93f, 0x1f93f], // 🤿 12.0
  [0x1f971, 0x1f972], // 🥱 12.0, 🥲 13.0
  [0x1f977, 0x1f979], // 🥷 13.0 … 🥹 14.0
  [0x1f97b, 0x1f97b], // 🥻 12.0
  [0x1f9a3, 0x1f9af], // 🦣 13.0 … 🦯 12.0
  [0x1f9ba, 0x1f9bf], // 🦺 12.0 …
  [0x1f9c3, 0x1f9cf], // 🧃 12.0 … 🧌 14.0 … 🧏 12.0
  [0x1fa70, 0x1faff], // Symbols and Pictographs Extended-A: all from 12.0 (🪪 14.0 …)
];

function isNew(codePoint: number): boolean {
  return NEW_EMOJI_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** An emoji too new for older phones, and where it is in the text (UTF-16 index). */
export interface NewEmoji {
  readonly emoji: string;
  readonly index: number;
}

/** The emoji in `text` added in Emoji 12.0 (2019) or later, in order. */
export function newEmojiIn(text: string): NewEmoji[] {
  const found: NewEmoji[] = [];
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x2600 && isNew(cp)) found.push({ emoji: ch, index });
    index += ch.length;
  }
  return found;
}
