/**
 * Shared start-up of the commands that work on the app's own Redis (`staff`, `report`): connect
 * with the app's key prefix, wait until Redis answers, run, always disconnect; and run a
 * command's `main` only when its file is the one started (tests import the same file).
 */
import { pathToFileURL } from 'node:url';
import type { RedisTopology } from '../redis-config.ts';
import { closeRedisClient, waitForRedisReady } from '../stores/redis/client.ts';
import type { RedisClient } from '../stores/redis/redis-client-type.ts';
import { createTopologyClient } from '../stores/redis/topology.ts';

/** How long a command waits for Redis before it gives up. */
const READY_TIMEOUT_MS = 5_000;

/** Runs `fn` with a ready Redis client named `connectionName`; the client is closed afterwards. */
export async function withAppRedis<T>(
  target: { readonly topology: RedisTopology; readonly keyPrefix: string; readonly connectionName: string },
  fn: (redis: RedisClient) => Promise<T>,
): Promise<T> {
  const redis = createTopologyClient(target.topology, { keyPrefix: target.keyPrefix, connectionName: target.connectionName });
  try {
    await waitForRedisReady(redis, READY_TIMEOUT_MS);
    return await fn(redis);
  } finally {
    await closeRedisClient(redis);
  }
}

/** Runs `main` and exits with its code when `moduleUrl` is the started script; prints a failure in one line. */
export function runIfMain(moduleUrl: string, main: () => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`✖ ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
