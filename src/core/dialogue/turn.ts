/**
 * One turn in the making: the state being changed, the replies and effects gathered so far, and
 * the moves every room shares (open a guide, go to a step, fall back, hand off). Rooms change a
 * turn only through this; `done()` gives the finished, pure {@link Turn}.
 */
import type { ContentSnapshot } from '../content.ts';
import type { Guide } from '../guide.ts';
import type { SearchResult } from '../ports.ts';
import type { ConversationState } from '../types.ts';
import { commandsOf, type Commands } from './commands.ts';
import { problemView, problemsView } from './problem-views.ts';
import {
  endView,
  relatedView,
  fallbackView,
  handoffOfferView,
  introView,
  menuView,
  say,
  stepView,
  type Aspect,
  type Reply,
  type ViewContext,
} from './views.ts';

/** One input, as the dialogue sees it. */
export type DialogueInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'option'; readonly index: number; readonly menuSeq?: number }
  | { readonly kind: 'start' }
  | { readonly kind: 'media' }
  | { readonly kind: 'unsupported' };

/** Why a conversation went to a person. */
export type HandoffReason = 'asked' | 'fallbacks' | 'feedback' | 'scam' | 'frustration';

/** Side effects the engine carries out after the turn. */
export type Effect =
  | { readonly type: 'handoff'; readonly reason: HandoffReason }
  | { readonly type: 'cancel-handoff' }
  | { readonly type: 'relay'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'feedback'; readonly guideId: string; readonly helpful: boolean }
  | { readonly type: 'rating'; readonly score: number }
  | { readonly type: 'searched'; readonly query: string; readonly result: SearchResult };

/**
 * What the bot did with the input, for evaluation and reports: with a fresh question `answer`,
 * `clarify`, `fallback`, `handoff` or `greeting`; inside an open guide `followup` (a part of it
 * asked about) or `step` (walking it); `other` for the rest (menus, buttons, relays).
 */
export type TurnDecision = 'answer' | 'clarify' | 'fallback' | 'handoff' | 'greeting' | 'followup' | 'step' | 'other';

/** The kind of turn and the part of the guide its reply answered, if one. */
export interface TurnOutcome {
  readonly decision: TurnDecision;
  readonly aspect?: Aspect;
}

/** The outcome of one turn. */
export interface Turn {
  readonly state: ConversationState;
  readonly replies: Reply[];
  readonly effects: Effect[];
  readonly outcome: TurnOutcome;
}

/** What a turn may look at. */
export interface TurnContext {
  readonly snapshot: ContentSnapshot;
  readonly ttlDays: number;
}

/** A citizen's typed text, trimmed and folded once for every room. */
export interface TextInput {
  readonly text: string;
  /** Lower-case, without diacritics (foldText). */
  readonly folded: string;
}

/** The turn being built. */
export class TurnScope {
  readonly state: ConversationState;
  readonly replies: Reply[] = [];
  readonly effects: Effect[] = [];
  /** Short notes said first, in the first reply (the language switch, a secrets warning). */
  readonly notes: string[] = [];
  readonly cmds: Commands;
  /** What the turn did (rooms set it). */
  outcome: TurnOutcome = { decision: 'other' };

  constructor(
    readonly ctx: TurnContext,
    prev: ConversationState,
  ) {
    this.state = { ...prev };
    this.cmds = commandsOf(ctx.snapshot);
  }

  /** The view context for the state's current language. */
  view(): ViewContext {
    return { content: this.ctx.snapshot.content, lang: this.state.lang, ttlDays: this.ctx.ttlDays };
  }

  /** A message of the current language. */
  say(key: string, vars?: Record<string, string | number>): string {
    return say(this.view(), key, vars);
  }

  /** The guide with this id in the current content, if any. */
  guide(id: string | undefined): Guide | undefined {
    return id ? this.ctx.snapshot.content.guides.get(id) : undefined;
  }

  /** The finished turn: notes head the first reply (or go alone when the turn has none: a hand-off). */
  done(): Turn {
    const { replies, notes } = this;
    if (notes.length > 0) {
      if (replies[0]) replies[0] = { ...replies[0], text: `${notes.join('\n\n')}\n\n${replies[0].text}` };
      else replies.push({ text: notes.join('\n\n') });
    }
    return { state: this.state, replies, effects: this.effects, outcome: this.outcome };
  }

