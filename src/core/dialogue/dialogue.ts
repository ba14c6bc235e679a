/**
 * The conversation's decisions: one citizen input + the stored state → the new state, the
 * replies and the effects (hand-off, erase, analytics). Pure and synchronous; the engine does
 * the I/O. States: idle → guide (step k) → clarify → feedback → hand-off (waiting → staff) → bot.
 */
import type { ContentSnapshot } from '../content.ts';
import { isAspectIntent, type AspectIntent, type Guide } from '../guide.ts';
import type { SearchResult } from '../ports.ts';
import { revealsSecrets } from '../privacy.ts';
import { commandWords, foldText, hasVietnameseLetters } from '../text.ts';
import type { ConversationState, Lang } from '../types.ts';
import { decodeAction, type Action } from './actions.ts';
import {
  allStepsView,
  aspectText,
  aspectView,
  categoryView,
  clarifyView,
  endView,
  eraseConfirmView,
  fallbackView,
  handoffOfferView,
  infoView,
  introView,
  menuView,
  say,
  stepView,
  welcomeView,
  type Aspect,
  type Reply,
  type ViewContext,
} from './views.ts';

/** The part of a guide each follow-up intent asks about. */
const ASPECT_OF: Record<AspectIntent, Aspect> = { 'ask-fees': 'fees', 'ask-time': 'time', 'ask-documents': 'documents', 'ask-where': 'where' };

/** One input, as the dialogue sees it. */
export type DialogueInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'option'; readonly index: number; readonly menuSeq?: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'media' }
  | { readonly kind: 'unsupported' };

/** Why a conversation went to a person. */
export type HandoffReason = 'asked' | 'fallbacks' | 'feedback' | 'scam';

/** Side effects the engine carries out after the turn. */
export type Effect =
  | { readonly type: 'handoff'; readonly reason: HandoffReason }
  | { readonly type: 'cancel-handoff' }
  | { readonly type: 'relay'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'feedback'; readonly guideId: string; readonly helpful: boolean }
  | { readonly type: 'rating'; readonly score: number }
  | { readonly type: 'searched'; readonly query: string; readonly result: SearchResult };

/** The outcome of one turn. */
export interface Turn {
  readonly state: ConversationState;
  readonly replies: Reply[];
  readonly effects: Effect[];
}

/** What a turn may look at. */
export interface TurnContext {
  readonly snapshot: ContentSnapshot;
  readonly ttlDays: number;
}

const fingerprints = new WeakMap<Guide, string>();

/** A short fingerprint of a guide's steps, to notice edits during a walkthrough (computed once per guide object). */
export function guideFingerprint(g: Guide): string {
  let fingerprint = fingerprints.get(g);
  if (fingerprint === undefined) {
    fingerprint = computeFingerprint(g);
    fingerprints.set(g, fingerprint);
  }
  return fingerprint;
}

function computeFingerprint(g: Guide): string {
  let h = 0x811c9dc5;
  const s = JSON.stringify([g.steps, g.en.steps]);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return `${g.steps.length}.${h.toString(36)}`;
}

type Commands = Record<'menu' | 'help' | 'back' | 'next' | 'done' | 'reset' | 'lang_en' | 'lang_vi' | 'language' | 'erase' | 'cancel' | 'yes' | 'no', Set<string>>;
const commandCache = new WeakMap<object, Commands>();

/** Command words of both languages (any of them always works). */
function commandsOf(snapshot: ContentSnapshot): Commands {
  const cached = commandCache.get(snapshot);
  if (cached) return cached;
  const keys = ['menu', 'help', 'back', 'next', 'done', 'reset', 'lang_en', 'lang_vi', 'language', 'erase', 'cancel', 'yes', 'no'] as const;
  const out = {} as Commands;
  for (const k of keys) {
    out[k] = new Set([...commandWords(snapshot.content.messages.vi, `commands.${k}`), ...commandWords(snapshot.content.messages.en, `commands.${k}`)]);
  }
  commandCache.set(snapshot, out);
  return out;
}

/** Resolves a pressed or typed option number against the stored menus. */
function resolveOption(state: ConversationState, index: number, menuSeq?: number): Action | 'stale' | null {
  let options = state.options;
  if (menuSeq !== undefined && menuSeq !== state.menuSeq) {
    const older = state.previousMenus?.find((m) => m.seq === menuSeq);
    if (!older) return 'stale';
    options = older.options;
  }
  const raw = options[index - 1];
  return raw ? decodeAction(raw) : null;
}

