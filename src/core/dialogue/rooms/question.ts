/**
 * A fresh question, in any room: searched (with the open guide's app as context), then answered,
 * clarified or declined honestly. Follows the language the citizen writes in and warns when a
 * message gives away a secret. A follow-up about the open guide goes to the guide room.
 */
import type { ContentSnapshot } from '../../content.ts';
import { isAspectIntent, type AspectIntent, type Guide } from '../../guide.ts';
import type { SearchResult } from '../../ports.ts';
import { revealsSecrets } from '../../privacy.ts';
import { foldText, hasVietnameseLetters, readsAsVietnamese } from '../../text.ts';
import type { Lang } from '../../types.ts';
import { aspectText, categoryView, clarifyView, handoffOfferView, menuView, otherGuidesView, welcomeView, whichGuideView, type Aspect } from '../views.ts';
import type { HandoffReason, TextInput, TurnScope } from '../turn.ts';
import * as communes from './communes.ts';
import * as guideRoom from './guide.ts';

/** The part of a guide each follow-up intent asks about. */
const ASPECT_OF: Record<AspectIntent, Aspect> = { 'ask-fees': 'fees', 'ask-time': 'time', 'ask-documents': 'documents', 'ask-where': 'where', 'ask-problem': 'problem' };

/** Searches the text and decides. Always takes the text. */
export function onText(t: TurnScope, input: TextInput): boolean {
  const { state } = t;
  const guide = t.guide(state.guideId);
  const result = searchInContext(t.ctx.snapshot, input.text, guide);
  const offered = state.clarify;
  state.clarify = undefined;
  if (!state.langChosen) followLanguage(t, input.text, result);
  // The bot never needs a full ID number, an account number, an OTP or a password: say so at once.
  if (revealsSecrets(input.text, input.folded)) t.notes.push(t.say('privacy.warning'));
  if (communes.onText(t, input, result)) return true;
  if ((result.decision === 'greeting' || result.decision === 'fallback') && result.intent === undefined && result.normalized === '') {
    // Nothing but filler ("ừ", "dạ vâng", "xong rồi"): nothing was asked, so no "I don't know"
    // and nothing for the editors' unanswered list; an invitation to ask, with the topics. When
    // the filler asks to ask ("cho hỏi", "giúp tôi với", "làm sao"), that invitation is a clarify.
    t.outcome = { decision: asksToAsk(input.folded) ? 'clarify' : 'greeting' };
    t.replies.push(menuView(t.view(), t.say('prompt.ask')));
    return true;
  }
  const back = previousReferredTo(t, input, result);
  if (back) return returnTo(t, input, back);
  const aspect = aspectOf(result) ?? troubleWith(result, guide) ?? scamToldAgain(result, guide);
  if (aspect && guideRoom.onFollowUp(t, input, result, aspect, guide)) return true;
  // "do I need to go to the police station for this?": a part of the guide open now, whatever
  // other guide its words also fit.
  if (aspect && guide && refersTo(t.cmds.current, input.folded) && guideRoom.onFollowUp(t, input, stayingOn(result, guide), aspect, guide)) return true;
  const meant = aspect && !guide && result.decision !== 'answer' ? offeredMeant(t, result, offered, input.text) : undefined;
  // "Did you mean A or B?" answered with "how much?": the first guide offered, at that part (its
  // title heads the reply, so the citizen sees which one).
  if (aspect && meant) {
    openAt(t, input, result, meant, aspect);
    const others = otherGuidesView(t.view(), (offered ?? []).filter((id) => id !== meant.id), aspect);
    if (others) t.replies.push(others);
    return true;
  }
  if (aspect && result.decision === 'fallback' && result.guides.length === 0) {
    // "How much?" with no guide open: ask which procedure, with the topics.
    t.effects.push({ type: 'searched', query: input.text, result });
    t.outcome = { decision: 'clarify', aspect };
    t.replies.push(menuView(t.view(), t.say('followup.which')));
    return true;
  }
  t.effects.push({ type: 'searched', query: input.text, result });
  decide(t, result, aspect);
  return true;
}

/**
 * The guide the bot offered last ("Did you mean …?", "which procedure?") that a follow-up with no
 * guide open is about: the first offered when the message names nothing else, or the one it
 * ranks first when that was offered.
 */
