/**
 * The real app as its own process (`node --import tsx src/main.ts`, as `npm start` runs it),
 * for tests that need several instances or kill one: Telegram in webhook mode against a fake
 * Bot API, a shared Redis, its JSON log lines collected.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { CONTENT_DIR } from './test-content.ts';
import { NO_LAG_SHEDDING } from './test-server.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Bot token and webhook secret of app processes started here (the fake Bot API must use the token). */
export const APP_TG_TOKEN = '987654321:PROC-test_token_abcdefghijklmnopqrstu';
export const APP_TG_SECRET = 'proc-secret_0123456789';

/** One running app process. */
export interface AppProcess {
  /** Its base URL (loopback, a free port). */
  readonly url: string;
  /** Every line it wrote (stdout and stderr). */
  readonly lines: string[];
  /** Posts a Telegram update to its webhook; resolves the HTTP status (0 when the process is gone). */
  postUpdate(update: unknown): Promise<number>;
  /** Sends `signal` and waits for the exit; resolves the exit code (null after a signal). */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the app with `env` (REDIS_URL, REDIS_KEY_PREFIX…) and waits until it listens. */
export async function startAppProcess(telegramApiRoot: string, env: Record<string, string>): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CONTENT_DIR,
      CONTENT_WATCH: 'false',
      TELEGRAM_BOT_TOKEN: APP_TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: APP_TG_SECRET,
      TELEGRAM_API_ROOT: telegramApiRoot,
      TELEGRAM_MODE: 'webhook',
      RATE_LIMIT_PER_MINUTE: '0',
      // A busy test machine lags; these tests are not about shedding (lag-shedding.test.ts is).
      ...NO_LAG_SHEDDING,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString('utf8').split('\n').filter(Boolean)));
  child.stderr!.on('data', (d: Buffer) => lines.push(...d.toString('utf8').split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await eventually(() => {
    if (child.exitCode !== null) throw new Error(`app exited early: ${lines.slice(-5).join('\n')}`);
    const line = lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; url?: string }) : {})).find((l) => l.msg === 'listening');
    if (!line?.url) throw new Error('not listening yet');
    return line.url;
  }, 30_000);
  return {
    url,
    lines,
    async postUpdate(update) {
      try {
        const res = await fetch(`${url}/webhooks/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': APP_TG_SECRET },
          body: JSON.stringify(update),
        });
        await res.text();
        return res.status;
      } catch {
        return 0;
      }
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