/** Runs one turn. Never throws for any input. */
export function runTurn(ctx: TurnContext, prev: ConversationState, input: DialogueInput): Turn {
  const state: ConversationState = { ...prev };
  const replies: Reply[] = [];
  const effects: Effect[] = [];
  const view = (): ViewContext => ({ content: ctx.snapshot.content, lang: state.lang, ttlDays: ctx.ttlDays });
  const cmds = commandsOf(ctx.snapshot);
  // Short notes said first, in the first reply: the bot switching to the citizen's language, a
  // warning after a personal number or secret was sent.
  const notes: string[] = [];
  const done = (): Turn => {
    if (notes.length > 0) {
      // With no reply of its own (a hand-off: the engine says the rest), the notes go alone.
      if (replies[0]) replies[0] = { ...replies[0], text: `${notes.join('\n\n')}\n\n${replies[0].text}` };
      else replies.push({ text: notes.join('\n\n') });
    }
    return { state, replies, effects };
  };

  const openGuide = (g: Guide, step = 1, withIntro = true, asked?: string) => {
    const n = (state.lang === 'en' ? g.en.steps : g.steps).length;
    const k = Math.min(Math.max(step, 1), n);
    state.guideId = g.id;
    state.step = k;
    state.guideVersion = guideFingerprint(g);
    state.fallbacks = 0;
    state.pending = undefined;
    state.clarify = undefined;
    const stepReply = k >= n ? mergeReplies(stepView(view(), g, k), endView(view(), g)) : stepView(view(), g, k);
    // Title, summary and the first step in one message: one notification, the buttons under the
    // guide they belong to, and one send instead of two (each send is a round trip to the chat app).
    // A question about one part ("làm căn cước mất bao lâu") gets that part right under the title.
    const intro = asked ? mergeReplies(introView(view(), g), { text: asked }) : introView(view(), g);
    replies.push(withIntro ? mergeReplies(intro, stepReply) : stepReply);
  };

  const gotoStep = (guideId: string, step: number) => {
    const g = ctx.snapshot.content.guides.get(guideId);
    if (!g) {
      replies.push(menuView(view(), say(view(), 'guide.gone')));
      state.guideId = undefined;
      state.step = undefined;
      return;
    }
    if (state.guideId === guideId && state.guideVersion && state.guideVersion !== guideFingerprint(g)) {
      replies.push({ text: say(view(), 'guide.changed') });
      openGuide(g, 1, false);
      return;
    }
    openGuide(g, step, false);
  };

  const requestHandoff = (reason: HandoffReason) => {
    state.pending = undefined;
    effects.push({ type: 'handoff', reason });
  };

  const doAction = (a: Action): void => {
    const content = ctx.snapshot.content;
    switch (a.type) {
      case 'menu':
        state.pending = undefined;
        replies.push(menuView(view()));
        return;
      case 'help':
        replies.push({ text: say(view(), 'help') }, menuView(view()));
        return;
      case 'category':
        replies.push(categoryView(view(), a.categoryId));
        return;
      case 'guide': {
        const g = content.guides.get(a.guideId);
        if (g) openGuide(g, 1, true, a.aspect ? aspectText(view(), g, a.aspect) : undefined);
        else replies.push(menuView(view(), say(view(), 'guide.gone')));
        return;
      }
      case 'step':
        gotoStep(a.guideId, a.step);
        return;
      case 'all': {
        const g = content.guides.get(a.guideId);
        if (!g) return void replies.push(menuView(view(), say(view(), 'guide.gone')));
        state.guideId = g.id;
        state.step = (state.lang === 'en' ? g.en.steps : g.steps).length;
        state.guideVersion = guideFingerprint(g);
        replies.push(allStepsView(view(), g), endView(view(), g));
        return;
      }
      case 'info': {
        const g = content.guides.get(a.guideId);
        if (!g) return void replies.push(menuView(view(), say(view(), 'guide.gone')));
        replies.push(infoView(view(), g, state.guideId === g.id ? state.step : undefined));
        return;
      }
      case 'feedback':
        effects.push({ type: 'feedback', guideId: a.guideId, helpful: a.helpful });
        if (a.helpful) {
          replies.push({ text: say(view(), 'feedback.thanks') });
        } else {
          state.pending = 'handoff-confirm';
          state.handoffReason = 'feedback';
          replies.push(handoffOfferView(view(), 'feedback.sorry'));
        }
        return;
      case 'handoff':
        requestHandoff('asked');
        return;
      case 'handoff-answer':
        if (a.yes) requestHandoff((state.handoffReason as HandoffReason | undefined) ?? 'asked');
        else {
          state.pending = undefined;
          state.fallbacks = 0;
          replies.push(menuView(view(), say(view(), 'handoff.declined')));
        }
        return;
      case 'erase-answer':
        state.pending = undefined;
        if (a.yes) effects.push({ type: 'erase' });
        else replies.push({ text: say(view(), 'erase.kept') });
        return;
      case 'cancel':
        if (state.mode !== 'bot') cancelHandoff();
        else replies.push(menuView(view()));
        return;
      case 'rate':
        state.pending = undefined;
        effects.push({ type: 'rating', score: a.score });
        replies.push({ text: say(view(), 'rating.thanks', { score: a.score }) });
        return;
      case 'clarify-none':
        state.clarify = undefined;
        fallback([]);
        return;
    }
  };

  const cancelHandoff = () => {
    effects.push({ type: 'cancel-handoff' });
    state.mode = 'bot';
    state.pending = undefined;
    replies.push(menuView(view(), say(view(), 'handoff.cancelled')));
  };

  const fallback = (suggestions: readonly string[], notCovered = false) => {
    state.fallbacks += 1;
    if (state.fallbacks >= 2) {
      state.pending = 'handoff-confirm';
      state.handoffReason = 'fallbacks';
      replies.push(handoffOfferView(view(), 'fallback.offer'));
    } else {
      replies.push(fallbackView(view(), suggestions, notCovered));
    }
  };

  // ── Inputs that are not text ──────────────────────────────────────────────
  if (input.kind === 'start') {
    if (state.mode !== 'bot') return done(); // a /start while waiting for staff changes nothing
    Object.assign(state, { guideId: undefined, step: undefined, pending: undefined, clarify: undefined, fallbacks: 0 });
    replies.push(welcomeView(view()));
    return done();
  }
  if (input.kind === 'media') {
    if (state.mode !== 'bot') effects.push({ type: 'relay', text: '📎 (media)' });
    else replies.push({ text: say(view(), 'media') });
    return done();
  }
  if (input.kind === 'unsupported') {
    if (state.mode !== 'bot') return done();
    replies.push(menuView(view(), say(view(), 'unsupported')));
    return done();
  }

  // ── Options (buttons and typed numbers) ───────────────────────────────────
  const text = input.kind === 'text' ? input.text.trim() : '';
  const folded = foldText(text);
  let option: Action | 'stale' | null = null;
  if (input.kind === 'option') option = resolveOption(state, input.index, input.menuSeq);
  else if (state.options.length > 0) {
    const n = typedOptionNumber(folded);
    if (n !== undefined) option = resolveOption(state, n);
  }

  if (state.mode !== 'bot') {
    // With staff (or waiting): the bot stays silent except for cancel and erase.
    if (cmds.erase.has(folded)) {
      state.pending = 'erase-confirm';
      replies.push(eraseConfirmView(view()));
    } else if (option && option !== 'stale' && (option.type === 'cancel' || option.type === 'erase-answer')) {
      doAction(option);
    } else if (cmds.cancel.has(folded)) {
      cancelHandoff();
    } else if (input.kind === 'text' && text.length > 0) {
      effects.push({ type: 'relay', text });
    }
    return done();
  }

  if (option === 'stale') {
    replies.push(menuView(view(), say(view(), 'stale_button')));
    return done();
  }
  if (option) {
    doAction(option);
    return done();
  }
  if (input.kind === 'option') {
    replies.push(menuView(view()));
    return done();
  }
  if (text.length === 0) return done();

  // ── Words that always work ────────────────────────────────────────────────
  const guide = state.guideId ? ctx.snapshot.content.guides.get(state.guideId) : undefined;
  if (cmds.erase.has(folded)) {
    state.pending = 'erase-confirm';
    replies.push(eraseConfirmView(view()));
    return done();
  }
  if (state.pending === 'handoff-confirm' && (cmds.yes.has(folded) || cmds.no.has(folded))) {
    doAction({ type: 'handoff-answer', yes: cmds.yes.has(folded) });
    return done();
  }
  if (state.pending === 'erase-confirm' && (cmds.yes.has(folded) || cmds.no.has(folded))) {
    doAction({ type: 'erase-answer', yes: cmds.yes.has(folded) });
    return done();
  }
  if (cmds.menu.has(folded)) return doAction({ type: 'menu' }), done();
  if (cmds.help.has(folded)) return doAction({ type: 'help' }), done();
  if (cmds.reset.has(folded)) {
    Object.assign(state, { guideId: undefined, step: undefined, pending: undefined, clarify: undefined, fallbacks: 0 });
    replies.push(menuView(view(), say(view(), 'reset')));
    return done();
  }
  const switchTo = (lang: Lang) => {
    state.lang = lang;
    state.langChosen = true;
    replies.push({ text: say(view(), 'lang.switched') });
    if (guide && state.step) openGuide(guide, state.step, true);
    else replies.push(menuView(view()));
  };
  if (cmds.lang_en.has(folded)) return switchTo('en'), done();
  if (cmds.lang_vi.has(folded)) return switchTo('vi'), done();
  if (cmds.language.has(folded)) return switchTo(state.lang === 'vi' ? 'en' : 'vi'), done();
  if (cmds.back.has(folded)) {
    if (guide && state.step && state.step > 1) gotoStep(guide.id, state.step - 1);
    else if (guide) replies.push({ text: say(view(), 'step.at_start') }, stepView(view(), guide, 1));
    else replies.push(menuView(view()));
    return done();
  }
  if (cmds.next.has(folded) && guide && state.step) {
    gotoStep(guide.id, state.step + 1);
    return done();
  }
  if (cmds.done.has(folded) && guide && state.step && state.step < (state.lang === 'en' ? guide.en.steps : guide.steps).length) {
    // "xong rồi", "ok" in the middle of a guide: that step is done, show the next one.
    gotoStep(guide.id, state.step + 1);
    return done();
  }
  if (cmds.cancel.has(folded)) return doAction({ type: 'menu' }), done();

  // ── Picking a "Did you mean" option by its words ──────────────────────────
  if (state.clarify && state.clarify.length > 0) {
    const picked = pickByWords(ctx, state.clarify, folded, state.lang);
    if (picked) {
      const g = ctx.snapshot.content.guides.get(picked);
      if (g) return openGuide(g), done();
    }
  }

  // ── A question: search ────────────────────────────────────────────────────
  const result = searchInContext(ctx, text, guide);
  state.clarify = undefined;
  if (!state.langChosen) {
    // Follow the language the citizen writes in (until they pick one): an English question is
    // answered in English, a message with Vietnamese letters in Vietnamese. Greetings and one
    // word ("hello", "ok") are not enough to switch: many Vietnamese write them too.
    // A question of three words or more not read as English is Vietnamese typed without marks
    // ("lam sao de chuyen tien"): English is only read when English-only words outnumber the rest.
    const words = text.split(/\s+/).length;
    const question = result.decision !== 'greeting' && result.decision !== 'handoff' && words >= 2;
    // Asking for a person in a whole English sentence ("can I talk to a real person") counts too.
    const english = result.english === true && (question || (result.decision === 'handoff' && words >= 3));
    const vietnamese = hasVietnameseLetters(text) || (question && words >= 3 && !result.english);
    const to: Lang | undefined = english && state.lang === 'vi' ? 'en' : state.lang === 'en' && vietnamese ? 'vi' : undefined;
    if (to) {
      state.lang = to;
      notes.push(say(view(), 'lang.auto'));
    }
  }
  // The bot never needs a full ID number, an account number, an OTP or a password: say so at once.
  if (revealsSecrets(text, folded)) notes.push(say(view(), 'privacy.warning'));
  if (result.decision === 'fallback' && result.intent === undefined && result.normalized === '') {
    // Nothing but filler ("ừ", "dạ vâng", "xong rồi"): nothing was asked, so no "I don't know"
    // and nothing for the editors' unanswered list; an invitation to ask, with the topics.
    replies.push(menuView(view(), say(view(), 'prompt.ask')));
    return done();
  }
  const aspect = isAspectIntent(result.intent) ? ASPECT_OF[result.intent] : undefined;
  if (aspect) {
    // A follow-up about the guide the citizen has open ("lệ phí bao nhiêu?", or "làm căn cước
    // mất bao lâu" while in that guide or one of the guides it would clarify between).
    const onlyAspect = result.decision === 'fallback' && result.guides.length === 0;
    const aboutOpen =
      guide !== undefined &&
      (onlyAspect ||
        (result.decision === 'answer' && result.guides[0]?.id === guide.id) ||
        (result.decision === 'clarify' && result.guides.some((r) => r.id === guide.id)));
    if (aboutOpen) {
      // Recorded as answered by that guide, or, when the guide does not give that part, as an
      // unanswered question next to it: the editors' report then shows the gap.
      const answered = aspectText(view(), guide, aspect) !== undefined;
      const guides = [{ id: guide.id, score: result.guides.find((r) => r.id === guide.id)?.score ?? 0 }];
      effects.push({ type: 'searched', query: text, result: { ...result, decision: answered ? 'answer' : 'fallback', guides } });
      replies.push(aspectView(view(), guide, aspect, state.step));
      return done();
    }
    if (onlyAspect) {
      // "How much?" with no guide open: ask which procedure, with the topics.
      effects.push({ type: 'searched', query: text, result });
      replies.push(menuView(view(), say(view(), 'followup.which')));
      return done();
    }
  }
  effects.push({ type: 'searched', query: text, result });
  switch (result.decision) {
    case 'greeting':
      if (result.intent === 'thanks') replies.push({ text: say(view(), 'thanks') });
      else replies.push(welcomeView(view()));
      break;
    case 'handoff':
      requestHandoff('asked');
      break;
    case 'answer': {
      const g = ctx.snapshot.content.guides.get(result.guides[0]?.id ?? '');
      if (!g) {
        fallback([]);
        break;
      }
      openGuide(g, 1, true, aspect ? aspectText(view(), g, aspect) : undefined);
      if (result.intent === 'scam-report') {
        state.pending = 'handoff-confirm';
        state.handoffReason = 'scam';
        replies.push(handoffOfferView(view(), 'scam.alert'));
      }
      break;
    }
    case 'clarify': {
      const ids = result.guides.slice(0, 3).map((r) => r.id);
      state.clarify = ids;
      replies.push(clarifyView(view(), ids, aspect));
      break;
    }
    case 'fallback':
      // A procedure the guides do not cover: the "closest" guides would only mislead.
      if (result.intent === 'not-covered') fallback([], true);
      else fallback(result.guides.map((r) => r.id));
      break;
  }
  return done();
}

