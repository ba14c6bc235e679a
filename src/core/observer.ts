/**
 * Several engine observers as one. The composition root builds one observer per concern
 * (metrics, editors' reports…) and hands the engine their combination.
 */
import type { HandoffReason, TurnOutcome } from './dialogue/dialogue.ts';
import type { SearchResult } from './ports.ts';
import type { ChannelName, ConversationId, ConversationMode, InboundMessage, Lang } from './types.ts';

/** Things the engine tells observers (metrics, analytics). All optional, never awaited. */
export interface EngineObserver {
  inbound?(channel: ChannelName, kind: InboundMessage['kind']): void;
  duplicate?(channel: ChannelName): void;
  decision?(e: { channel: ChannelName; query: string; result: SearchResult; atMs: number }): void;
  feedback?(e: { channel: ChannelName; guideId: string; helpful: boolean; atMs: number }): void;
  handoff?(e: { channel: ChannelName; reason: HandoffReason; guideId?: string; atMs: number }): void;
  rating?(e: { channel: ChannelName; score: number; atMs: number }): void;
  sent?(channel: ChannelName, messages: number): void;
  sendError?(channel: ChannelName, error: unknown): void;
  replyLatency?(channel: ChannelName, ms: number): void;
  rateLimited?(channel: ChannelName): void;
  /** A citizen erased their conversation (ids only: for the audit log). */
  erased?(e: { channel: ChannelName; conversationId: ConversationId; atMs: number }): void;
  /**
   * A citizen's message whose turn could not use the store (answered without state, or its state
   * not saved) or failed: `reason` is the store's (`down`, `timeout`, `readonly`, `oom`, `moved`…),
   * `lock-timeout`, or `error` for anything else.
   */
  turnFailed?(e: { channel: ChannelName; conversationId: ConversationId; reason: string }): void;
  /**
   * A message answered without its conversation's state (nothing kept, the citizen told so):
   * the store failed (`store`) or the conversation's lock could not be had in time (`lock`).
   */
  stateless?(channel: ChannelName, reason: 'store' | 'lock'): void;
  /** A turn's replies went out but its state could not be saved afterwards. */
  unsaved?(channel: ChannelName): void;
  /** A turn ran: what the bot did, the guide the conversation is on after it, and its language. */
  turn?(e: { channel: ChannelName; conversationId: ConversationId; outcome: TurnOutcome; guideId?: string; lang: Lang; mode?: ConversationMode; atMs: number }): void;
}


/** The hook names of {@link EngineObserver}, in one list so none is forgotten when combining. */
const HOOKS = [
  'inbound',
  'duplicate',
  'decision',
  'feedback',
  'handoff',
  'rating',
  'sent',
  'sendError',
  'replyLatency',
  'rateLimited',
  'erased',
  'turn',
  'stateless',
  'unsaved',
  'turnFailed',
] as const satisfies readonly (keyof EngineObserver)[];

// Fails to compile when EngineObserver gains a hook that HOOKS does not list.
type MissingHooks = Exclude<keyof EngineObserver, (typeof HOOKS)[number]>;
const ALL_HOOKS_LISTED: [MissingHooks] extends [never] ? true : MissingHooks = true;
void ALL_HOOKS_LISTED;

type Hook = (...args: unknown[]) => void;

/**
 * One observer that calls every given observer's hook, in the order given. `undefined`
 * entries are skipped. A hook that throws is isolated: the others still run, and the error
 * goes to `onError` (default: ignored), so a broken metric never breaks a citizen's reply.
 */
export function combineObservers(
  observers: readonly (EngineObserver | undefined)[],
  onError: (err: unknown, hook: keyof EngineObserver) => void = () => undefined,
): EngineObserver {
  const present = observers.filter((o): o is EngineObserver => o !== undefined);
  const combined: Record<string, Hook> = {};
  for (const hook of HOOKS) {
    const fns = present
      .map((o) => (o[hook] as Hook | undefined)?.bind(o))
      .filter((f): f is Hook => f !== undefined);
    if (fns.length === 0) continue;
    combined[hook] = (...args: unknown[]) => {
      for (const fn of fns) {
        try {
          fn(...args);
        } catch (err) {
          onError(err, hook);
        }
      }
    };
  }
  return combined as EngineObserver;
}
