// Conversation scenarios (test/scenarios/*.yaml) against the memory store and a real Redis.
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, inject, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { realSnapshot } from '../support/test-content.ts';
import { loadScenarios, runScenario } from './scenario-runner.ts';

const scenarios = loadScenarios(join(import.meta.dirname, '..', 'scenarios'));
const open: Stores[] = [];
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

for (const kind of ['memory', 'redis'] as const) {
  describe(`scenarios (${kind} store)`, () => {
    for (const { file, scenario } of scenarios) {
      it(`${file}: ${scenario.name}`, async () => {
        const stores = await createStores({
          redisUrl: kind === 'redis' ? inject('redisUrl') : undefined,
          keyPrefix: `t:${randomUUID()}:`,
          conversationTtlMs: 86_400_000,
          transcriptMax: 50,
          logger: silentLogger,
        });
        open.push(stores);
        await runScenario(scenario, await realSnapshot(), stores, randomUUID());
      });
    }
  });
}