/**
 * Searches; with a guide about an app open, tells the index that app, so a vague message that fits
 * nothing ("bị lỗi không vào được" after the VNeID guide) may be read as being about it.
 */
function searchInContext(ctx: TurnContext, text: string, open: Guide | undefined): SearchResult {
  const subject = open ? subjectOf(ctx.snapshot, open) : undefined;
  return ctx.snapshot.index.search(text, subject ? { subject } : undefined);
}

const subjects = new WeakMap<Guide, string | null>();

/** The app a guide is about (a `subjects` word of synonyms.yaml in its title or keywords), if any. */
function subjectOf(snapshot: ContentSnapshot, g: Guide): string | undefined {
  let subject = subjects.get(g);
  if (subject === undefined) {
    const words = new Set(foldText(`${g.title} ${g.keywords.join(' ')}`).split(' '));
    subject = snapshot.content.synonyms.subjects.find((s) => words.has(foldText(s))) ?? null;
    subjects.set(g, subject);
  }
  return subject ?? undefined;
}

/** Vietnamese number words one to nine, folded. */
const NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9 };
/** "cái thứ 2", "số 2", "chọn số hai", "option 2": a typed choice (a number word only after such a lead). */
const TYPED_CHOICE = /^(?:(?:cai|so|muc|chon|cau|thu|y|lua chon|option|number|choice|no)\s+)+(\d{1,2}|mot|hai|ba|bon|nam|sau|bay|tam|chin|dau tien)$/;

