/**
 * Carrying out a turn's effects: queueing for a person (with the office hours), leaving the
 * queue, relaying to staff, erasing, and telling the observers (metrics, reports). Each returns
 * the extra replies it needs said.
 */
import type { ContentSnapshot } from './content.ts';
import type { Effect } from './dialogue/dialogue.ts';
import { say, type Reply, type ViewContext } from './dialogue/views.ts';
import { logCase, openCase } from './handoff/case-log.ts';
import type { EngineObserver } from './observer.ts';
import { formatLocalMoment, isOfficeOpen, nextOpeningMs } from './office-hours.ts';
import type { Clock, ConversationHistory, ConversationStore, EventBus, HandoffQueue, Logger } from './ports.ts';
import type { ConversationState } from './types.ts';

/** What carrying out effects needs: the engine's ports and the turn's view. */
export interface EffectDeps {
  readonly snapshot: () => ContentSnapshot;
  readonly store: ConversationStore;
  readonly queue: HandoffQueue;
  readonly events: EventBus;
  readonly clock: Clock;
  readonly observer?: EngineObserver;
  /** Where hand-offs are kept for staff's history (none: not kept). */
  readonly history?: ConversationHistory;
  readonly logger?: Logger;
  /** The view of the turn's state (its language). */
  readonly view: ViewContext;
}

/** Carries out one effect on the state; resolves to the replies it adds. */
export async function applyEffect(deps: EffectDeps, effect: Effect, state: ConversationState, citizenText?: string): Promise<Reply[]> {
  const { queue, events, clock, store, observer, view: v } = deps;
  const now = clock.nowMs();
  switch (effect.type) {
    case 'handoff':
      return enqueue(deps, effect.reason, state, citizenText, now);
    case 'cancel-handoff':
      await queue.remove(state.id);
      await logCase(deps, state.caseId, [], { status: 'cancelled', owner: null, closedAtMs: now, closedBy: 'citizen' });
      await events.publish({ type: 'status', conversationId: state.id, atMs: now });
      return [];
    case 'relay':
      await queue.touch(state.id, effect.text, now);
      await logCase(deps, state.caseId, [{ atMs: now, role: 'citizen', text: effect.text }], { lastCitizenAtMs: now });
      return [];
    case 'erase':
      await store.erase(state.id);
      await queue.remove(state.id);
      await deps.history?.eraseConversation(state.id);
      observer?.erased?.({ channel: state.channel, conversationId: state.id, atMs: now });
      await events.publish({ type: 'status', conversationId: state.id, atMs: now });
      return [{ text: say(v, 'erase.done') }];
    case 'feedback':
      observer?.feedback?.({ channel: state.channel, guideId: effect.guideId, helpful: effect.helpful, atMs: now });
      return [];
    case 'rating':
      observer?.rating?.({ channel: state.channel, score: effect.score, atMs: now });
      return [];
    case 'searched':
      observer?.decision?.({ channel: state.channel, query: effect.query, result: effect.result, atMs: now });
      return [];
  }
}

/** Queues the conversation for a person (or says where it already is), with the office hours. */
async function enqueue(
  deps: EffectDeps,
  reason: Extract<Effect, { type: 'handoff' }>['reason'],
  state: ConversationState,
  citizenText: string | undefined,
  now: number,
): Promise<Reply[]> {
  const { queue, events, observer, view: v } = deps;
  if (state.mode !== 'bot') {
    const position = (await queue.position(state.id)) ?? 1;
    return [{ text: say(v, 'handoff.already', { position }) }];
  }
  const opened = await openCase(deps, state, reason, citizenText, now);
  const position = await queue.enqueue({
    id: state.id,
    channel: state.channel,
    waitingSinceMs: now,
    reason,
    guideId: state.guideId,
    lastMessage: citizenText,
    lastMessageAtMs: citizenText ? now : undefined,
    caseId: opened.caseId,
    ...(opened.title ? { title: opened.title } : {}),
    ...(state.displayName ? { displayName: state.displayName } : {}),
  });
  state.mode = 'waiting';
  state.pending = undefined;
  state.handoffReason = reason;
  state.handedOffAtMs = now;
  observer?.handoff?.({ channel: state.channel, reason, guideId: state.guideId, atMs: now });
  await events.publish({ type: 'queue', conversationId: state.id, atMs: now });
  const replies: Reply[] = [];
  const hours = deps.snapshot().content.officeHours;
  if (!isOfficeOpen(hours, now)) {
    const opens = nextOpeningMs(hours, now);
    if (opens !== null) replies.push({ text: say(v, 'handoff.closed', { reopens: formatLocalMoment(opens, hours.time_zone, state.lang) }) });
  }
  replies.unshift({ text: say(v, 'handoff.queued', { position }), options: [{ label: say(v, 'btn.cancel'), action: { type: 'cancel' } }] });
  return replies;
}
