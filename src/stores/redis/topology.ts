/**
 * Builds the shared Redis client for each way of reaching Redis (see redis-config.ts), through
 * ioredis' own support: one server by URL, the primary a Redis Sentinel names (it follows a
 * failover by itself), or a Redis Cluster (it follows MOVED/ASK and slot changes). All are
 * tuned alike: no offline queue, short timeouts, auto-pipelining, reconnection for ever.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { StoreUnavailableError } from '../../core/errors.ts';
import { silentLogger } from '../../core/ports.ts';
import { describeRedisTopology, type RedisTopology } from '../../redis-config.ts';
import { attachConnectionLogging, baseRedisOptions, createRedisClient, redactRedisUrl, type RedisClientOptions } from './client.ts';
import type { RedisClient } from './redis-client-type.ts';

/** Longest pause between two attempts to reach the sentinels or the cluster, ms. */
const MAX_RETRY_DELAY_MS = 2_000;

/**
 * A replica answers writes with READONLY: the primary we were connected to was demoted (a
 * failover). Reconnect, which asks the sentinels for the new primary; the failed command is not
 * sent again (the turn that got READONLY has answered as in an outage already).
 */
function reconnectOnReadonly(err: Error): 1 | false {
  return err.message.startsWith('READONLY') ? 1 : false;
}

/** A client for the primary that the sentinels name; it follows a failover without a restart. */
function sentinelClient(t: Extract<RedisTopology, { kind: 'sentinel' }>, options: RedisClientOptions): Redis {
  return new Redis({
    ...baseRedisOptions(options),
    sentinels: t.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: t.name,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.sentinelPassword ? { sentinelPassword: t.sentinelPassword } : {}),
    sentinelRetryStrategy: (times: number) => Math.min(100 * times, MAX_RETRY_DELAY_MS),
    sentinelCommandTimeout: options.commandTimeoutMs ?? 2_000,
    // Hear "+switch-master" from the sentinels and move at once, not at the next failed command.
    failoverDetector: true,
    reconnectOnError: reconnectOnReadonly,
  });
}

/** A cluster client: keys are routed by hash slot, redirections followed, reads from primaries only. */
function clusterClient(t: Extract<RedisTopology, { kind: 'cluster' }>, options: RedisClientOptions): Cluster {
  const { keyPrefix, retryStrategy: _perNode, enableOfflineQueue: _queue, ...perNode } = baseRedisOptions(options);
  const clusterOptions: ClusterOptions = {
    keyPrefix,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    scaleReads: 'master',
    slotsRefreshTimeout: 2_000,
    clusterRetryStrategy: (times: number) => Math.min(100 * times, options.maxReconnectDelayMs ?? MAX_RETRY_DELAY_MS),
    redisOptions: {
      ...perNode,
      ...(t.username ? { username: t.username } : {}),
      ...(t.password ? { password: t.password } : {}),
      reconnectOnError: reconnectOnReadonly,
    },
  };
  return new Cluster(t.nodes.map((n) => ({ host: n.host, port: n.port })), clusterOptions);
}

/**
 * Creates the shared client for `topology`, connecting at once and reconnecting for ever; wait
 * for it with `waitForRedisReady`. Connection changes are logged once each (never a password).
 */
export function createTopologyClient(topology: RedisTopology, options: RedisClientOptions = {}): RedisClient {
  if (topology.kind === 'standalone') return createRedisClient(topology.url, options);
  const logger = (options.logger ?? silentLogger).child({ component: 'redis' });
  const client = topology.kind === 'sentinel' ? sentinelClient(topology, options) : clusterClient(topology, options);
  attachConnectionLogging(client, logger, describeRedisTopology(topology, redactRedisUrl));
  return client;
}

/** A second connection like `client` (for pub/sub, which takes a connection of its own), named `connectionName`. */
export function duplicateClient(client: RedisClient, connectionName: string): RedisClient {
  if (client instanceof Cluster) {
    return client.duplicate(undefined, { redisOptions: { ...client.options.redisOptions, connectionName } });
  }
  // We subscribe again on every `ready` ourselves, so ioredis need not.
  return client.duplicate({ autoResubscribe: false, connectionName });
}

/**
 * Refuses a server that is no data node: a URL pointing at a Redis Sentinel would take every
 * command as an unknown one. Resolves when `client` talks to a Redis server (any role).
 */
export async function assertDataNode(client: RedisClient, target: string): Promise<void> {
  if (client instanceof Cluster) return;
  const role = (await client.call('ROLE').catch(() => null)) as unknown[] | null;
  if (Array.isArray(role) && role[0] === 'sentinel') {
    throw new StoreUnavailableError(
      `${target} is a Redis Sentinel, not a Redis server: set REDIS_SENTINELS=<host:port of the sentinels> and REDIS_SENTINEL_NAME=<the primary's name> instead of REDIS_URL`,
    );
  }
}

/**
 * Where to PUBLISH so that subscribers hear one publisher's messages in order. A cluster
 * client sends a keyless command to any node, and two nodes relay to the subscriber's node
 * independently; so on a cluster every instance publishes through the same primary (the first
 * by address), and Redis keeps the order of one connection's messages.
 */
export function publisherOf(client: RedisClient): RedisClient {
  if (!(client instanceof Cluster)) return client;
  const masters = client.nodes('master');
  const key = (n: Redis): string => `${n.options.host ?? ''}:${n.options.port ?? 0}`;
  return masters.sort((a, b) => key(a).localeCompare(key(b)))[0] ?? client;
}
