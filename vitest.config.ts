import { defineConfig } from 'vitest/config';
import { scaled } from './test/support/time-scale.ts';

/**
 * Slow tests: a real Chromium, several app processes, a spawned command, or many password checks.
 * `npm test` runs them all; `npm run test:fast` runs the rest (the "fast" project). The fast files
 * share their modules (`isolate: false`): each file builds its own servers and stores, and the
 * shared module cache saves re-importing the app for every file.
 */
export const SLOW_TESTS = [
  'test/**/*.browser.test.ts',
  'test/console/browser.test.ts',
  'test/console/two-clerk-day.test.ts',
  'test/console/phone.test.ts',
  'test/console/history-scale.test.ts',
  'test/editors/editors-page.test.ts',
  'test/e2e/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/console/staff-cli.test.ts',
  'test/console/two-instances.test.ts',
  'test/editors/report-cli.test.ts',
  'test/content/content-check.test.ts',
  'test/production/dockerfile.test.ts',
  'test/production/graceful-shutdown.test.ts',
  'test/production/two-instances*.test.ts',
  'test/production/fuzz.test.ts',
  // many password checks (scrypt, 32 MiB and ~0.2 s of CPU each)
  'test/console/staff-security.test.ts',
  'test/production/trust-proxy.test.ts',
  'test/production/redis-*.test.ts',
  'test/stores/redis-cluster.test.ts',
  'test/production/three-instances*.test.ts',
  'test/production/sigkill*.test.ts',
  'test/production/bot-api-outage.test.ts',
];

const shared = {
  globalSetup: ['test/support/redis-server.ts'],
  // Generous, and more so on a busy machine: a test waits only as long as it needs to.
  testTimeout: scaled(30_000),
  hookTimeout: scaled(60_000),
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'fast', include: ['test/**/*.test.ts'], exclude: SLOW_TESTS, isolate: false } },
      { test: { ...shared, name: 'slow', include: SLOW_TESTS, isolate: false } },
    ],
  },
});
