/**
 * Builds the bot's replies (text + option actions + links) from content and messages.
 * Pure: no state changes here, only what to say.
 */
import type { ContentBundle } from '../content.ts';
import type { Guide, GuideStep } from '../guide.ts';
import { fillMessage } from '../text.ts';
import type { Lang } from '../types.ts';
import type { Action, Aspect } from './actions.ts';

/** A reply before numbering: the engine numbers options and remembers them as the menu. */
export interface Reply {
  readonly text: string;
  readonly options?: readonly { readonly label: string; readonly action: Action }[];
  readonly links?: readonly { readonly label: string; readonly url: string }[];
}

/** What views need to know. */
export interface ViewContext {
  readonly content: ContentBundle;
  readonly lang: Lang;
  /** Days conversations are kept (for the privacy line). */
  readonly ttlDays: number;
}

/** Localised guide parts: the English block when speaking English. */
export function localGuide(g: Guide, lang: Lang): {
  title: string;
  summary: string;
  steps: readonly GuideStep[];
  documents: readonly string[];
  fees?: string;
  time?: string;
} {
  if (lang === 'en') {
    return {
      title: g.en.title,
      summary: g.en.summary,
      steps: g.en.steps,
      documents: g.en.documents ?? g.documents,
      fees: g.en.fees ?? g.fees,
      time: g.en.processing_time ?? g.processing_time,
    };
  }
  return { title: g.title, summary: g.summary, steps: g.steps, documents: g.documents, fees: g.fees, time: g.processing_time };
}

/** The message helper bound to a view context. */
export function say(v: ViewContext, key: string, vars?: Record<string, string | number>): string {
  return fillMessage(v.content.messages[v.lang], key, vars);
}

const opt = (label: string, action: Action) => ({ label, action });

/** The topic menu (categories). */
export function menuView(v: ViewContext, lead?: string): Reply {
  const options = v.content.categories
    .filter((c) => v.content.guideList.some((g) => g.category === c.id))
    .map((c) => opt(`${c.emoji ? `${c.emoji} ` : ''}${v.lang === 'en' ? c.en : c.title}`, { type: 'category', categoryId: c.id }));
  return { text: lead ? `${lead}\n\n${say(v, 'menu.title')}` : say(v, 'menu.title'), options };
}

/** Welcome, privacy line and the topic menu. */
export function welcomeView(v: ViewContext): Reply {
  const m = menuView(v);
  return { text: say(v, 'welcome', { ttlDays: v.ttlDays }), options: m.options };
}

/** The guides of one category. */
export function categoryView(v: ViewContext, categoryId: string): Reply {
  const cat = v.content.categories.find((c) => c.id === categoryId);
  if (!cat) return menuView(v);
  const guides = v.content.guideList.filter((g) => g.category === categoryId);
  return {
    text: say(v, 'menu.category', { title: v.lang === 'en' ? cat.en : cat.title }),
    options: [...guides.map((g) => opt(localGuide(g, v.lang).title, { type: 'guide', guideId: g.id })), opt(say(v, 'btn.menu'), { type: 'menu' })],
  };
}

/** Title and summary of a guide (they head the message with its first step). */
export function introView(v: ViewContext, g: Guide): Reply {
  const l = localGuide(g, v.lang);
  return { text: say(v, 'guide.intro', { title: l.title, summary: l.summary.trim() }) };
}

/** Step k (1-based) with its navigation buttons. */
export function stepView(v: ViewContext, g: Guide, k: number): Reply {
  const l = localGuide(g, v.lang);
  const n = l.steps.length;
  const step = l.steps[Math.min(Math.max(k, 1), n) - 1]!;
  let text = say(v, 'guide.step', { k, n, text: step.text });
  if (step.detail) text += `\n${say(v, 'guide.step_detail', { detail: step.detail })}`;
  const options = [
    ...(k < n ? [opt(say(v, 'btn.next'), { type: 'step', guideId: g.id, step: k + 1 } as Action)] : []),
    ...(k > 1 ? [opt(say(v, 'btn.prev'), { type: 'step', guideId: g.id, step: k - 1 } as Action)] : []),
    opt(say(v, 'btn.all_steps'), { type: 'all', guideId: g.id }),
    opt(say(v, 'btn.info'), { type: 'info', guideId: g.id }),
    opt(say(v, 'btn.handoff'), { type: 'handoff' }),
  ];
  const links = step.link ? [{ label: say(v, 'btn.official'), url: step.link }] : [];
  return { text, options, links };
}

