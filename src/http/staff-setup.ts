/**
 * Wires the staff side for the composition root: the hand-off desk, console authentication,
 * the live-event hub, the API and the console page, and (development only) a seeded account.
 */
import type { Config } from '../config.ts';
import type { ContentSnapshot } from '../core/content.ts';
import { CaseDesk } from '../core/handoff/case-desk.ts';
import type { ConversationDriver } from '../core/handoff/desk.ts';
import { StaffReads } from '../core/handoff/staff-reads.ts';
import type { SecurityMetrics } from '../metrics/security-metrics.ts';
import type { Clock, Logger } from '../core/ports.ts';
import type { Stores } from '../stores/index.ts';
import type { PluginRegistration } from './app.ts';
import { consoleRoutes } from './console-routes.ts';
import { putStaffAccount } from './staff-accounts.ts';
import { StaffAuth } from './staff-auth.ts';
import { LiveHub } from './staff-events.ts';
import { staffRoutes, type StaffRoutesOptions } from './staff-routes.ts';
import { staffCaseRoutes, type StaffCaseRoutesOptions } from './staff-case-routes.ts';

/** What {@link setupStaff} needs. */
export interface StaffSetupDeps {
  readonly config: Readonly<Config>;
  readonly stores: Stores;
  /** The engine (sends to citizens, records transcripts, locks conversations). */
  readonly driver: ConversationDriver;
  readonly snapshot: () => ContentSnapshot;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Counts login outcomes. */
  readonly security?: SecurityMetrics;
}

/** The staff side, ready to register. */
export interface StaffSetup {
  /** The desk with notes, transfers, labels, reopening and the history (a HandoffDesk). */
  readonly desk: CaseDesk;
  readonly auth: StaffAuth;
  readonly plugins: readonly PluginRegistration[];
}

/**
 * Builds the desk, auth and plugins. With in-memory stores (no REDIS_URL) and outside
 * production, STAFF_DEV_USER / STAFF_DEV_PASSWORD create an editor account at start, so the
 * console can be tried locally; with Redis they are ignored (use `npm run staff -- add`).
 */
export async function setupStaff(deps: StaffSetupDeps): Promise<StaffSetup> {
  const { config, stores, clock } = deps;
  const logger = deps.logger.child({ part: 'staff' });
  const desk = new CaseDesk({
    driver: deps.driver,
    queue: stores.handoffs,
    store: stores.conversations,
    events: stores.events,
    audit: stores.audit,
    clock,
    snapshot: deps.snapshot,
    logger,
    history: stores.history,
    directory: stores.staff,
  });
  const auth = new StaffAuth({
    directory: stores.staff,
    audit: stores.audit,
    clock,
    logger,
    sessionTtlMs: config.STAFF_SESSION_HOURS * 3_600_000,
    cookieSecure: config.cookieSecure,
    kv: stores.kv,
    maxChecks: config.STAFF_LOGIN_MAX_CHECKS,
    ...(deps.security ? { loginCounted: (outcome) => deps.security!.login(outcome) } : {}),
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  });
  // Each queue event reaches the consoles with the ticket's new state and the totals (one read per instance).
  const hub = new LiveHub(stores.events, logger, undefined, () => clock.nowMs(), (e) => desk.queueDelta(e.conversationId));
  const reads = new StaffReads({ desk, audit: stores.audit, clock, logger });
  const options: StaffRoutesOptions = { auth, desk, hub, audit: stores.audit, reads, ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}) };
  const caseOptions: StaffCaseRoutesOptions = {
    auth,
    desk,
    waitAmberMs: config.STAFF_WAIT_AMBER_MINUTES * 60_000,
    waitRedMs: config.STAFF_WAIT_RED_MINUTES * 60_000,
    ...(config.PUBLIC_URL ? { publicUrl: config.PUBLIC_URL } : {}),
  };
  await seedDevAccount(deps, logger);
  return {
    desk,
    auth,
    plugins: [
      { plugin: staffRoutes as never, options },
      { plugin: staffCaseRoutes as never, options: caseOptions },
      { plugin: consoleRoutes as never, options: {} },
    ],
  };
}

async function seedDevAccount(deps: StaffSetupDeps, logger: Logger): Promise<void> {
  const { config, stores } = deps;
  const username = config.STAFF_DEV_USER;
  const password = config.STAFF_DEV_PASSWORD;
  if (!username || !password) return;
  if (stores.kind !== 'memory' || config.NODE_ENV === 'production') {
    logger.warn({}, 'STAFF_DEV_USER ignored: only for development without Redis; use "npm run staff -- add <username>"');
    return;
  }
  try {
    const account = await putStaffAccount(stores.staff, { username, password, role: 'editor' }, deps.clock.nowMs());
    logger.warn({ username: account.username }, 'development staff account created (in memory, editor role)');
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'STAFF_DEV_USER / STAFF_DEV_PASSWORD rejected');
  }
}
