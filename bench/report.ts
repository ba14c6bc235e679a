/** The load benchmark's output: numbers formatted and one line per measurement. */
import type { HttpStats } from './drivers.ts';
import type { PhaseResult } from './measure.ts';

/** `n` with `digits` decimals, or a dash when it is not a finite number. */
export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** Prints one line of the report. */
export const out = (line: string) => process.stdout.write(`${line}\n`);

/** The HTTP side of a phase: rate of 2xx answers, latency, failures. */
export const httpLine = (h: HttpStats) => `${fmt(h.perSecond, 0)} req/s answered 2xx (${h.ok}/${h.sent}), p50 ${fmt(h.p50)} ms, p99 ${fmt(h.p99)} ms, non-2xx ${h.non2xx}, errors ${h.errors}`;

/** The end-to-end side of a phase: answered messages and reply latency. */
export const e2eLine = (p: PhaseResult) =>
  `${p.e2e.answered}/${p.e2e.accepted} accepted messages answered (${p.e2e.sendMessageCalls} sendMessage calls), p50 ${fmt(p.e2e.p50)} ms, p99 ${fmt(p.e2e.p99)} ms`;

/** The app's CPU and event loop time per message of a phase. */
export const cpuLine = (p: PhaseResult) =>
  `${fmt(p.e2e.cpuMsPerMessage, 2)} ms CPU per message handled (all threads); event loop busy ${fmt(p.e2e.loopMsPerMessage, 2)} ms per message, ${fmt(100 * p.e2e.loopBusy, 0)} % of the phase`;
