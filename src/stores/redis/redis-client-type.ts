/**
 * The one type every Redis store takes: a plain client (one server, or the primary a Sentinel
 * names) or a cluster client. Both speak the same commands; the key layout keeps each multi-key
 * command and Lua script on one hash slot, so either works.
 */
import type { Cluster, Redis } from 'ioredis';

/** A client from `createRedisClient` / `createTopologyClient` (its key prefix applies). */
export type RedisClient = Redis | Cluster;
