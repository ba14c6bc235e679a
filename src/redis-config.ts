/**
 * Where Redis is, as configured: one server (`REDIS_URL`), a primary found through Redis Sentinel
 * (`REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). Parsed
 * from the environment by config.ts (the only reader of it); no client is built here.
 */

/** A `host:port` pair. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** How the app reaches Redis. Passwords are kept here and never logged (see {@link describeRedisTopology}). */
export type RedisTopology =
  | { readonly kind: 'standalone'; readonly url: string }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      /** The primary's name in the sentinels' configuration (`sentinel monitor <name> …`). */
      readonly name: string;
      readonly sentinelPassword?: string;
      readonly username?: string;
      readonly password?: string;
      readonly db: number;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[]; readonly username?: string; readonly password?: string };

/** The environment variables the topology is read from (already trimmed; empty = unset). */
export interface RedisEnv {
  readonly REDIS_URL?: string;
  readonly REDIS_SENTINELS?: string;
  readonly REDIS_SENTINEL_NAME?: string;
  readonly REDIS_SENTINEL_PASSWORD?: string;
  readonly REDIS_CLUSTER_NODES?: string;
  readonly REDIS_USERNAME?: string;
  readonly REDIS_PASSWORD?: string;
  readonly REDIS_DB?: number;
}

/** Parses `host:port,host:port` (IPv6 as `[::1]:26379`); a missing port gets `defaultPort`. */
export function parseHostPorts(list: string, defaultPort: number): { value: HostPort[] } | { problem: string } {
  const value: HostPort[] = [];
  for (const raw of list.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+))(?::(\d{1,5}))?$/.exec(raw);
    const port = m?.[3] === undefined ? defaultPort : Number(m[3]);
    if (!m || port < 1 || port > 65_535) return { problem: `not host:port: ${JSON.stringify(raw)}` };
    value.push({ host: m[1] ?? m[2] ?? '', port });
  }
  return value.length > 0 ? { value } : { problem: 'no host:port given' };
}

/**
 * The topology the environment asks for, undefined when none (in-memory stores), or the problem
 * lines (each naming its variable) when the settings cannot work together.
 */
export function redisTopologyOf(e: RedisEnv): { value: RedisTopology | undefined } | { problems: string[] } {
  const given = [e.REDIS_URL && 'REDIS_URL', e.REDIS_SENTINELS && 'REDIS_SENTINELS', e.REDIS_CLUSTER_NODES && 'REDIS_CLUSTER_NODES'].filter(Boolean);
  if (given.length > 1) return { problems: [`  ${given.join(', ')}: set only one of them (one server, Sentinel, or Cluster)`] };
  const credentials = { ...(e.REDIS_USERNAME ? { username: e.REDIS_USERNAME } : {}), ...(e.REDIS_PASSWORD ? { password: e.REDIS_PASSWORD } : {}) };
  if (e.REDIS_SENTINELS) {
    const parsed = parseHostPorts(e.REDIS_SENTINELS, 26_379);
    if ('problem' in parsed) return { problems: [`  REDIS_SENTINELS: ${parsed.problem} (e.g. sentinel-1:26379,sentinel-2:26379)`] };
    const name = e.REDIS_SENTINEL_NAME ?? 'mymaster';
    return {
      value: { kind: 'sentinel', sentinels: parsed.value, name, db: e.REDIS_DB ?? 0, ...credentials, ...(e.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: e.REDIS_SENTINEL_PASSWORD } : {}) },
    };
  }
  if (e.REDIS_CLUSTER_NODES) {
    const parsed = parseHostPorts(e.REDIS_CLUSTER_NODES, 6_379);
    if ('problem' in parsed) return { problems: [`  REDIS_CLUSTER_NODES: ${parsed.problem} (e.g. redis-1:6379,redis-2:6379,redis-3:6379)`] };
    if (e.REDIS_DB) return { problems: ['  REDIS_DB: a Redis Cluster has only database 0'] };
    return { value: { kind: 'cluster', nodes: parsed.value, ...credentials } };
  }
  const extra = ['REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD'].filter((k) => e[k as keyof RedisEnv] !== undefined);
  if (extra.length > 0) return { problems: [`  ${extra.join(', ')}: only used with REDIS_SENTINELS`] };
  if (!e.REDIS_URL) return { value: undefined };
  if (/[?&](name|sentinels?)=/i.test(e.REDIS_URL)) {
    return { problems: ['  REDIS_URL: looks like a Sentinel address; set REDIS_SENTINELS=host:26379 and REDIS_SENTINEL_NAME=<primary name> instead'] };
  }
  return { value: { kind: 'standalone', url: e.REDIS_URL } };
}

/** The topology in words for logs and messages: hosts and names, never a password. */
export function describeRedisTopology(t: RedisTopology, redactUrl: (url: string) => string): string {
  const list = (nodes: readonly HostPort[]): string => nodes.map((n) => (n.host.includes(':') ? `[${n.host}]:${n.port}` : `${n.host}:${n.port}`)).join(',');
  switch (t.kind) {
    case 'standalone':
      return redactUrl(t.url);
    case 'sentinel':
      return `sentinel ${list(t.sentinels)} primary "${t.name}"`;
    case 'cluster':
      return `cluster ${list(t.nodes)}`;
  }
}
