/**
 * Which Redis error replies mean "Redis cannot serve us right now" rather than "our command is
 * wrong". A replica after a failover answers writes with READONLY, a full Redis under
 * `noeviction` with OOM, a cluster node with MOVED/ASK (outside cluster mode), a sentinel with
 * "unknown command": on the citizen's path each of these is an outage (answer without state,
 * count it), never a bug to crash on.
 */

/** Error-reply prefixes that stand for an outage, and the reason label each is counted under. */
const OUTAGE_REPLIES: readonly (readonly [prefix: string, reason: string])[] = [
  ['READONLY', 'readonly'],
  ['OOM', 'oom'],
  ['MOVED', 'moved'],
  ['ASK', 'moved'],
  ['CLUSTERDOWN', 'clusterdown'],
  ['TRYAGAIN', 'clusterdown'],
  ['MASTERDOWN', 'masterdown'],
  ['NOREPLICAS', 'masterdown'],
  ['LOADING', 'loading'],
  ['BUSY', 'busy'],
  ['MISCONF', 'misconf'],
  ['NOAUTH', 'auth'],
  ['WRONGPASS', 'auth'],
  ['NOPERM', 'auth'],
  ['ERR unknown command', 'unknown-command'],
  ['ERR unknown subcommand', 'unknown-command'],
];

/** Every reason label {@link outageReason} can give, and those of connection failures. */
export const STORE_FAILURE_REASONS = ['readonly', 'oom', 'moved', 'clusterdown', 'masterdown', 'loading', 'busy', 'misconf', 'auth', 'unknown-command', 'down', 'timeout'] as const;

/** True for an error Redis itself answered (WRONGTYPE, NOSCRIPT, READONLY…), as opposed to a failed connection. */
export function isReplyError(err: unknown): boolean {
  return err instanceof Error && err.name === 'ReplyError';
}

/**
 * The outage reason of a Redis error reply (`readonly`, `oom`, `moved`…), or null when the
 * reply says our command is wrong (WRONGTYPE, a Lua error…) or `err` is no reply at all.
 */
export function outageReason(err: unknown): string | null {
  if (!isReplyError(err)) return null;
  const message = (err as Error).message;
  // A reply to a Lua script that failed inside carries Redis' own error after this prefix.
  const reply = message.replace(/^ERR Error running script[^:]*:\s*/, '').replace(/^@user_script:\d+:\s*/, '');
  for (const [prefix, reason] of OUTAGE_REPLIES) if (message.startsWith(prefix) || reply.startsWith(prefix) || reply.startsWith(`-${prefix}`)) return reason;
  return null;
}

/** The reason label of a failure that is no reply: a command timeout, or a connection that is not there. */
export function connectionFailureReason(err: unknown): 'timeout' | 'down' {
  const message = err instanceof Error ? err.message : String(err);
  return /timed? ?out/i.test(message) ? 'timeout' : 'down';
}
