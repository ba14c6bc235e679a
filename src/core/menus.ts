/**
 * Numbering a turn's replies: option buttons get numbers, the last menu is remembered in the
 * state (with the two before it, so a button on an older message still works), and each reply
 * becomes an outbound message plus its transcript line.
 */
import { encodeAction } from './dialogue/actions.ts';
import type { Reply } from './dialogue/views.ts';
import type { Button, ConversationState, OutboundMessage, TranscriptEntry } from './types.ts';

/** How many older menus are kept so buttons on older messages still work. */
export const PREVIOUS_MENUS_KEPT = 2;

/**
 * Numbers the options of the replies (the last menu wins), remembers the menu in the state,
 * and returns the outbound messages plus their transcript lines. `keepMenu`: send the options'
 * text but keep the menu the citizen has (a notice between turns).
 */
export function numberReplies(
  state: ConversationState,
  replies: readonly Reply[],
  nowMs: number,
  keepMenu = false,
): { outbound: OutboundMessage[]; entries: TranscriptEntry[] } {
  const outbound: OutboundMessage[] = [];
  const entries: TranscriptEntry[] = [];
  for (const r of replies) {
    let menuSeq = 0;
    const buttons: Button[] = [];
    if (r.options && r.options.length > 0 && !keepMenu) {
      if (state.options.length > 0) {
        state.previousMenus = [{ seq: state.menuSeq, options: state.options }, ...(state.previousMenus ?? [])].slice(0, PREVIOUS_MENUS_KEPT);
      }
      state.menuSeq += 1;
      menuSeq = state.menuSeq;
      state.options = r.options.map((o) => encodeAction(o.action));
      r.options.forEach((o, i) => buttons.push({ kind: 'option', label: o.label, index: i + 1 }));
    }
    for (const l of r.links ?? []) buttons.push({ kind: 'url', label: l.label, url: l.url });
    outbound.push({ text: r.text, buttons, menuSeq, lang: state.lang });
    const labels = buttons.map((b) => (b.kind === 'option' ? `${b.index}. ${b.label}` : b.label));
    entries.push({ atMs: nowMs, role: 'bot', text: labels.length > 0 ? `${r.text}\n[${labels.join(' | ')}]` : r.text });
  }
  return { outbound, entries };
}
