/**
 * Timeouts that scale with the machine. On a busy machine (another test run, a build, a second
 * suite at once) everything takes longer; a fixed timeout then fails a test that is right. The
 * factor is read once from the load at start: 1 on an idle machine, up to 8 when the run queue is
 * many times the number of cores. Waits that end as soon as their condition holds (`eventually`)
 * cost nothing extra when the machine is fast; only a genuine hang waits the whole scaled time.
 */
import { availableParallelism, loadavg } from 'node:os';

/** The factor: 1 on an idle machine, more as the load per core grows (at most 8; TEST_TIME_SCALE overrides). */
export function timeScale(): number {
  const forced = Number(process.env.TEST_TIME_SCALE);
  if (Number.isFinite(forced) && forced > 0) return forced;
  const perCore = loadavg()[0]! / Math.max(1, availableParallelism());
  return Math.min(8, Math.max(1, Math.round(perCore * 1.5 * 10) / 10));
}

const SCALE = timeScale();

/** A timeout for this machine now: `ms` times the factor. */
export function scaled(ms: number): number {
  return Math.round(ms * SCALE);
}