/** The option number a typed message picks ("2", "số 2", "cái thứ hai"), if it is one. */
function typedOptionNumber(folded: string): number | undefined {
  if (/^\d{1,2}$/.test(folded)) return Number(folded);
  const m = TYPED_CHOICE.exec(folded);
  if (!m) return undefined;
  const n = m[1]!;
  return /^\d+$/.test(n) ? Number(n) : n === 'dau tien' ? 1 : NUMBER_WORDS[n];
}

/** Joins two replies into one message (text and buttons). */
function mergeReplies(a: Reply, b: Reply): Reply {
  return {
    text: `${a.text}\n\n${b.text}`,
    options: [...(b.options ?? []), ...(a.options ?? []).filter((o) => o.action.type !== 'all' && o.action.type !== 'handoff' && o.action.type !== 'info')],
    links: [...(a.links ?? []), ...(b.links ?? [])],
  };
}

/** The clarify candidate whose title shares the most words with the reply, if one clearly does. */
function pickByWords(ctx: TurnContext, ids: readonly string[], folded: string, lang: Lang): string | null {
  const words = new Set(folded.split(' ').filter((w) => w.length > 1));
  if (words.size === 0) return null;
  const scored = ids.map((id) => {
    const g = ctx.snapshot.content.guides.get(id);
    const title = g ? foldText(lang === 'en' ? g.en.title : g.title) : '';
    const titleWords = new Set(title.split(' '));
    let hits = 0;
    for (const w of words) if (titleWords.has(w)) hits++;
    return { id, hits };
  });
  scored.sort((a, b) => b.hits - a.hits);
  const [first, second] = scored;
  if (!first || first.hits === 0) return null;
  if (second && second.hits === first.hits) return null;
  return first.id;
}
