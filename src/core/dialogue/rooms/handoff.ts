/**
 * The hand-off room: the citizen waits for staff or talks with them. The bot stays silent except
 * for cancel and erase; everything typed is relayed to staff.
 */
import type { Action } from '../actions.ts';
import { menuView } from '../views.ts';
import type { DialogueInput, TextInput, TurnScope } from '../turn.ts';
import * as confirm from './confirm.ts';

/** Any input while waiting or with staff. `option`: what a pressed or typed number resolved to. */
export function onInput(t: TurnScope, input: DialogueInput, text: TextInput | undefined, option: Action | 'stale' | null): void {
  if (input.kind === 'start' || input.kind === 'unsupported') return; // a /start while waiting changes nothing
  if (input.kind === 'media') return void t.effects.push({ type: 'relay', text: '📎 (media)' });
  if (text && confirm.onEraseWord(t, text)) return;
  if (option && option !== 'stale' && (option.type === 'cancel' || option.type === 'erase-answer')) {
    if (option.type === 'cancel') onCancel(t);
    else confirm.onPress(t, option);
    return;
  }
  if (text && t.cmds.cancel.has(text.folded)) return t.cancelHandoff();
  if (text && text.text.length > 0) t.effects.push({ type: 'relay', text: text.text });
}

/** "Gặp cán bộ" pressed. */
export function onAsk(t: TurnScope): void {
  t.requestHandoff('asked');
}

/** "Hủy" pressed: leaves the queue (outside a hand-off, the topics). */
export function onCancel(t: TurnScope): void {
  if (t.state.mode !== 'bot') t.cancelHandoff();
  else t.replies.push(menuView(t.view()));
}
