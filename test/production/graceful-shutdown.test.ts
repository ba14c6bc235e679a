// Graceful shutdown: once stopping, webhooks answer 503 (Telegram retries later, elsewhere),
// every message already accepted is answered (the turn in flight, and the one queued behind it
// on the conversation's lock), then Redis is closed. Checked in process
// (server.stop) and for real: `node --import tsx src/main.ts` receiving SIGTERM.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { FakeTelegramServer, telegramOk } from '../support/fake-telegram.ts';
import { CONTENT_DIR } from '../support/test-content.ts';
import { WebCitizen } from '../support/web-citizen.ts';
import { eventually, startProdServer, TG_SECRET, TG_TOKEN, textUpdate, type ProdServer } from './support.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let s: ProdServer | undefined;
let fake: FakeTelegramServer | undefined;
/** Two questions of one chat, posted back to back: the second waits for the first's lock. */
const QUESTION = 'làm căn cước cho con dưới 14 tuổi';
const QUESTION_2 = 'kich hoat tai khoan dinh danh dien tu muc 2';

afterEach(async () => {
  await s?.close();
  await fake?.close();
  s = undefined;
  fake = undefined;
});

/** Makes every sendMessage take `delayMs` before Telegram answers. */
function slowSends(t: FakeTelegramServer, delayMs: number): void {
  t.replyAlways('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text }, delayMs));
}

async function postHttp(url: string, update: unknown): Promise<number> {
  const res = await fetch(`${url}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
    body: JSON.stringify(update),
  });
  await res.text();
  return res.status;
}

it('stop(): refuses new webhooks, finishes the turn in flight, closes Redis', async () => {
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') }, listen: true });
  slowSends(s.telegram, 400);
  const chat = 6500000001;
  expect(await postHttp(s.url, textUpdate(chat, QUESTION))).toBe(200);
  expect(await postHttp(s.url, textUpdate(chat, QUESTION_2))).toBe(200);
  await eventually(() => expect(s!.repliesTo(chat).length).toBe(1)); // first reply in flight

  const stopping = s.server.stop();
  const late = await s.server.app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: textUpdate(chat, 'còn nữa') });
  expect(late.statusCode).toBe(503);
  expect(late.headers['retry-after']).toBeDefined();
  await stopping;

  // Both accepted messages were answered (each send took 400 ms) before Redis closed; the late one was not.
  const body = (await s.server.metrics.render()).body;
  const out = Number(/^dvcbot_messages_out_total\{channel="telegram"\} (\d+)$/m.exec(body)?.[1]);
  expect(out).toBe(2);
  expect(s.repliesTo(chat)).toHaveLength(2);
  expect(body).toMatch(/^dvcbot_reply_latency_seconds_count\{channel="telegram"\} 2$/m);
  expect(s.server.stores.redis?.status).toBe('end');
  expect(s.repliesTo(chat).some((t) => t.includes('còn nữa'))).toBe(false);
});

it('stop(): a pending web chat long-poll answers at once instead of holding the shutdown', { timeout: 15_000 }, async () => {
  // The long-poll waits 25 s for news; without the wake-up, stop() would wait for it and this
  // test would run into its 15 s limit.
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') }, listen: true });
  const citizen = new WebCitizen();
  const first = await citizen.fetchPost<{ cursor: number }>(s.url, { start: true });
  const polling = citizen.fetchPoll(s.url, first.cursor);
  const noSession = fetch(`${s.url}/api/web/messages?after=0`); // no cookie: an idle wait, woken too
  await eventually(() => expect((s!.server.stores.webOutbox as { waitingCount?: number }).waitingCount).toBe(2));
  const stopping = s.server.stop();
  const [res, idle] = await Promise.all([polling, noSession]);
  await stopping;
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ items: [], cursor: first.cursor });
  expect(await idle.json()).toEqual({ items: [], cursor: 0 });
});

it('SIGTERM to `node --import tsx src/main.ts`: the reply in flight and the message queued behind it are delivered, exit code 0', async () => {
  fake = await FakeTelegramServer.start({ token: TG_TOKEN });
  slowSends(fake, 700);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `sigterm:${Date.now()}:`,
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: 'webhook',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  child.stdout.on('data', (d: Buffer) => lines.push(...d.toString('utf8').split('\n').filter(Boolean)));
  child.stderr.on('data', (d: Buffer) => lines.push(...d.toString('utf8').split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await eventually(() => {
      const line = lines.map((l) => (l.startsWith('{') ? (JSON.parse(l) as { msg?: string; url?: string }) : {})).find((l) => l.msg === 'listening');
      expect(line?.url).toBeDefined();
      return line!.url!;
    }, 20_000);
    const chat = 6500000002;
    expect(await postHttp(url, textUpdate(chat, QUESTION))).toBe(200);
    expect(await postHttp(url, textUpdate(chat, QUESTION_2))).toBe(200);
    await eventually(() => expect(fake!.callsTo('sendMessage').length).toBe(1));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const logs = lines.join('\n');
    expect(logs).toContain('"msg":"shutting down"');
    expect(logs).not.toMatch(/"level":(50|60)/);
    // Both accepted messages were answered (not just the one in flight when the signal came).
    expect(fake.callsTo('sendMessage')).toHaveLength(2);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}, 40_000);
