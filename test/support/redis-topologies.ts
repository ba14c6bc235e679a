/**
 * Real Redis topologies for tests, all started by the test itself: a primary with a replica and
 * a Redis Sentinel watching them, and a 3-master Redis Cluster. Each process listens on a free
 * loopback port and keeps its files in a temporary directory removed on stop.
 *
 * Needs `redis-server` and `redis-cli` on PATH (Debian: `apt-get install -y redis-server`, which
 * also ships the sentinel: `redis-server <file> --sentinel`).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, stopChild, waitForPing } from './redis-server.ts';

const run = promisify(execFile);

/** One spawned Redis process (server or sentinel). */
export interface RedisProcess {
  readonly port: number;
  /** SIGKILL: the process dies at once, as a crashed host would. */
  kill(): Promise<void>;
  /** SIGTERM (SIGKILL after 3 s). */
  stop(): Promise<void>;
}

async function spawnRedis(args: readonly string[], dir: string, port: number): Promise<RedisProcess> {
  const child: ChildProcess = spawn('redis-server', [...args], { cwd: dir, stdio: 'ignore' });
  child.on('error', () => undefined);
  await waitForPing(port, child);
  return {
    port,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    },
    stop: () => stopChild(child),
  };
}

/** A plain redis-server on a free port (no persistence); `extra` is appended to its command line. */
async function startServer(dir: string, extra: readonly string[] = []): Promise<RedisProcess> {
  const port = await freePort();
  return spawnRedis(['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], dir, port);
}

/** A primary, a replica of it and one sentinel watching both (quorum 1, 1 s to declare the primary down). */
export interface SentinelSet {
  /** The name the sentinel knows the primary by. */
  readonly name: string;
  readonly primary: RedisProcess;
  readonly replica: RedisProcess;
  readonly sentinel: RedisProcess;
  /** `127.0.0.1:<port>` of the sentinel, as REDIS_SENTINELS takes it. */
  readonly sentinels: string;
  /** The port the sentinel names as the primary now. */
  primaryPort(): Promise<number>;
  /** Asks the sentinel to fail over now (the old primary stays up, as a replica). */
  failover(): Promise<void>;
  /** Stops every process and removes the files. */
  stop(): Promise<void>;
}

/** A client on one port, for inspecting and steering a test's servers. */
export function adminClient(port: number): Redis {
  return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, connectionName: 'test-admin', enableReadyCheck: false });
}

/** Waits until the replica on `replica` has synced with its primary (master_link_status:up). */
async function waitForSync(replica: number, timeoutMs = 10_000): Promise<void> {
  const client = adminClient(replica);
  try {
    const deadline = Date.now() + timeoutMs;
    while (!/master_link_status:up/.test(await client.info('replication'))) {
      if (Date.now() > deadline) throw new Error(`replica on ${replica} did not sync`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    client.disconnect();
  }
}

/** Starts a primary, a replica and a sentinel (`name` defaults to `mymaster`). */
export async function startSentinelSet(name = 'mymaster'): Promise<SentinelSet> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
  const primary = await startServer(dir, ['--dbfilename', 'primary.rdb']);
  const replica = await startServer(dir, ['--dbfilename', 'replica.rdb', '--replicaof', '127.0.0.1', String(primary.port)]);
  await waitForSync(replica.port);
  const sentinelPort = await freePort();
  const conf = join(dir, 'sentinel.conf');
  await writeFile(
    conf,
    [
      `port ${sentinelPort}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${primary.port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const sentinel = await spawnRedis([conf, '--sentinel'], dir, sentinelPort);
  const ask = adminClient(sentinelPort);
  const primaryPort = async (): Promise<number> => Number(((await ask.call('SENTINEL', 'get-master-addr-by-name', name)) as string[])[1]);
  // The sentinel must have found the replica before it can fail over to it.
  const deadline = Date.now() + 15_000;
  while (((await ask.call('SENTINEL', 'replicas', name)) as unknown[]).length === 0) {
    if (Date.now() > deadline) throw new Error('sentinel did not discover the replica');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    primary,
    replica,
    sentinel,
    sentinels: `127.0.0.1:${sentinelPort}`,
    primaryPort,
    async failover() {
      await ask.call('SENTINEL', 'FAILOVER', name);
    },
    async stop() {
      ask.disconnect();
      await Promise.all([sentinel.stop(), replica.stop(), primary.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis Cluster of three primaries (no replicas), every slot covered. */
export interface ClusterSet {
  readonly nodes: readonly RedisProcess[];
  /** `127.0.0.1:<port>,…` as REDIS_CLUSTER_NODES takes it. */
  readonly nodeList: string;
  stop(): Promise<void>;
}

/** Waits until every node says `cluster_state:ok`. */
async function waitForClusterOk(ports: readonly number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const port of ports) {
    const client = adminClient(port);
    try {
      while (!/cluster_state:ok/.test(String(await client.cluster('INFO')))) {
        if (Date.now() > deadline) throw new Error(`cluster node ${port} not ok in time`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      client.disconnect();
    }
  }
}

/** Starts three cluster-enabled servers and joins them with `redis-cli --cluster create`. */
export async function startCluster(): Promise<ClusterSet> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const nodes: RedisProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const busPort = await freePort();
    nodes.push(
      await startServer(dir, [
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${i}.conf`,
        '--cluster-port', String(busPort),
        '--cluster-node-timeout', '2000',
        '--dbfilename', `node-${i}.rdb`,
      ]),
    );
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
  await waitForClusterOk(nodes.map((n) => n.port));
  return {
    nodes,
    nodeList: addresses.join(','),
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
