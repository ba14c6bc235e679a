/** Running single turns of the real dialogue on the real content, for the room tests. */
import { runTurn, type DialogueInput, type Turn } from '../../../src/core/dialogue/dialogue.ts';
import { encodeAction, type Action } from '../../../src/core/dialogue/actions.ts';
import { newState } from '../../../src/core/engine.ts';
import type { ConversationState } from '../../../src/core/types.ts';
import { realSnapshot } from '../../support/test-content.ts';

/** A turn runner bound to the real content. */
export async function dialogue() {
  const snapshot = await realSnapshot();
  const ctx = { snapshot, ttlDays: 30 };
  const run = (state: ConversationState, input: DialogueInput): Turn => runTurn(ctx, state, input);
  return {
    snapshot,
    /** A fresh conversation, with some fields set. */
    fresh: (patch: Partial<ConversationState> = {}): ConversationState => ({ ...newState({ channel: 'web', chatId: 'room' }, 0), ...patch }),
    say: (state: ConversationState, text: string) => run(state, { kind: 'text', text }),
    run,
    /** Presses an action as if it were option 1 of the menu shown last. */
    press: (state: ConversationState, action: Action) => run({ ...state, options: [encodeAction(action)], menuSeq: 7 }, { kind: 'option', index: 1, menuSeq: 7 }),
  };
}

/** The replies' texts, joined. */
export function texts(t: Turn): string {
  return t.replies.map((r) => r.text).join('\n---\n');
}

/** The option actions of the last reply that has options. */
export function lastOptions(t: Turn): Action[] {
  const withOptions = t.replies.filter((r) => r.options && r.options.length > 0);
  return (withOptions.at(-1)?.options ?? []).map((o) => o.action);
}
