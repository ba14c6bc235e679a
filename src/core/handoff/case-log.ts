/**
 * Keeping the history of a hand-off as it happens: the case opened when a citizen asks for a
 * person (with what they had read, their first question and their name), and every line and
 * change after that. The history is a record, not the hand-off itself: a failed write is
 * logged and the hand-off goes on. It outlives the hand-off and is searched, so personal numbers
 * (ID cards, phones, bank accounts, emails) are masked in it; the live transcript keeps the words.
 */
import type { ContentSnapshot } from '../content.ts';
import type { CaseChange, CaseLine, ConversationHistory, ConversationStore, Logger } from '../ports.ts';
import { maskPii } from '../privacy.ts';
import type { ConversationState } from '../types.ts';
import { CASE_REOPEN_WINDOW_MS, caseIdOf, caseTitle } from './cases.ts';

/** Transcript lines a new case keeps as context (what the citizen had read before asking). */
export const CASE_CONTEXT_LINES = 20;
/** Only lines this recent count as context and as the first question. */
const CONTEXT_WINDOW_MS = 24 * 3_600_000;

/** What writing to the history needs; without a history nothing is written. */
export interface CaseLogDeps {
  readonly history?: ConversationHistory;
  readonly logger?: Logger;
}

/** Records lines and a change on a case; never throws (a failure is logged). */
export async function logCase(deps: CaseLogDeps, caseId: string | undefined, lines: readonly CaseLine[], change?: CaseChange): Promise<void> {
  if (!deps.history || !caseId) return;
  try {
    await deps.history.record(caseId, masked(lines), change);
  } catch (err) {
    deps.logger?.warn({ err: (err as Error).message }, 'hand-off history not written');
  }
}

/** The first question and context of a new case, from the transcript and the message that asked. */
export interface NewCase {
  readonly caseId: string;
  readonly title: string;
}

/**
 * Opens the case of a new hand-off of `state` (before it is saved): the last transcript lines of
 * the day as context, plus `citizenText`; the title is the first of them the search reads as a
 * question. Sets `state.caseId` and clears `caseClosedAtMs`. Never throws.
 */
export async function openCase(
  deps: CaseLogDeps & { readonly store: ConversationStore; readonly snapshot: () => ContentSnapshot },
  state: ConversationState,
  reason: string,
  citizenText: string | undefined,
  nowMs: number,
): Promise<NewCase> {
  const caseId = caseIdOf(state.id, nowMs);
  state.caseId = caseId;
  delete state.caseClosedAtMs;
  let context: CaseLine[] = [];
  try {
    context = (await deps.store.transcript(state.id)).filter((l) => l.atMs >= nowMs - CONTEXT_WINDOW_MS && l.role !== 'note').slice(-CASE_CONTEXT_LINES);
  } catch (err) {
    deps.logger?.warn({ err: (err as Error).message }, 'transcript not read for the hand-off history');
  }
  if (citizenText) context.push({ atMs: nowMs, role: 'citizen', text: citizenText });
  const index = deps.snapshot().index;
  const title = caseTitle(context, (text) => {
    const d = index.search(text).decision;
    return d !== 'handoff' && d !== 'greeting';
  });
  if (!deps.history) return { caseId, title };
  try {
    await deps.history.open(
      {
        caseId,
        conversationId: state.id,
        channel: state.channel,
        startedAtMs: nowMs,
        status: 'waiting',
        reason,
        title,
        lang: state.lang,
        staff: [],
        labels: [],
        ...(state.displayName ? { displayName: state.displayName } : {}),
        ...(state.guideId ? { guideId: state.guideId } : {}),
        ...(citizenText ? { lastCitizenAtMs: nowMs } : {}),
      },
      masked(context),
    );
  } catch (err) {
    deps.logger?.warn({ err: (err as Error).message }, 'hand-off history not written');
  }
  return { caseId, title };
}

/**
 * After staff resolved a hand-off, what the citizen writes within {@link CASE_REOPEN_WINDOW_MS}
 * is kept with that case (staff may reopen it). Past the window the state forgets the case's
 * closing. Resolves true when a line was kept (live views should hear of it). Never throws.
 */
export async function keepAfterClose(deps: CaseLogDeps, state: ConversationState, citizenText: string | undefined, nowMs: number): Promise<boolean> {
  if (state.mode !== 'bot' || state.caseClosedAtMs === undefined) return false;
  if (nowMs - state.caseClosedAtMs > CASE_REOPEN_WINDOW_MS) {
    delete state.caseClosedAtMs;
    return false;
  }
  if (!citizenText || !deps.history) return false;
  await logCase(deps, state.caseId, [{ atMs: nowMs, role: 'citizen', text: citizenText }], { lastCitizenAtMs: nowMs });
  return true;
}

/** The lines with personal numbers masked (what the history keeps). */
function masked(lines: readonly CaseLine[]): CaseLine[] {
  return lines.map((l) => ({ ...l, text: maskPii(l.text) }));
}
