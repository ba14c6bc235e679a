/**
 * Whether a message reports something going wrong ("quét hoài ko nhận", "nó hổng gửi mã",
 * "I forgot my password"), from the `trouble` signs of intents.yaml. Only asked inside an open
 * guide: there such a message is about that guide's problems, even when it matches none of them
 * word for word and says nothing the problem phrases know.
 *
 * A one-word sign must be typed as listed: "mãi" (forever) is a sign, "mai" (tomorrow) and "mai"
 * typed without marks are not, though all fold to "mai" (negations, always followed by their
 * verb, may be typed without marks: "ko nhan", "chua ve"). Each clause is read apart, so that a
 * question's last "không" is not read with the next clause ("còn hạn hông, coi sao").
 */
import type { IntentsFile } from '../core/guide.ts';
import { tokenize, type NormToken } from './normalize.ts';
import { spellingTable, type PhraseTable } from './phrases.ts';

/** The trouble signs by folded words; each holds its accented spellings. */
export interface TroubleSigns {
  readonly words: PhraseTable<ReadonlySet<string>>;
  readonly negations: PhraseTable<ReadonlySet<string>>;
  readonly notBefore: ReadonlySet<string>;
}

/** A table of stop words: whether padding starts at a word. */
type Padding = PhraseTable<ReadonlySet<string>>;

/** Reads the signs; `note` is told each phrase's folded words. */
export function buildTroubleSigns(file: IntentsFile['trouble'], note: (folded: readonly string[]) => void): TroubleSigns {
  const table = (phrases: readonly string[]) => spellingTable(phrases, (toks) => note(toks.map((t) => t.folded)));
  return {
    words: table(file?.words ?? []),
    negations: table(file?.negations ?? []),
    notBefore: new Set((file?.not_before ?? []).flatMap((w) => tokenize(w).map((t) => t.folded))),
  };
}

/**
 * True when a clause of the message holds a trouble word, or a negation followed by a word that
 * is neither padding (`padding`: the stop words) nor a `not_before` word.
 */
export function reportsTrouble(signs: TroubleSigns, padding: Padding, text: string): boolean {
  for (const clause of text.split(/[,.;:!?\n]+/)) {
    const toks = tokenize(clause);
    const folded = toks.map((t) => t.folded);
    for (let i = 0; i < toks.length; i++) {
      if (at(signs.words, toks, folded, i, true)) return true;
      const n = at(signs.negations, toks, folded, i);
      if (n === 0) continue;
      const next = i + n;
      if (next < toks.length && !signs.notBefore.has(folded[next]!) && at(padding, toks, folded, next) === 0) return true;
    }
  }
  return false;
}

/**
 * The number of words of the table's phrase that starts at i (0: none). A one-word phrase typed
 * with marks must have its marks; with `marked`, a one-word phrase listed with marks ("mãi")
 * must be typed with them ("mai" without marks is as likely "mai", tomorrow).
 */
function at(table: PhraseTable<ReadonlySet<string>>, toks: readonly NormToken[], folded: readonly string[], i: number, marked = false): number {
  const m = table.matchAt(folded, i);
  if (!m) return 0;
  const t = toks[i]!;
  if (m.words === 1 && (t.hasMarks || (marked && !m.value.has(t.folded))) && !m.value.has(t.accented)) return 0;
  return m.words;
}
