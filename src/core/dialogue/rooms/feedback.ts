/**
 * The feedback room: 👍/👎 at the end of a guide and the 1–5 rating after staff helped. A 👎
 * offers a person (the confirm room takes the answer).
 */
import type { Action } from '../actions.ts';
import { handoffOfferView } from '../views.ts';
import type { TurnScope } from '../turn.ts';

/** A 👍/👎 or a rating pressed. */
export function onPress(t: TurnScope, a: Extract<Action, { type: 'feedback' | 'rate' }>): void {
  const { state } = t;
  if (a.type === 'rate') {
    state.pending = undefined;
    t.effects.push({ type: 'rating', score: a.score });
    t.replies.push({ text: t.say('rating.thanks', { score: a.score }) });
    return;
  }
  t.effects.push({ type: 'feedback', guideId: a.guideId, helpful: a.helpful });
  if (a.helpful) {
    t.replies.push({ text: t.say('feedback.thanks') });
  } else {
    state.pending = 'handoff-confirm';
    state.handoffReason = 'feedback';
    t.replies.push(handoffOfferView(t.view(), 'feedback.sorry'));
  }
}