/** "ok" while a guide is open but not walked: acknowledged, the next step (or all steps) a button away. */
export function ackView(v: ViewContext, g: Guide, step: number | undefined): Reply {
  const n = localGuide(g, v.lang).steps.length;
  const next = (step ?? 0) < n ? [opt(say(v, 'btn.next'), { type: 'step', guideId: g.id, step: (step ?? 0) + 1 } as Action)] : [];
  return { text: say(v, 'ack.in_guide'), options: [...next, opt(say(v, 'btn.all_steps'), { type: 'all', guideId: g.id }), opt(say(v, 'btn.menu'), { type: 'menu' })] };
}

/** After the last step: official link, review date and "was it helpful?" with 👍/👎 alone. */
export function endView(v: ViewContext, g: Guide): Reply {
  const link = g.links[0]?.url;
  const reviewed = citizenDate(g.reviewed);
  const text = link ? say(v, 'guide.end', { link, reviewed }) : say(v, 'guide.end_no_link', { reviewed });
  return {
    text,
    options: [
      opt(say(v, 'btn.up'), { type: 'feedback', guideId: g.id, helpful: true }),
      opt(say(v, 'btn.down'), { type: 'feedback', guideId: g.id, helpful: false }),
    ],
    links: link ? [{ label: say(v, 'btn.official'), url: link }] : [],
  };
}

/**
 * The related guides, in a message of their own under "You may also need:" (so the 👍/👎 of
 * the end are not mixed with them), and the topics. Undefined when the guide lists none.
 */
export function relatedView(v: ViewContext, g: Guide): Reply | undefined {
  const related = g.related
    .map((id) => v.content.guides.get(id))
    .filter((x): x is Guide => x !== undefined)
    .slice(0, 3);
  if (related.length === 0) return undefined;
  return {
    text: say(v, 'guide.related'),
    options: [...related.map((r) => opt(localGuide(r, v.lang).title, { type: 'guide', guideId: r.id } as Action)), opt(say(v, 'btn.menu'), { type: 'menu' })],
  };
}

/** Every step in one message (the renderer splits it if long). */
export function allStepsView(v: ViewContext, g: Guide): Reply {
  const l = localGuide(g, v.lang);
  const lines = l.steps.map((s, i) => `${i + 1}. ${s.text}${s.detail ? `\n   ${s.detail}` : ''}`);
  return { text: `${say(v, 'guide.all_steps', { title: l.title })}\n\n${lines.join('\n')}` };
}

/** The parts of a guide's practical information that it has, each a ready paragraph. */
function infoParts(v: ViewContext, g: Guide): Partial<Record<'documents' | 'fees' | 'time' | 'where' | 'contacts', string>> {
  const l = localGuide(g, v.lang);
  const parts: Partial<Record<'documents' | 'fees' | 'time' | 'where' | 'contacts', string>> = {};
  if (l.documents.length > 0) parts.documents = `${say(v, 'guide.info_documents')}\n${l.documents.map((d) => `• ${d}`).join('\n')}`;
  if (l.fees) parts.fees = say(v, 'guide.info_fees', { fees: l.fees });
  if (l.time) parts.time = say(v, 'guide.info_time', { time: l.time });
  const en = v.lang === 'en';
  if (g.where.length > 0) {
    const where = g.where.map((w) => {
      const line = `• ${[en ? (w.en?.name ?? w.name) : w.name, w.address, en ? (w.en?.hours ?? w.hours) : w.hours, w.url].filter(Boolean).join(' – ')}`;
      const note = en ? (w.en?.note ?? w.note) : w.note;
      return note ? `${line}\n  ${note}` : line;
    });
    parts.where = `${say(v, 'guide.info_where')}\n${where.join('\n')}`;
  }
  if (g.contacts.length > 0) {
    const contacts = g.contacts.map((c) => `• ${[en ? (c.en?.name ?? c.name) : c.name, c.phone, c.url, en ? (c.en?.note ?? c.note) : c.note].filter(Boolean).join(' – ')}`);
    parts.contacts = `${say(v, 'guide.info_contacts')}\n${contacts.join('\n')}`;
  }
  return parts;
}

