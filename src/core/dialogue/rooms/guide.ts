/**
 * The guide room: a guide is open at a step. Walks the steps (buttons and words: next, back,
 * done), shows all steps or the practical information, and answers follow-ups about the open
 * guide ("lệ phí bao nhiêu?") without losing the step.
 */
import type { Guide } from '../../guide.ts';
import type { SearchResult } from '../../ports.ts';
import { encodeAction, type Action } from '../actions.ts';
import { ackView, allStepsView, aspectText, aspectView, endView, infoView, menuView, relatedView, stepView, type Aspect } from '../views.ts';
import { problemView, problemsView } from '../problem-views.ts';
import { guideFingerprint, type TextInput, type TurnScope } from '../turn.ts';

/** Opening a guide, going to a step, all steps, the practical information, its problems. */
export function onPress(t: TurnScope, a: Extract<Action, { type: 'guide' | 'step' | 'all' | 'info' | 'problem' | 'problems' }>): void {
  switch (a.type) {
    case 'problem':
    case 'problems': {
      const g = t.guide(a.guideId);
      if (!g) return void t.replies.push(menuView(t.view(), t.say('guide.gone')));
      t.outcome = { decision: 'followup', aspect: 'problem' };
      // Picked from "which procedure?": that guide is now the one open, its steps not yet shown.
      if (t.state.guideId !== g.id) t.enter(g, undefined);
      const step = t.state.step;
      t.replies.push(a.type === 'problem' ? problemView(t.view(), g, a.index, step) : problemsView(t.view(), g, step));
      return;
    }
    case 'guide': {
      const g = t.guide(a.guideId);
      t.outcome = a.aspect ? { decision: 'answer', aspect: a.aspect } : { decision: 'answer' };
      if (g) t.openGuide(g, 1, true, a.aspect ? aspectText(t.view(), g, a.aspect) : undefined);
      else t.replies.push(menuView(t.view(), t.say('guide.gone')));
      return;
    }
    case 'step':
      t.outcome = { decision: 'step' };
      t.gotoStep(a.guideId, a.step);
      return;
    case 'all':
      t.outcome = { decision: 'step' };
      return showAll(t, a.guideId);
    case 'info': {
      t.outcome = { decision: 'step' };
      const g = t.guide(a.guideId);
      if (!g) return void t.replies.push(menuView(t.view(), t.say('guide.gone')));
      t.replies.push(infoView(t.view(), g, t.state.guideId === g.id ? t.state.step : undefined));
      return;
    }
  }
}

/** Every step in one message, then the end of the guide. */
function showAll(t: TurnScope, guideId: string): void {
  const g = t.guide(guideId);
  if (!g) return void t.replies.push(menuView(t.view(), t.say('guide.gone')));
  const { state } = t;
  state.guideId = g.id;
  state.step = (state.lang === 'en' ? g.en.steps : g.steps).length;
  state.guideVersion = guideFingerprint(g);
  t.replies.push(allStepsView(t.view(), g), endView(t.view(), g));
  const related = relatedView(t.view(), g);
  if (related) t.replies.push(related);
}

/** The step words: back (anywhere: to the topics when no guide is open), next, done. */
export function onCommand(t: TurnScope, input: TextInput): boolean {
  const { cmds, state } = t;
  const { folded } = input;
  const guide = t.guide(state.guideId);
  if (cmds.back.has(folded)) {
    if (guide) t.outcome = { decision: 'step' };
    if (guide && state.step && state.step > 1) t.gotoStep(guide.id, state.step - 1);
    else if (guide) t.replies.push({ text: t.say('step.at_start') }, stepView(t.view(), guide, 1));
    else t.replies.push(menuView(t.view()));
    return true;
  }
  if (cmds.next.has(folded) && guide) {
    // After a problem report the steps have not been shown: "tiếp" starts them.
    t.outcome = { decision: 'step' };
    t.gotoStep(guide.id, (state.step ?? 0) + 1);
    return true;
  }
  if (!guide) return false;
  const step = state.step ?? 0;
  const walking = step > 0 && step < (state.lang === 'en' ? guide.en.steps : guide.steps).length;
  if (cmds.done.has(folded) && walking) {
    // "xong rồi", "làm xong rồi" in the middle of a guide: that step is done, show the next one.
    t.outcome = { decision: 'step' };
    t.gotoStep(guide.id, step + 1);
    return true;
  }
  if (cmds.ack.has(folded)) {
    // "ok", "dạ": the next step while the citizen walks the steps (past the first, the last reply a
    // step); after the answer itself, a part of the guide or its end, only an acknowledgement, with
    // the next step a button away.
    if (walking && step > 1 && state.options.includes(encodeAction({ type: 'step', guideId: guide.id, step: step + 1 }))) {
      t.outcome = { decision: 'step' };
      t.gotoStep(guide.id, step + 1);
    } else {
      t.outcome = { decision: 'greeting' };
      t.replies.push(ackView(t.view(), guide, state.step));
    }
    return true;
  }
  return false;
}

/**
 * A follow-up about the open guide ("lệ phí bao nhiêu?", "nộp rồi mà bị từ chối"): that part of
 * it, or its problem, the step kept. False when the message names a new topic instead (the index
 * says whether it stays on the open guide).
 */
export function onFollowUp(t: TurnScope, input: TextInput, result: SearchResult, aspect: Aspect, guide: Guide | undefined): boolean {
  if (!guide || result.open?.id !== guide.id || !result.open.stays) return false;
  const problem = aspect === 'problem';
  // Recorded as answered by that guide, or, when the guide does not give that part, as an
  // unanswered question next to it: the editors' report then shows the gap.
  const answered = problem ? result.open.problem !== undefined : aspectText(t.view(), guide, aspect) !== undefined;
  const guides = [{ id: guide.id, score: result.guides.find((r) => r.id === guide.id)?.score ?? 0 }];
  t.effects.push({ type: 'searched', query: input.text, result: { ...result, decision: answered ? 'answer' : 'fallback', guides } });
  t.outcome = { decision: 'followup', aspect };
  const v = t.view();
  if (!problem) t.replies.push(aspectView(v, guide, aspect, t.state.step));
  else if (result.open.problem !== undefined) t.replies.push(problemView(v, guide, result.open.problem, t.state.step));
  else t.replies.push(problemsView(v, guide, t.state.step));
  return true;
}
