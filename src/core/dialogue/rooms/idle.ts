/**
 * The idle room: no guide open, nothing asked. Greets, shows the topics, switches language and
 * answers inputs that are not text. Its words (menu, help, reset, language) work in every room.
 */
import type { Action } from '../actions.ts';
import type { Lang } from '../../types.ts';
import { categoryView, menuView, welcomeView } from '../views.ts';
import type { TextInput, TurnScope } from '../turn.ts';

/** `/start`, a follow or the first open of the web chat: a fresh start with the welcome. */
export function onStart(t: TurnScope): void {
  t.outcome = { decision: 'greeting' };
  t.clearPlace();
  t.replies.push(welcomeView(t.view()));
}

/** A photo, voice or sticker: ask them to type. */
export function onMedia(t: TurnScope): void {
  t.replies.push({ text: t.say('media') });
}

/** Content the platform withheld: say so, with the topics. */
export function onUnsupported(t: TurnScope): void {
  t.replies.push(menuView(t.view(), t.say('unsupported')));
}

/** A button of a menu no longer kept. */
export function onStaleButton(t: TurnScope): void {
  t.replies.push(menuView(t.view(), t.say('stale_button')));
}

/** A pressed number that is no option of the last menu: the topics again. */
export function onUnknownOption(t: TurnScope): void {
  t.replies.push(menuView(t.view()));
}

/** The topic menu, help, one category's guides. */
export function onPress(t: TurnScope, a: Extract<Action, { type: 'menu' | 'help' | 'category' }>): void {
  switch (a.type) {
    case 'menu':
      t.state.pending = undefined;
      t.replies.push(menuView(t.view()));
      return;
    case 'help':
      t.replies.push({ text: t.say('help') }, menuView(t.view()));
      return;
    case 'category':
      t.replies.push(categoryView(t.view(), a.categoryId));
      return;
  }
}

/** Words that work everywhere: menu, help, reset, and the language commands. */
export function onCommand(t: TurnScope, input: TextInput): boolean {
  const { cmds } = t;
  const { folded } = input;
  if (cmds.menu.has(folded)) return onPress(t, { type: 'menu' }), true;
  if (cmds.help.has(folded)) return onPress(t, { type: 'help' }), true;
  if (cmds.reset.has(folded)) {
    t.clearPlace();
    t.replies.push(menuView(t.view(), t.say('reset')));
    return true;
  }
  if (cmds.lang_en.has(folded)) return switchLanguage(t, 'en'), true;
  if (cmds.lang_vi.has(folded)) return switchLanguage(t, 'vi'), true;
  if (cmds.language.has(folded)) return switchLanguage(t, t.state.lang === 'vi' ? 'en' : 'vi'), true;
  return false;
}

/** "Hủy", "thôi" outside a hand-off: back to the topics. */
export function onCancelWord(t: TurnScope, input: TextInput): boolean {
  if (!t.cmds.cancel.has(input.folded)) return false;
  onPress(t, { type: 'menu' });
  return true;
}

/** A language picked with a command stays (the bot no longer follows the language typed). */
function switchLanguage(t: TurnScope, lang: Lang): void {
  const { state } = t;
  const guide = t.guide(state.guideId);
  state.lang = lang;
  state.langChosen = true;
  t.replies.push({ text: t.say('lang.switched') });
  if (guide && state.step) t.openGuide(guide, state.step, true);
  else t.replies.push(menuView(t.view()));
}