/** Back to the steps, where the citizen was (or the guide from its start). */
export function backToSteps(v: ViewContext, g: Guide, step: number | undefined) {
  return opt(say(v, 'btn.back_to_steps'), step ? ({ type: 'step', guideId: g.id, step } as Action) : ({ type: 'guide', guideId: g.id } as Action));
}

/** Documents, fees, processing time, where to go and contacts. */
export function infoView(v: ViewContext, g: Guide, step: number | undefined): Reply {
  const p = infoParts(v, g);
  const parts = [p.documents, p.fees, p.time, p.where, p.contacts].filter((x): x is string => x !== undefined);
  const text = parts.length > 0 ? parts.join('\n\n') : say(v, 'guide.info_none', { link: g.links[0]?.url ?? '' });
  return { text, options: [backToSteps(v, g, step), opt(say(v, 'btn.handoff'), { type: 'handoff' })] };
}

export type { Aspect } from './actions.ts';

/** One part of a guide's information, or undefined when the guide does not give it. */
export function aspectText(v: ViewContext, g: Guide, aspect: Aspect): string | undefined {
  if (aspect === 'problem') return undefined; // problems have views of their own (problem-views.ts)
  const p = infoParts(v, g);
  if (aspect !== 'where') return p[aspect];
  const both = [p.where, p.contacts].filter((x): x is string => x !== undefined);
  return both.length > 0 ? both.join('\n\n') : undefined;
}

/**
 * A follow-up about the guide the citizen has open: that part of it, under the guide's title,
 * or plainly that the guide does not say (with its official page), never a guess.
 */
export function aspectView(v: ViewContext, g: Guide, aspect: Aspect, step: number | undefined): Reply {
  const title = localGuide(g, v.lang).title;
  const part = aspectText(v, g, aspect);
  const text = part ? say(v, 'guide.aspect', { title, text: part }) : say(v, 'guide.aspect_none', { title, link: g.links[0]?.url ?? '' });
  return { text, options: [backToSteps(v, g, step), opt(say(v, 'btn.info'), { type: 'info', guideId: g.id }), opt(say(v, 'btn.handoff'), { type: 'handoff' })] };
}

/** "Did you mean" with 2–3 guides; `aspect`: the part the question asked about, shown with the guide picked. */
export function clarifyView(v: ViewContext, guideIds: readonly string[], aspect?: Aspect): Reply {
  const guides = guideIds.map((id) => v.content.guides.get(id)).filter((g): g is Guide => g !== undefined);
  const one = guides.length === 1 && v.content.messages[v.lang]['clarify.one'] !== undefined;
  return {
    // One plausible guide: "Có phải bạn hỏi về …?" (yes: the guide; no: an honest fallback).
    text: one ? say(v, 'clarify.one', { title: localGuide(guides[0]!, v.lang).title }) : say(v, 'clarify'),
    options: [
      ...guides.map((g) => opt(localGuide(g, v.lang).title, (aspect ? { type: 'guide', guideId: g.id, aspect } : { type: 'guide', guideId: g.id }) as Action)),
      opt(say(v, 'clarify.none'), { type: 'clarify-none' }),
    ],
  };
}

/**
 * A part of a guide asked about ("lệ phí", "bị từ chối") when no guide is sure: which procedure?
 * The closest guides, each opening at that part (its problems for a problem), the topics and a person.
 */
