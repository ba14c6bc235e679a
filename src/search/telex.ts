/**
 * Repairs words typed with Telex or VNI keys that the keyboard did not turn into diacritics
 * ("kichs hoatj" → "kích hoạt", "kich1 hoat5" → "kích hoạt"). Decoding is lenient; the caller
 * keeps a repair only when the repaired word exists in the content's vocabulary.
 */
import { canonicalSyllable } from './normalize.ts';

const TELEX_TONES: Readonly<Record<string, string>> = {
  s: '\u0301',
  f: '\u0300',
  r: '\u0309',
  x: '\u0303',
  j: '\u0323',
};
const VNI_TONES: Readonly<Record<string, string>> = {
  '1': '\u0301',
  '2': '\u0300',
  '3': '\u0309',
  '4': '\u0303',
  '5': '\u0323',
};
const CIRCUMFLEX: Readonly<Record<string, string>> = { a: 'â', e: 'ê', o: 'ô' };
const HORN: Readonly<Record<string, string>> = { o: 'ơ', u: 'ư' };

/** Applies a horn/breve ("w" in Telex, 7/8 in VNI) to the nearest vowel before `end`. */
function applyHook(chars: string[], end: number, breveToo: boolean): boolean {
  for (let k = end - 1; k >= 0; k--) {
    const c = chars[k]!;
    if (c === 'o' && chars[k - 1] === 'u') {
      chars[k - 1] = 'ư';
      chars[k] = 'ơ';
      return true;
    }
    if (c === 'u' && chars[k + 1] === 'o') {
      chars[k] = 'ư';
      chars[k + 1] = 'ơ';
      return true;
    }
    if (HORN[c]) {
      chars[k] = HORN[c]!;
      return true;
    }
    if (breveToo && c === 'a') {
      chars[k] = 'ă';
      return true;
    }
  }
  return false;
}

function finish(chars: readonly string[], tone: string): string {
  return canonicalSyllable((chars.join('') + tone).normalize('NFC'));
}

/**
 * Decodes Telex leftovers in one lower-case ASCII word: tone keys s f r x j (after the first
 * vowel, where Vietnamese has no such consonant), z (no tone), aa ee oo dd, w (ư, ơ, ă, ươ).
 * Returns the accented word, or undefined when the word has no Telex key.
 */
export function decodeTelex(word: string): string | undefined {
  if (!/^[a-z]+$/.test(word)) return undefined;
  const firstVowel = word.search(/[aeiouy]/);
  let tone = '';
  let changed = false;
  const chars: string[] = [];
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (firstVowel >= 0 && i > firstVowel && (TELEX_TONES[c] !== undefined || c === 'z')) {
      tone = TELEX_TONES[c] ?? '';
      changed = true;
      continue;
    }
    const prev = chars[chars.length - 1];
    if (c === 'd' && prev === 'd' && chars.length === 1) {
      chars[0] = 'đ';
      changed = true;
    } else if (CIRCUMFLEX[c] && prev === c) {
      chars[chars.length - 1] = CIRCUMFLEX[c]!;
      changed = true;
    } else if (c === 'w') {
      if (!applyHook(chars, chars.length, true)) chars.push('ư');
      changed = true;
    } else {
      chars.push(c);
    }
  }
  return changed ? finish(chars, tone) : undefined;
}

/**
 * Decodes VNI leftovers in one lower-case word: 1–5 tones, 6 circumflex, 7 horn, 8 breve,
 * 9 đ, anywhere after the first letter. Returns undefined when the word has no VNI digit or
 * looks like a code (a 0, or digits first: "ct07", "4").
 */
export function decodeVni(word: string): string | undefined {
  if (!/^[a-zđ][a-zđ1-9]*$/.test(word) || !/[1-9]/.test(word)) return undefined;
  let tone = '';
  const chars: string[] = [];
  for (const c of word) {
    if (VNI_TONES[c]) tone = VNI_TONES[c]!;
    else if (c === '6') {
      const k = chars.findLastIndex((x) => CIRCUMFLEX[x] !== undefined);
      if (k < 0) return undefined;
      chars[k] = CIRCUMFLEX[chars[k]!]!;
    } else if (c === '7') {
      if (!applyHook(chars, chars.length, false)) return undefined;
    } else if (c === '8') {
      const k = chars.lastIndexOf('a');
      if (k < 0) return undefined;
      chars[k] = 'ă';
    } else if (c === '9') {
      const k = chars.indexOf('d');
      if (k < 0) return undefined;
      chars[k] = 'đ';
    } else chars.push(c);
  }
  return finish(chars, tone);
}
