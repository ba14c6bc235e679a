/**
 * Metrics of the abuse defences, on the app's registry: web chat conversations started and
 * refused by their budgets, and staff logins by outcome. Labels come from fixed sets.
 */
import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics.ts';

/** What a staff login came to. */
export type LoginOutcome = 'ok' | 'invalid' | 'limited' | 'busy';

/** The counters, fed by the web chat sessions and the login route. */
export interface SecurityMetrics {
  /** A new web chat conversation started (`started`), or was refused by the named budget. */
  webChat(outcome: 'started' | 'ip-minute' | 'ip-day' | 'all-minute' | 'all-day'): void;
  /** One staff login attempt's outcome. */
  login(outcome: LoginOutcome): void;
}

/** Registers the counters on `registry` (once per registry). */
export function createSecurityMetrics(registry: Registry): SecurityMetrics {
  const p = METRIC_PREFIX;
  const registers = [registry];
  const started = new Counter({ name: `${p}web_chats_started_total`, help: 'New web chat conversations (server-issued sessions).', registers });
  const refused = new Counter({
    name: `${p}web_chats_refused_total`,
    help: 'New web chat conversations refused with 429, by the budget that was full (ip-minute, ip-day, all-minute, all-day).',
    labelNames: ['budget'],
    registers,
  });
  const logins = new Counter({ name: `${p}staff_logins_total`, help: 'Staff login attempts, by outcome (ok, invalid, limited, busy).', labelNames: ['outcome'], registers });
  return {
    webChat: (outcome) => (outcome === 'started' ? started.inc() : refused.inc({ budget: outcome })),
    login: (outcome) => logins.inc({ outcome }),
  };
}
