/**
 * One path for every Bot Platform update, whether it came by webhook or by polling: parse it,
 * and hand the message to the engine in the background (after an optional "typing…" hint),
 * logging — never throwing — what goes wrong there.
 */
import type { Clock, InboundHandler, Logger } from '../../core/ports.ts';
import type { InboundMessage } from '../../core/types.ts';
import { parseZaloBotUpdate, type ZaloBotParseResult } from './parse.ts';

/** What dispatching needs. */
export interface ZaloBotDispatchDeps {
  readonly inbound: InboundHandler;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Shown before the engine runs, for text-like messages; must not throw. Optional. */
  readonly typing?: (chatId: string) => Promise<void>;
}

/**
 * Parses one update and starts handling it. `accepted` settles once the message is safe (in the
 * durable inbound log, with Redis; at once otherwise): the webhook answers after it. `done`
 * settles when the engine is through, where this process runs the turn itself (no log);
 * with the log it settles with `accepted`. Neither rejects.
 */
export type ZaloBotDispatcher = (body: unknown) => { readonly result: ZaloBotParseResult; readonly done: Promise<void>; readonly accepted: Promise<void> };

/**
 * Creates the dispatcher. Messages of one chat reach the engine in arrival order even though
 * each waits for its own typing hint first (a per-chat gate chains them).
 */
export function createZaloBotDispatcher(deps: ZaloBotDispatchDeps): ZaloBotDispatcher {
  const gates = new Map<string, Promise<void>>();

  const start = (message: InboundMessage): { done: Promise<void>; accepted: Promise<void> } => {
    const previous = gates.get(message.chatId) ?? Promise.resolve();
    const wantsTyping = deps.typing !== undefined && (message.kind === 'text' || message.kind === 'unsupported');
    const gate = previous.then(() => (wantsTyping ? deps.typing!(message.chatId).catch(() => undefined) : undefined));
    gates.set(message.chatId, gate);
    void gate.then(() => {
      if (gates.get(message.chatId) === gate) gates.delete(message.chatId);
    });
    const failed = (err: unknown): void => deps.logger.error({ err, messageId: message.id }, 'zalo-bot message handling failed');
    if (deps.inbound.accept) {
      // Logged at once; this instance starts the turn after the typing hint.
      const accepted = deps.inbound.accept(message, { startAfter: gate }).catch(failed);
      return { done: accepted, accepted };
    }
    return { done: gate.then(() => deps.inbound.handleInbound(message)).catch(failed), accepted: Promise.resolve() };
  };

  return (body) => {
    const result = parseZaloBotUpdate(body, deps.clock.nowMs());
    if (result.status !== 'message') {
      deps.logger.debug({ status: result.status, reason: result.reason }, 'zalo-bot update not handled');
      return { result, done: Promise.resolve(), accepted: Promise.resolve() };
    }
    return { result, ...start(result.message) };
  };
}