function offeredMeant(t: TurnScope, result: SearchResult, offered: readonly string[] | undefined, text: string): Guide | undefined {
  if (!offered || offered.length === 0) return undefined;
  const top = result.guides[0]?.id;
  if (top === undefined || top === offered[0]) return t.guide(offered[0]);
  // A follow-up that names no topic of its own ("có tốn tiền không cô") stays on the first guide
  // offered, whichever guide its follow-up words happen to rank first.
  if (t.ctx.snapshot.index.search(text, { openGuide: offered[0]! }).open?.stays) return t.guide(offered[0]);
  return offered.includes(top) ? t.guide(top) : undefined;
}

/** Opens a guide at the part asked about, recorded as answered by it. */
function openAt(t: TurnScope, input: TextInput, result: SearchResult, g: Guide, aspect: Aspect): boolean {
  recordAnswered(t, input, result, g);
  t.outcome = { decision: 'answer', aspect };
  openPart(t, g, aspect);
  return true;
}

/** The question recorded as answered by `g` (the dialogue chose it, whatever the search ranked). */
function recordAnswered(t: TurnScope, input: TextInput, result: SearchResult, g: Guide): void {
  t.effects.push({ type: 'searched', query: input.text, result: { ...result, decision: 'answer', guides: [{ id: g.id, score: 0 }] } });
}

/** A guide opened at step 1 with the part asked under its title, or at its problems. */
function openPart(t: TurnScope, g: Guide, aspect: Aspect | undefined, problem?: number): void {
  if (aspect === 'problem') return t.openProblem(g, problem);
  t.openGuide(g, 1, true, aspect ? aspectText(t.view(), g, aspect) : undefined);
}

/** Words of a message that asks to ask something, folded ("cho hỏi", "giúp với", "làm sao"). */
const ASK_WORDS = /(^| )(hoi|giup|lam sao|help|question|ask)( |$)/;

function asksToAsk(folded: string): boolean {
  return ASK_WORDS.test(folded);
}

/**
 * Intents that take the message whatever part of a guide it also names: a topic no guide covers
 * ("tiện hỏi luôn, làm hộ chiếu ở đâu") is declined, not answered with the open guide's place;
 * but a paper named in a question about papers ("tui còn hộ chiếu thôi") is only a paper.
 */
const OVERRIDING: ReadonlySet<string> = new Set(['handoff', 'frustration', 'bot-question', 'scam-report', 'not-covered']);

/** Intents that say what the message is, so that no trouble word makes it a problem report. */
const NOT_TROUBLE: ReadonlySet<string> = new Set([...OVERRIDING, 'thanks', 'greeting', 'not-covered']);

/**
 * 'problem' when the message reports trouble with the open guide without the words of any
 * follow-up ("quét hoài ko nhận, sao kỳ dzậy", "I forgot my VssID password"): it stays on that
 * guide, reads as a report, and no other guide answers it with confidence. Its problems (the one
 * that fits, or the list), not step 1.
 */
function troubleWith(result: SearchResult, open: Guide | undefined): Aspect | undefined {
  if (!open || result.open?.id !== open.id || !result.open.stays) return undefined;
  if (!result.open.reports || (result.intent && NOT_TROUBLE.has(result.intent))) return undefined;
  // A question another guide answers with confidence is a new topic, whatever it reports.
  if (result.decision === 'answer' && result.guides[0]?.id !== open.id) return undefined;
  return 'problem';
}

/**
 * 'problem' when a scam is reported while the scam guide is open ("bác lỡ chuyển rồi, 5 triệu,
 * giờ sao con"): what happened next, answered from its problems, not the guide from the top again.
 */
function scamToldAgain(result: SearchResult, open: Guide | undefined): Aspect | undefined {
  if (!open || result.intent !== 'scam-report' || result.guides[0]?.id !== open.id) return undefined;
  return result.open?.id === open.id && result.open.stays ? 'problem' : undefined;
}

/** The part of a guide the message asks about, unless a person, anger or a scam comes first. */
function aspectOf(result: SearchResult): Aspect | undefined {
  const intent = result.aspect ?? (isAspectIntent(result.intent) ? result.intent : undefined);
  if (result.intent && OVERRIDING.has(result.intent) && !(result.intent === 'not-covered' && intent === 'ask-documents')) return undefined;
  return intent ? ASPECT_OF[intent] : undefined;
}