export function whichGuideView(v: ViewContext, guideIds: readonly string[], aspect: Aspect): Reply {
  const guides = guideIds.map((id) => v.content.guides.get(id)).filter((g): g is Guide => g !== undefined).slice(0, 3);
  const open = (g: Guide): Action => (aspect === 'problem' ? { type: 'problems', guideId: g.id } : { type: 'guide', guideId: g.id, aspect });
  return {
    text: say(v, aspect === 'problem' ? 'followup.which_problem' : 'followup.which'),
    options: [...guides.map((g) => opt(localGuide(g, v.lang).title, open(g))), opt(say(v, 'btn.menu'), { type: 'menu' }), opt(say(v, 'btn.handoff'), { type: 'handoff' })],
  };
}

/** The other guides offered, each opening at the part asked ("If you meant another procedure"). */
export function otherGuidesView(v: ViewContext, guideIds: readonly string[], aspect: Aspect): Reply | undefined {
  const guides = guideIds.map((id) => v.content.guides.get(id)).filter((g): g is Guide => g !== undefined).slice(0, 2);
  if (guides.length === 0) return undefined;
  const open = (g: Guide): Action => (aspect === 'problem' ? { type: 'problems', guideId: g.id } : { type: 'guide', guideId: g.id, aspect });
  return { text: say(v, 'followup.or_other'), options: guides.map((g) => opt(localGuide(g, v.lang).title, open(g))) };
}

/**
 * Honest "I don't know", with the closest topics, the menu and a person. `notCovered`: the
 * question names a procedure no guide covers; no suggestions, and where such things are handled.
 */
export function fallbackView(v: ViewContext, suggestions: readonly string[], notCovered = false, plausible = false): Reply {
  const guides = suggestions.map((id) => v.content.guides.get(id)).filter((g): g is Guide => g !== undefined).slice(0, 2);
  const plain = notCovered && v.content.messages[v.lang]['fallback.not_covered'] !== undefined ? say(v, 'fallback.not_covered') : say(v, 'fallback');
  // A plausible guide: no "I have no guide", but "is it one of these?" (no dead end).
  const unsure = plausible && guides.length > 0 && v.content.messages[v.lang]['fallback.plausible'] !== undefined;
  const text = unsure ? say(v, 'fallback.plausible') : guides.length > 0 ? `${plain}\n\n${say(v, 'fallback.suggest')}` : plain;
  return {
    text,
    options: [
      ...guides.map((g) => opt(localGuide(g, v.lang).title, { type: 'guide', guideId: g.id } as Action)),
      opt(say(v, 'btn.menu'), { type: 'menu' }),
      opt(say(v, 'btn.handoff'), { type: 'handoff' }),
    ],
  };
}

/** Offer a person (after two fallbacks, a 👎, a scam report, or anger); the citizen confirms. */
export function handoffOfferView(v: ViewContext, key: 'fallback.offer' | 'feedback.sorry' | 'handoff.offer' | 'scam.alert' | 'frustration.offer' | 'bot.offer'): Reply {
  return {
    text: say(v, key),
    options: [opt(say(v, 'btn.yes_handoff'), { type: 'handoff-answer', yes: true }), opt(say(v, 'btn.no'), { type: 'handoff-answer', yes: false })],
  };
}

/** Ask to confirm erasing the conversation's data. */
export function eraseConfirmView(v: ViewContext): Reply {
  return {
    text: say(v, 'erase.confirm'),
    options: [opt(say(v, 'btn.erase_yes'), { type: 'erase-answer', yes: true }), opt(say(v, 'btn.erase_no'), { type: 'erase-answer', yes: false })],
  };
}

/** Ask for a 1–5 rating after staff help. */
export function ratingView(v: ViewContext): Reply {
  return {
    text: say(v, 'handoff.resolved'),
    options: [1, 2, 3, 4, 5].map((score) => opt(`${'⭐'.repeat(score)} ${score}`, { type: 'rate', score } as Action)),
  };
}

/** A content date (YYYY-MM-DD) as citizens read it: 27/11/2026. Anything else is shown as it is. */
export function citizenDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
