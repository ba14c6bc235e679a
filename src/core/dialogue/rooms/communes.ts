/**
 * The communes room: "my old ward is now which ward?" after the 2025 merger. The finder of the
 * content snapshot reads the message; its answer (the new unit, what a unit was formed from, a
 * former district's units, which one of several, or a place outside the city) is shown with a
 * link to where papers can be filed. Taken before the guides when the finder recognises the question.
 */
import type { CommuneAnswer } from '../../communes.ts';
import type { SearchResult } from '../../ports.ts';
import type { Action } from '../actions.ts';
import { communeView } from '../communes-view.ts';
import { menuView } from '../views.ts';
import type { TextInput, TurnScope } from '../turn.ts';

/** A commune question: answered, and recorded for the editors' report (not found = unanswered). True when taken. */
export function onText(t: TurnScope, input: TextInput, result: SearchResult): boolean {
  const answer = t.ctx.snapshot.communes?.find(input.text);
  if (!answer || answer.kind === 'none') return false;
  const reply = communeView(t.view(), answer);
  if (!reply) return false;
  const decision = decisionOf(answer);
  t.outcome = { decision };
  t.effects.push({ type: 'searched', query: input.text, result: { ...result, decision, guides: [], confidence: 1 } });
  t.replies.push(reply);
  return true;
}

/** A commune option pressed (one of several same-name units, or a unit's predecessors). */
export function onPress(t: TurnScope, a: Extract<Action, { type: 'commune' }>): void {
  const answer = t.ctx.snapshot.communes?.pick(a.unitId, a.index);
  const reply = answer ? communeView(t.view(), answer) : undefined;
  t.outcome = { decision: answer ? decisionOf(answer) : 'other' };
  t.replies.push(reply ?? menuView(t.view(), t.say('stale_button')));
}

/** What the answer is, as a decision: a unit given, a question back, or nothing to give. */
function decisionOf(a: CommuneAnswer): 'answer' | 'clarify' | 'fallback' {
  if (a.kind === 'choose') return 'clarify';
  return a.kind === 'outside' || a.kind === 'unknown' ? 'fallback' : 'answer';
}
