/**
 * What goes wrong with a procedure and what to do: one problem of a guide, or the list of them
 * to pick from. Never the steps again: a citizen who reports a refusal has done them already.
 */
import type { Guide, GuideProblem } from '../guide.ts';
import type { Action } from './actions.ts';
import { backToSteps, localGuide, say, type Reply, type ViewContext } from './views.ts';

/** A problem's title and answer in the view's language. */
export function localProblem(p: GuideProblem, lang: ViewContext['lang']): { title: string; answer: string } {
  return lang === 'en' ? { title: p.en.title, answer: p.en.answer } : { title: p.title, answer: p.answer };
}

const opt = (label: string, action: Action) => ({ label, action });

/** One problem of a guide: what to do, whom to call; the other problems and a person to hand. */
export function problemView(v: ViewContext, g: Guide, index: number, step: number | undefined): Reply {
  const p = g.problems[index];
  if (!p) return problemsView(v, g, step);
  const { title, answer } = localProblem(p, v.lang);
  const others = g.problems.length > 1 ? [opt(say(v, 'btn.other_problems'), { type: 'problems', guideId: g.id })] : [];
  return {
    text: say(v, 'guide.problem', { title: localGuide(g, v.lang).title, problem: title, text: answer.trim() }),
    options: [backToSteps(v, g, step), ...others, opt(say(v, 'btn.handoff'), { type: 'handoff' })],
  };
}

/** The guide's problems to pick from; with none written, its contacts and a person. */
export function problemsView(v: ViewContext, g: Guide, step: number | undefined): Reply {
  const title = localGuide(g, v.lang).title;
  const handoff = opt(say(v, 'btn.handoff'), { type: 'handoff' });
  if (g.problems.length === 0) {
    const contacts = g.contacts.map((c) => `• ${[v.lang === 'en' ? (c.en?.name ?? c.name) : c.name, c.phone, c.url].filter(Boolean).join(' – ')}`);
    const text = say(v, 'guide.problem_none', { title, link: g.links[0]?.url ?? '' });
    return { text: contacts.length > 0 ? `${text}\n${contacts.join('\n')}` : text, options: [backToSteps(v, g, step), handoff] };
  }
  return {
    text: say(v, 'guide.problems', { title }),
    options: [...g.problems.map((p, i) => opt(localProblem(p, v.lang).title, { type: 'problem', guideId: g.id, index: i })), backToSteps(v, g, step), handoff],
  };
}