/**
 * The guide open before this one, when the message points back to it ("quay lại vụ hồi nãy",
 * "còn cái lúc nãy") and names no other guide clearly.
 */
function previousReferredTo(t: TurnScope, input: TextInput, result: SearchResult): Guide | undefined {
  const previous = t.state.previousGuide ? t.guide(t.state.previousGuide.id) : undefined;
  if (!previous || !refersBack(t, input.folded)) return undefined;
  if (result.decision !== 'answer' || result.guides[0]?.id === previous.id) return previous;
  // It names a topic: back to the earlier guide unless another explains it clearly better.
  const fit = t.ctx.snapshot.index.search(input.text, { openGuide: previous.id }).open;
  return fit?.stays ? previous : undefined;
}

/** Words that point back to the earlier topic (messages `refer.previous`, both languages). */
function refersBack(t: TurnScope, folded: string): boolean {
  return refersTo(t.cmds.previous, folded);
}

/** Whether the folded message holds one of the phrases, as whole words. */
function refersTo(phrases: readonly string[], folded: string): boolean {
  const padded = ` ${folded} `;
  return phrases.some((phrase) => padded.includes(` ${phrase} `));
}

/** Back to the earlier guide: the part asked about, or where the citizen was in it. */
function returnTo(t: TurnScope, input: TextInput, g: Guide): boolean {
  const { state } = t;
  const back = state.previousGuide!;
  state.previousGuide = state.guideId ? (state.step ? { id: state.guideId, step: state.step } : { id: state.guideId }) : undefined;
  state.guideId = g.id;
  state.step = back.step;
  const result = searchInContext(t.ctx.snapshot, input.text, g);
  const staying = stayingOn(result, g);
  const aspect = aspectOf(result) ?? troubleWith(staying, g);
  if (aspect && guideRoom.onFollowUp(t, input, staying, aspect, g)) return true;
  recordAnswered(t, input, result, g);
  t.outcome = { decision: 'answer' };
  t.openGuide(g, back.step ?? 1, true);
  return true;
}

/** The result read as staying on `g`, whatever the index said of the open guide. */
function stayingOn(result: SearchResult, g: Guide): SearchResult {
  return { ...result, open: { ...result.open, id: g.id, stays: true } };
}

/** Intents that offer a person (yes/no) instead of handing off: why, and the offer's message. */
const OFFERS: Readonly<Record<string, { readonly reason: HandoffReason; readonly key: 'frustration.offer' | 'bot.offer' }>> = {
  // Anger with nothing asked: sorry, and a person offered.
  frustration: { reason: 'frustration', key: 'frustration.offer' },
  // "Are you a bot?": yes, and a person offered.
  'bot-question': { reason: 'asked', key: 'bot.offer' },
};

/** Carries out the index's decision. */
function decide(t: TurnScope, result: SearchResult, aspect: Aspect | undefined): void {
  const { state } = t;
  t.outcome = aspect ? { decision: result.decision, aspect } : { decision: result.decision };
  switch (result.decision) {
    case 'greeting':
      if (result.intent === 'thanks') t.replies.push({ text: t.say('thanks') });
      else t.replies.push(welcomeView(t.view()));
      return;
    case 'handoff':
      const offer = result.intent ? OFFERS[result.intent] : undefined;
      if (!offer) return t.requestHandoff('asked');
      state.pending = 'handoff-confirm';
      state.handoffReason = offer.reason;
      t.replies.push(handoffOfferView(t.view(), offer.key));
      return;
    case 'answer': {
      const g = t.guide(result.guides[0]?.id ?? '');
      if (!g) return t.fallback([]);
      if (aspect === 'problem') return openPart(t, g, aspect, result.problem);
      openPart(t, g, aspect);
      if (result.intent === 'scam-report') {
        state.pending = 'handoff-confirm';
        state.handoffReason = 'scam';
        t.replies.push(handoffOfferView(t.view(), 'scam.alert'));
      }
      return;
    }
    case 'clarify': {
      // "cho hỏi về căn cước": a topic area named alone gets the area's guides, not one guess.
      if (!aspect && categoryAsked(t, result)) return;
      const ids = result.guides.slice(0, 3).map((r) => r.id);
      state.clarify = ids;
      t.replies.push(clarifyView(t.view(), ids, aspect));
      return;
    }
    case 'fallback':
      // A procedure the guides do not cover: the "closest" guides would only mislead.
      if (result.intent === 'not-covered') t.fallback([], true);
      else if (aspect && result.guides.length > 0) {
        // "bị trừ tiền 2 lần thì sao", "lệ phí là bao nhiêu" with no sure guide: which procedure?
        t.outcome = { decision: 'clarify', aspect };
        state.clarify = result.guides.slice(0, 3).map((r) => r.id);
        t.replies.push(whichGuideView(t.view(), result.guides.map((r) => r.id), aspect));
      }
      else if (!categoryAsked(t, result)) t.fallback(result.guides.map((r) => r.id), false, result.plausible === true);
      return;
  }
}

