/**
 * The pino logger: structured JSON, secrets redacted by key, and personal numbers masked in
 * every string that reaches a log line (messages and fields alike).
 */
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { maskPii } from '../core/privacy.ts';
import type { Logger } from '../core/ports.ts';

/** Keys whose values never reach a log line, wherever they appear. */
const SECRET_KEYS = /token|secret|password|passwd|authorization|cookie|api[_-]?key|signature|refresh/i;

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPii(value.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot[redacted]'));
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: scrub(value.message, depth + 1) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : scrub(v, depth + 1);
  return out;
}

/** Creates the app logger. `destination` defaults to stdout (tests pass a stream to read). */
export function createLogger(level: string, destination?: DestinationStream): PinoLogger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => scrub(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? (scrub(a) as string) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** Pino satisfies the Logger port; this just says so to the type checker. */
export function asPort(logger: PinoLogger): Logger {
  return logger as unknown as Logger;
}
