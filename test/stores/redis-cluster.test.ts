/**
 * Every store contract against a real 3-master Redis Cluster started by this file, through the
 * app's own cluster client: each multi-key command and Lua script must stay on one hash slot
 * (the key layout's `{…}` tags), pipelines included. A key layout that spreads one call's keys
 * over slots fails here with CROSSSLOT.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { redisTopologyOf, type RedisTopology } from '../../src/redis-config.ts';
import { closeRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import type { RedisClient } from '../../src/stores/redis/redis-client-type.ts';
import { RedisAnalyticsStore } from '../../src/stores/redis/redis-analytics-store.ts';
import { RedisAuditLog } from '../../src/stores/redis/redis-audit-log.ts';
import { RedisConversationHistory } from '../../src/stores/redis/redis-conversation-history.ts';
import { RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { RedisEventBus } from '../../src/stores/redis/redis-event-bus.ts';
import { RedisHandoffQueue } from '../../src/stores/redis/redis-handoff-queue.ts';
import { RedisKeyValueStore } from '../../src/stores/redis/redis-key-value-store.ts';
import { RedisRateBudget } from '../../src/stores/redis/redis-rate-budget.ts';
import { RedisReadiness } from '../../src/stores/redis/redis-readiness.ts';
import { RedisStaffDirectory } from '../../src/stores/redis/redis-staff-directory.ts';
import { RedisWebOutbox } from '../../src/stores/redis/redis-web-outbox.ts';
import { createTopologyClient } from '../../src/stores/redis/topology.ts';
import { toStoreError } from '../../src/stores/redis/redis-call.ts';
import { StoreUnavailableError } from '../../src/core/errors.ts';
import { describeAnalyticsStoreContract } from '../contracts/analytics-store.contract.ts';
import { describeAuditLogContract } from '../contracts/audit-log.contract.ts';
import type { Fresh } from '../contracts/contract-support.ts';
import { describeConversationHistoryContract } from '../contracts/conversation-history.contract.ts';
import { describeConversationStoreContract } from '../contracts/conversation-store.contract.ts';
import { describeEventBusContract } from '../contracts/event-bus.contract.ts';
import { describeHandoffQueueContract } from '../contracts/handoff-queue.contract.ts';
import { describeKeyValueStoreContract } from '../contracts/key-value-store.contract.ts';
import { describeRateBudgetContract } from '../contracts/rate-budget.contract.ts';
import { describeStaffDirectoryContract } from '../contracts/staff-directory.contract.ts';
import { describeWebOutboxContract } from '../contracts/web-outbox.contract.ts';
import { adminClient, startCluster } from '../support/redis-topologies.ts';

const cluster = await startCluster();
const parsed = redisTopologyOf({ REDIS_CLUSTER_NODES: cluster.nodeList });
const topology = ('value' in parsed ? parsed.value : undefined) as RedisTopology;
afterAll(async () => {
  await cluster.stop();
});

/** A fresh store on the cluster under its own prefix; `sibling()` opens a second cluster client. */
async function clusterFresh<T extends object>(build: (redis: RedisClient) => T): Promise<Fresh<T>> {
  const keyPrefix = `test:${randomUUID()}:`;
  const clients: RedisClient[] = [];
  const impls: T[] = [];
  const make = async (): Promise<T> => {
    const client = createTopologyClient(topology, { keyPrefix });
    await waitForRedisReady(client, 10_000);
    clients.push(client);
    const impl = build(client);
    impls.push(impl);
    return impl;
  };
  return {
    impl: await make(),
    sibling: make,
    async cleanup() {
      for (const impl of impls) if ('close' in impl && typeof impl.close === 'function') await impl.close();
      await Promise.all(clients.map((c) => closeRedisClient(c)));
    },
  };
}

describeConversationStoreContract('redis cluster', (options) => clusterFresh((redis) => new RedisConversationStore({ redis, ...options })));
describeHandoffQueueContract('redis cluster', () => clusterFresh((redis) => new RedisHandoffQueue({ redis })));
describeEventBusContract('redis cluster', () => clusterFresh((redis) => new RedisEventBus({ redis })));
describeKeyValueStoreContract('redis cluster', () => clusterFresh((redis) => new RedisKeyValueStore({ redis })));
describeWebOutboxContract('redis cluster', (options) => clusterFresh((redis) => new RedisWebOutbox({ redis, ...options })));
describeRateBudgetContract('redis cluster', () => clusterFresh((redis) => new RedisRateBudget({ redis })));
describeStaffDirectoryContract('redis cluster', () => clusterFresh((redis) => new RedisStaffDirectory({ redis })));
describeAuditLogContract('redis cluster', (options) => clusterFresh((redis) => new RedisAuditLog({ redis, ...options })));
describeAnalyticsStoreContract('redis cluster', (setup) => clusterFresh((redis) => new RedisAnalyticsStore({ redis, ...setup })));
describeConversationHistoryContract('redis cluster', (options) => clusterFresh((redis) => new RedisConversationHistory({ redis, ...options })));

describe('Redis Cluster', () => {
  it('is ready through the cluster client: every primary a primary, a write round trip', async () => {
    const client = createTopologyClient(topology, { keyPrefix: `test:${randomUUID()}:` });
    await waitForRedisReady(client, 10_000);
    try {
      expect(await new RedisReadiness(client).check()).toEqual({ ok: true, detail: 'redis cluster (3 primaries)' });
    } finally {
      await closeRedisClient(client);
    }
  });

  it('a plain client on one node of a cluster gets MOVED, which is an outage, not a bug', async () => {
    const plain = adminClient(cluster.nodes[0]!.port);
    try {
      // Of a few keys, some hash to another node's slots; that node answers MOVED.
      const failures = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => plain.set(`moved-${k}`, '1').then(() => null, (err: unknown) => toStoreError('set', err))));
      const moved = failures.filter((e): e is StoreUnavailableError => e instanceof StoreUnavailableError);
      expect(moved.length).toBeGreaterThan(0);
      expect(moved.every((e) => e.reason === 'moved')).toBe(true);
    } finally {
      plain.disconnect();
    }
  });
});