  /** Forgets the guide, the question asked and the fallbacks (start, reset). */
  clearPlace(): void {
    Object.assign(this.state, { guideId: undefined, step: undefined, pending: undefined, clarify: undefined, fallbacks: 0 });
  }

  /**
   * Opens a guide at a step. `withIntro`: title and summary head the step, in one message (one
   * notification, the buttons under the guide they belong to, one send instead of two). `asked`:
   * the part of the guide a question asked about ("làm căn cước mất bao lâu"), right under the title.
   */
  openGuide(g: Guide, step = 1, withIntro = true, asked?: string): void {
    const { state } = this;
    const n = (state.lang === 'en' ? g.en.steps : g.steps).length;
    const k = Math.min(Math.max(step, 1), n);
    this.enter(g, k);
    const v = this.view();
    const stepReply = k >= n ? mergeReplies(stepView(v, g, k), endView(v, g)) : stepView(v, g, k);
    const intro = asked ? mergeReplies(introView(v, g), { text: asked }) : introView(v, g);
    this.replies.push(withIntro ? mergeReplies(intro, stepReply) : stepReply);
    const related = k >= n ? relatedView(v, g) : undefined;
    if (related) this.replies.push(related);
  }

  /**
   * Opens a guide at one of its problems (a problem report: the citizen has done the steps
   * already), or at the list of its problems when none clearly fits. The step is left unset:
   * "tiếp" starts the steps at 1.
   */
  openProblem(g: Guide, index: number | undefined): void {
    this.enter(g, undefined);
    this.replies.push(index !== undefined ? problemView(this.view(), g, index, undefined) : problemsView(this.view(), g, undefined));
  }

  /** Makes `g` the open guide at `step` (the one open before is remembered); nothing pending, no fallbacks. */
  enter(g: Guide, step: number | undefined): void {
    this.remember(g.id);
    Object.assign(this.state, { guideId: g.id, step, guideVersion: guideFingerprint(g), fallbacks: 0, pending: undefined, clarify: undefined });
  }

  /** Before another guide opens, the one open now becomes the previous one (to go back to). */
  remember(nextId: string): void {
    const { state } = this;
    if (state.guideId && state.guideId !== nextId) state.previousGuide = state.step ? { id: state.guideId, step: state.step } : { id: state.guideId };
  }

  /** Goes to a step of a guide; says so when the guide was removed or edited meanwhile. */
  gotoStep(guideId: string, step: number): void {
    const { state } = this;
    const g = this.guide(guideId);
    if (!g) {
      this.replies.push(menuView(this.view(), this.say('guide.gone')));
      state.guideId = undefined;
      state.step = undefined;
      return;
    }
    if (state.guideId === guideId && state.guideVersion && state.guideVersion !== guideFingerprint(g)) {
      this.replies.push({ text: this.say('guide.changed') });
      this.openGuide(g, 1, false);
      return;
    }
    this.openGuide(g, step, false);
  }

  /** Asks the engine for a person. */
  requestHandoff(reason: HandoffReason): void {
    this.outcome = { decision: 'handoff' };
    this.state.pending = undefined;
    this.effects.push({ type: 'handoff', reason });
  }

  /** Leaves the hand-off queue and says so, with the topics. */
  cancelHandoff(): void {
    this.effects.push({ type: 'cancel-handoff' });
    this.state.mode = 'bot';
    this.state.pending = undefined;
    this.replies.push(menuView(this.view(), this.say('handoff.cancelled')));
  }

  /**
   * An honest "I don't know" with the closest guides; the second in a row offers a person instead.
   * `notCovered`: the question names a procedure no guide covers (no suggestions).
   */
  fallback(suggestions: readonly string[], notCovered = false, plausible = false): void {
    const { state } = this;
    this.outcome = { decision: 'fallback' };
    state.fallbacks += 1;
    if (state.fallbacks >= 2) {
      state.pending = 'handoff-confirm';
      state.handoffReason = 'fallbacks';
      this.replies.push(handoffOfferView(this.view(), 'fallback.offer'));
    } else {
      this.replies.push(fallbackView(this.view(), suggestions, notCovered, plausible));
    }
  }
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

/** Joins two replies into one message (text and buttons). */
export function mergeReplies(a: Reply, b: Reply): Reply {
  return {
    text: `${a.text}\n\n${b.text}`,
    options: [...(b.options ?? []), ...(a.options ?? []).filter((o) => o.action.type !== 'all' && o.action.type !== 'handoff' && o.action.type !== 'info')],
    links: [...(a.links ?? []), ...(b.links ?? [])],
  };
}
