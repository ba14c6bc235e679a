/**
 * The clarify room: the bot asked "Did you mean…?" with 2–3 guides. A button or the words of a
 * title pick one; "none of these" is an honest "I don't know".
 */
import { foldText } from '../../text.ts';
import type { Lang } from '../../types.ts';
import type { TextInput, TurnScope } from '../turn.ts';

/** "None of these". */
export function onNone(t: TurnScope): void {
  t.state.clarify = undefined;
  t.fallback([]);
}

/** Typed words that pick one of the guides offered (by their titles). */
export function onText(t: TurnScope, input: TextInput): boolean {
  const offered = t.state.clarify;
  if (!offered || offered.length === 0) return false;
  const picked = pickByWords(t, offered, input.folded, t.state.lang);
  const g = picked ? t.guide(picked) : undefined;
  if (!g) return false;
  t.outcome = { decision: 'answer' };
  t.openGuide(g);
  return true;
}

/** The offered guide whose title holds most words of the reply, if one clearly does. */
function pickByWords(t: TurnScope, ids: readonly string[], folded: string, lang: Lang): string | null {
  const words = new Set(folded.split(' ').filter((w) => w.length > 1));
  if (words.size === 0) return null;
  const scored = ids.map((id) => {
    const g = t.guide(id);
    const title = g ? foldText(lang === 'en' ? g.en.title : g.title) : '';
    const titleWords = new Set(title.split(' '));
    let hits = 0;
    for (const w of words) if (titleWords.has(w)) hits++;
    return { id, hits };
  });
  scored.sort((a, b) => b.hits - a.hits);
  const [first, second] = scored;
  // Most of the reply's words must be the title's: one shared word ("hộ" of "hộ chiếu" and of
  // "hộ gia đình") is a new question, not a pick.
  if (!first || first.hits === 0 || first.hits * 2 < words.size) return null;
  if (second && second.hits === first.hits) return null;
  return first.id;
}
