/**
 * The conversation's decisions: one citizen input + the stored state → the new state, the
 * replies and the effects (hand-off, erase, analytics). Pure and synchronous; the engine does
 * the I/O. This file is the dispatcher; each state of the conversation is a room under rooms/:
 * idle → guide (step k) → clarify → feedback → confirm (yes/no) → hand-off (waiting → staff).
 */
import { foldText } from '../text.ts';
import type { ConversationState } from '../types.ts';
import type { Action } from './actions.ts';
import { resolveOption, typedOptionNumber } from './commands.ts';
import * as clarify from './rooms/clarify.ts';
import * as communes from './rooms/communes.ts';
import * as confirm from './rooms/confirm.ts';
import * as feedback from './rooms/feedback.ts';
import * as guideRoom from './rooms/guide.ts';
import * as handoff from './rooms/handoff.ts';
import * as idle from './rooms/idle.ts';
import * as question from './rooms/question.ts';
import { TurnScope, type DialogueInput, type TextInput, type Turn, type TurnContext } from './turn.ts';

export { guideFingerprint, type DialogueInput, type Effect, type HandoffReason, type Turn, type TurnContext, type TurnDecision, type TurnOutcome } from './turn.ts';

/**
 * Rooms a typed text goes through, in order; the first that takes it answers. Erasing, a pending
 * yes/no and the words that always work come before the open guide's words, a "Did you mean"
 * pick, and last the search.
 */
const TEXT_ROOMS: readonly ((t: TurnScope, input: TextInput) => boolean)[] = [
  confirm.onEraseWord,
  confirm.onText,
  idle.onCommand,
  guideRoom.onCommand,
  idle.onCancelWord,
  clarify.onText,
  question.onText,
];

/** Runs one turn. Never throws for any input. */
export function runTurn(ctx: TurnContext, prev: ConversationState, input: DialogueInput): Turn {
  const t = new TurnScope(ctx, prev);
  const text = input.kind === 'text' ? textInput(input.text) : undefined;
  const option = chosenOption(t.state, input, text);
  if (t.state.mode !== 'bot') handoff.onInput(t, input, text, option);
  else onBotInput(t, input, text, option);
  return t.done();
}

/** An input while the bot is talking (no hand-off). */
function onBotInput(t: TurnScope, input: DialogueInput, text: TextInput | undefined, option: Action | 'stale' | null): void {
  if (input.kind === 'start') return idle.onStart(t);
  if (input.kind === 'media') return idle.onMedia(t);
  if (input.kind === 'unsupported') return idle.onUnsupported(t);
  if (option === 'stale') return idle.onStaleButton(t);
  if (option) return press(t, option);
  if (input.kind === 'option') return idle.onUnknownOption(t);
  if (!text || text.text.length === 0) return;
  for (const room of TEXT_ROOMS) if (room(t, text)) return;
}

/** A button pressed (or its number typed): the room the action belongs to carries it out. */
export function press(t: TurnScope, a: Action): void {
  switch (a.type) {
    case 'menu':
    case 'help':
    case 'category':
      return idle.onPress(t, a);
    case 'guide':
    case 'step':
    case 'all':
    case 'info':
    case 'problem':
    case 'problems':
      return guideRoom.onPress(t, a);
    case 'feedback':
    case 'rate':
      return feedback.onPress(t, a);
    case 'handoff-answer':
    case 'erase-answer':
      return confirm.onPress(t, a);
    case 'handoff':
      return handoff.onAsk(t);
    case 'cancel':
      return handoff.onCancel(t);
    case 'clarify-none':
      return clarify.onNone(t);
    case 'commune':
      return communes.onPress(t, a);
  }
}

/** The text trimmed and folded once. */
function textInput(raw: string): TextInput {
  const text = raw.trim();
  return { text, folded: foldText(text) };
}

/** What a pressed button, or a number typed while a menu is shown, picks. */
function chosenOption(state: ConversationState, input: DialogueInput, text: TextInput | undefined): Action | 'stale' | null {
  if (input.kind === 'option') return resolveOption(state, input.index, input.menuSeq);
  if (text && state.options.length > 0) {
    const n = typedOptionNumber(text.folded);
    if (n !== undefined) return resolveOption(state, n);
  }
  return null;
}
