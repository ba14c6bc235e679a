/**
 * The parent's handle on the benchmark's app process: forks `load.ts --target` with the app's
 * environment, counts the log lines it writes (showing warnings and errors), and asks it for
 * its CPU time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SECRET, TOKEN } from './options.ts';
import type { TargetUrls } from './target.ts';

/** The entry point the child runs (with `--target`). */
const ENTRY = fileURLToPath(new URL('./load.ts', import.meta.url));

/** The app process's CPU time so far (user + system, all its threads), ms, and its event loop's busy and idle time. */
export interface CpuReading {
  readonly cpuMs: number;
  readonly elu: EventLoopUtilization;
}

/** A running app process. */
export interface AppProcess extends TargetUrls {
  /** Log lines the app wrote so far. */
  logLines(): number;
  /** Its CPU time and event loop use so far. */
  cpu(): Promise<CpuReading>;
  /** Asks the app (not the peer) to reload its content; resolves how long the reload took, ms, and the event loop's delay meanwhile (p99, max; ms). */
  reload(): Promise<{ ok: boolean; ms: number; loop: { p99: number; max: number } }>;
  /** The app's /metrics text (not the peer's). */
  metrics(): Promise<string>;
  /** Stops it gracefully and waits for it to exit. */
  stop(): Promise<void>;
}

/** Where the app finds its store and the fake Bot API. */
export interface AppProcessOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly apiRoot: string;
  /** The telegraf peer (bench/peer.ts) instead of the app. */
  readonly peer?: boolean;
  /** CONTENT_DIR (default: the repository's content). */
  readonly contentDir?: string;
  /** More environment for the child. */
  readonly env?: Record<string, string>;
}

/** Starts the app process and waits until both its servers listen. */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const child = forkTarget(options);
  const lines = countLogLines(child);
  child.stderr?.pipe(process.stderr);
  const urls = await new Promise<TargetUrls>((resolve, reject) => {
    child.once('message', (m) => resolve(m as TargetUrls));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
  return {
    ...urls,
    logLines: lines,
    cpu: () => readCpu(child),
    reload: () => ask<{ reloaded: { ok: boolean; ms: number; loop: { p99: number; max: number } } }>(child, 'reload', 'reloaded').then((m) => m.reloaded),
    metrics: () => ask<{ metrics: string }>(child, 'metrics', 'metrics').then((m) => m.metrics),
    async stop() {
      child.send('stop');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/**
 * Forks the child with the production log level and the benchmark's Telegram settings
 * (BENCH_CPU_PROF adds a CPU profile; BENCH_NODE_ARGS more Node options, e.g. `--trace-gc`, whose
 * lines BENCH_APP_STDOUT=<file> keeps).
 */
function forkTarget({ redisUrl, keyPrefix, apiRoot, peer, contentDir, env }: AppProcessOptions): ChildProcess {
  // The app logs at the production default (info) to a pipe: lines are counted, warnings and errors shown.
  return fork(ENTRY, [peer ? '--peer' : '--target'], {
    silent: true,
    execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CONTENT_WATCH: 'false',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_MODE: 'webhook',
      PUBLIC_URL: '',
      ...(contentDir ? { CONTENT_DIR: contentDir } : {}),
      ...env,
    },
  });
}

/** Sends `request` to the child and resolves its first answer that has the field `field`. */
function ask<T>(child: ChildProcess, request: string, field: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !(field in m)) return;
      child.off('message', onMessage);
      resolve(m as T);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

/** Counts the child's stdout lines and copies warnings and errors (pino level ≥ 40) to stderr; returns the count so far. */
function countLogLines(child: ChildProcess): () => number {
  let logLines = 0;
  let partial = '';
  const keep = process.env.BENCH_APP_STDOUT;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    if (keep) appendFileSync(keep, chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logLines += 1;
      if (Number((/"level":(\d+)/.exec(line) ?? [])[1]) >= 40) process.stderr.write(`app: ${line}\n`);
    }
  });
  return () => logLines;
}

/** Asks the child for its CPU usage and event loop utilisation. */
function readCpu(child: ChildProcess): Promise<CpuReading> {
  return new Promise<CpuReading>((resolve) => {
    const onMessage = (m: unknown) => {
      const { cpu, elu } = m as { cpu?: NodeJS.CpuUsage; elu: EventLoopUtilization };
      if (!cpu) return;
      child.off('message', onMessage);
      resolve({ cpuMs: (cpu.user + cpu.system) / 1000, elu });
    };
    child.on('message', onMessage);
    child.send('cpu');
  });
}
