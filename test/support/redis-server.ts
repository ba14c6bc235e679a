/**
 * A real `redis-server` for tests. As vitest globalSetup it starts one server for the whole
 * run (unless REDIS_URL is set) and provides its URL: `inject('redisUrl')`.
 * {@link startRedisServer} starts a private one a test may stop and restart (fault tests).
 *
 * Needs `redis-server` on PATH (Debian: `apt-get install -y redis-server`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test Redis (`redis://127.0.0.1:<port>`), from REDIS_URL or a spawned server. */
    redisUrl: string;
  }
}

/** A running private redis-server. */
export interface RedisServerHandle {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, SIGKILL after 3 s) and removes its data directory. */
  stop(): Promise<void>;
  /** Stops the server (SIGTERM) but keeps its data directory, for {@link RedisServerHandle.restart}. */
  halt(): Promise<void>;
  /**
   * Starts it again on the same port and waits until it answers PING: empty, unless started
   * `persistent` and halted (then with what its append-only file kept, expiries included).
   */
  restart(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;

/** A port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves true when a raw `PING` on `port` gets `+PONG`. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

export async function waitForPing(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server on port ${port} exited (${child.exitCode ?? child.signalCode})`);
    }
    if (await pingOnce(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms`);
}

function spawnServer(port: number, dir: string, persistent: boolean): ChildProcess {
  // Persistent: every write in the append-only file before it is answered (as production's AOF, minus the 1 s window).
  const aof = persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...aof];
  const child = spawn('redis-server', [...args, '--dir', dir, '--daemonize', 'no'], { stdio: 'ignore' });
  child.on('error', () => {
    /* reported by waitForPing (ENOENT: redis-server not installed) */
  });
  return child;
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Spawns `redis-server` on a free loopback port, without persistence unless `persistent`
 * (append-only file), and waits until it answers PING. Throws when the binary is missing or
 * the server does not come up.
 */
export async function startRedisServer(options: { persistent?: boolean } = {}): Promise<RedisServerHandle> {
  const persistent = options.persistent ?? false;
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let child = spawnServer(port, dir, persistent);
    try {
      await waitForPing(port, child);
    } catch (err) {
      lastError = err;
      await stopChild(child);
      continue;
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
      async halt() {
        await stopChild(child);
      },
      async restart() {
        await stopChild(child);
        await mkdir(dir, { recursive: true });
        child = spawnServer(port, dir, persistent);
        await waitForPing(port, child);
      },
    };
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(
    `could not start redis-server (install it: apt-get install -y redis-server, or set REDIS_URL): ${String(lastError)}`,
  );
}

let shared: RedisServerHandle | undefined;

/** vitest globalSetup: provides `redisUrl` (REDIS_URL, or a freshly spawned server). */
export async function setup(project: TestProject): Promise<void> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    project.provide('redisUrl', fromEnv);
    return;
  }
  shared = await startRedisServer();
  project.provide('redisUrl', shared.url);
}

/** vitest globalSetup teardown: stops the spawned server. */
export async function teardown(): Promise<void> {
  await shared?.stop();
  shared = undefined;
}
