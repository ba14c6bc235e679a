/**
 * Words that always work (menu, back, yes, English…) and typed option numbers: what a text means
 * before it is searched as a question.
 */
import type { ContentSnapshot } from '../content.ts';
import { commandWords } from '../text.ts';
import type { ConversationState } from '../types.ts';
import { decodeAction, type Action } from './actions.ts';

const COMMAND_KEYS = ['menu', 'help', 'back', 'next', 'done', 'ack', 'reset', 'lang_en', 'lang_vi', 'language', 'erase', 'cancel', 'yes', 'no'] as const;

/**
 * Command words by command, folded, of both languages (any of them always works); `previous`:
 * phrases pointing back; `current`: phrases pointing at the guide open now ("for this", "vụ này").
 */
export type Commands = Record<(typeof COMMAND_KEYS)[number], Set<string>> & { readonly previous: readonly string[]; readonly current: readonly string[] };
const commandCache = new WeakMap<object, Commands>();

/** Command words of both languages, computed once per content snapshot. */
export function commandsOf(snapshot: ContentSnapshot): Commands {
  const cached = commandCache.get(snapshot);
  if (cached) return cached;
  const words = (key: string) => [...commandWords(snapshot.content.messages.vi, key), ...commandWords(snapshot.content.messages.en, key)];
  const sets = Object.fromEntries(COMMAND_KEYS.map((k) => [k, new Set(words(`commands.${k}`))])) as Record<(typeof COMMAND_KEYS)[number], Set<string>>;
  const out: Commands = { ...sets, previous: words('refer.previous'), current: words('refer.current') };
  commandCache.set(snapshot, out);
  return out;
}

/** Resolves a pressed or typed option number against the stored menus ('stale': a menu no longer kept). */
export function resolveOption(state: ConversationState, index: number, menuSeq?: number): Action | 'stale' | null {
  let options = state.options;
  if (menuSeq !== undefined && menuSeq !== state.menuSeq) {
    const older = state.previousMenus?.find((m) => m.seq === menuSeq);
    if (!older) return 'stale';
    options = older.options;
  }
  const raw = options[index - 1];
  return raw ? decodeAction(raw) : null;
}

/** Vietnamese number words one to nine, folded. */
const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9 };
/** "cái thứ 2", "số 2", "chọn số hai", "option 2": a typed choice (a number word only after such a lead). */
const TYPED_CHOICE = /^(?:(?:cai|so|muc|chon|cau|thu|y|lua chon|option|number|choice|no)\s+)+(\d{1,2}|mot|hai|ba|bon|nam|sau|bay|tam|chin|dau tien)$/;

/** The option number a typed message picks ("2", "số 2", "cái thứ hai"), if it is one. */
export function typedOptionNumber(folded: string): number | undefined {
  if (/^\d{1,2}$/.test(folded)) return Number(folded);
  const m = TYPED_CHOICE.exec(folded);
  if (!m) return undefined;
  const n = m[1]!;
  return /^\d+$/.test(n) ? Number(n) : n === 'dau tien' ? 1 : NUMBER_WORDS[n];
}
