/**
 * The confirm room: the bot asked a yes/no question (a person? erase my data?) and waits for the
 * answer, by button or by word. Asking to erase works from every room.
 */
import type { Action } from '../actions.ts';
import type { HandoffReason, TextInput, TurnScope } from '../turn.ts';
import { eraseConfirmView, menuView } from '../views.ts';

/** A yes/no answer pressed. */
export function onPress(t: TurnScope, a: Extract<Action, { type: 'handoff-answer' | 'erase-answer' }>): void {
  const { state } = t;
  if (a.type === 'erase-answer') {
    state.pending = undefined;
    if (a.yes) t.effects.push({ type: 'erase' });
    else t.replies.push({ text: t.say('erase.kept') });
    return;
  }
  if (a.yes) {
    t.requestHandoff((state.handoffReason as HandoffReason | undefined) ?? 'asked');
    return;
  }
  state.pending = undefined;
  state.fallbacks = 0;
  t.replies.push(menuView(t.view(), t.say('handoff.declined')));
}

/** "xóa dữ liệu của tôi": asks to confirm (in every room, with staff too). */
export function onEraseWord(t: TurnScope, input: TextInput): boolean {
  if (!t.cmds.erase.has(input.folded)) return false;
  t.state.pending = 'erase-confirm';
  t.replies.push(eraseConfirmView(t.view()));
  return true;
}

/** A typed yes or no to the question pending. */
export function onText(t: TurnScope, input: TextInput): boolean {
  const { cmds, state } = t;
  const yes = cmds.yes.has(input.folded);
  if (!yes && !cmds.no.has(input.folded)) return false;
  if (state.pending === 'handoff-confirm') return onPress(t, { type: 'handoff-answer', yes }), true;
  if (state.pending === 'erase-confirm') return onPress(t, { type: 'erase-answer', yes }), true;
  return false;
}