/** Content words of a message that may name a topic area ("cho hỏi về căn cước"). */
const AREA_MAX_WORDS = 3;

/**
 * A message that only names a topic area ("cho hỏi về vneid", "e muốn hỏi về thanh toán"): the
 * guides of that category to pick from, instead of "I don't know". At most three content words,
 * at least half of them one category's title words, and no other's: two adjacent syllables of its
 * title ("căn cước", "thanh toán"; one syllable, such as "vụ" of "dịch vụ", says nothing) or an
 * app's name in it ("VNeID", written with capitals inside the word).
 */
function categoryAsked(t: TurnScope, result: SearchResult): boolean {
  const words = result.normalized.split(' ').filter((w) => w.length > 0);
  if (words.length === 0 || words.length > AREA_MAX_WORDS) return false;
  const hits = t.ctx.snapshot.content.categories.filter((c) => areaWords(words, c.title) * 2 >= words.length);
  if (hits.length !== 1) return false;
  t.outcome = { decision: 'clarify' };
  t.replies.push(categoryView(t.view(), hits[0]!.id));
  return true;
}

/** How many of the words a category's title names (see {@link categoryAsked}). */
function areaWords(words: readonly string[], title: string): number {
  const syllables = foldText(title).split(' ');
  const pairs = new Set(syllables.slice(1).map((w, i) => `${syllables[i]} ${w}`));
  const apps = new Set(title.split(/[^\p{L}\p{N}]+/u).filter((w) => /\p{Ll}\p{Lu}/u.test(w)).map(foldText));
  let n = 0;
  for (let i = 0; i < words.length; i++) {
    if (i + 1 < words.length && pairs.has(`${words[i]} ${words[i + 1]}`)) {
      n += 2;
      i++;
    } else if (apps.has(words[i]!)) n++;
  }
  return n;
}

/**
 * Follows the language the citizen writes in (until they pick one): an English question is
 * answered in English, a message with Vietnamese letters in Vietnamese. Greetings and one word
 * ("hello", "ok") are not enough to switch: many Vietnamese write them too. A question of three
 * words or more not read as English is Vietnamese typed without marks ("lam sao de chuyen tien"):
 * English is only read when English-only words outnumber the rest.
 */
function followLanguage(t: TurnScope, text: string, result: SearchResult): void {
  const { state } = t;
  const words = text.split(/\s+/).length;
  const question = result.decision !== 'greeting' && result.decision !== 'handoff' && words >= 2;
  // Asking for a person in a whole English sentence ("can I talk to a real person") counts too.
  const english = result.english === true && (question || (result.decision === 'handoff' && words >= 3));
  // Back from English only for a message with Vietnamese letters, or whose words read as
  // Vietnamese syllables ("what's the weather in Can Tho tomorrow" stays English).
  // An English sentence with a place name in it ("my mum lives in Kế Sách") stays English.
  const vietnamese = (hasVietnameseLetters(text) && result.english !== true) || (question && words >= 3 && !result.english && readsAsVietnamese(text));
  const to: Lang | undefined = english && state.lang === 'vi' ? 'en' : state.lang === 'en' && vietnamese ? 'vi' : undefined;
  if (to) {
    state.lang = to;
    t.notes.push(t.say('lang.auto'));
  }
}

/**
 * Searches; with a guide about an app open, tells the index that app, so a vague message that fits
 * nothing ("bị lỗi không vào được" after the VNeID guide) may be read as being about it.
 */
function searchInContext(snapshot: ContentSnapshot, text: string, open: Guide | undefined): SearchResult {
  if (!open) return snapshot.index.search(text);
  const subject = subjectOf(snapshot, open);
  return snapshot.index.search(text, subject ? { subject, openGuide: open.id } : { openGuide: open.id });
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
