/**
 * `npm run bench:load` — a benchmark, not a test. Drives the Telegram webhook of the real app
 * (own process: createServer with real Redis and a fake Bot API on loopback) with autocannon,
 * and in the same run a bare Fastify endpoint (same process as the app) that only parses the
 * same JSON. Prints messages/s, p50/p99 latency (HTTP answer and end to end: webhook posted →
 * first reply at the Bot API), the ratio to the bare endpoint, and Redis bytes per idle
 * conversation. Targets on a 2-core machine: ratio ≥ 0.35, p99 ≤ 50 ms at 500 msg/s, ≤ 2 KB.
 *
 * Messages cycle through the 147 real questions of test/fixtures/eval/questions.jsonl, each from
 * a new chat (so every message creates a conversation: the heavier case).
 *
 * Uses REDIS_URL when set (a scratch database: keys go under a fresh prefix), else starts a
 * private redis-server. BENCH_SECONDS (default 10) sets the length of each measured phase;
 * BENCH_SUSTAIN_RATE the rate of the sustained phase (default 60 % of the measured maximum).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { FakeTelegramServer, telegramOk } from '../test/support/fake-telegram.ts';
import { startRedisServer, type RedisServerHandle } from '../test/support/redis-server.ts';

const TOKEN = '123456789:BENCH-token_abcdefghijklmnopqrstuvw';
const SECRET = 'bench-secret_0123456789';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 32;
/** Real citizens' questions (typos, no diacritics, English…), cycled through. */
const QUESTIONS = readFileSync(new URL('../test/fixtures/eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { q: string }).q);

/** Child process: the app and the bare endpoint, side by side on one core's worth of event loop. */
async function target(): Promise<void> {
  const { loadConfig } = await import('../src/config.ts');
  const { createServer } = await import('../src/server.ts');
  const server = await createServer(loadConfig());
  const appUrl = await server.start();
  const bare = Fastify();
  bare.post('/bare', async () => ({ ok: true }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m !== 'stop') return;
    void (async () => {
      await server.stop();
      await bare.close();
      process.exit(0);
    })();
  });
  process.send?.({ appUrl, bareUrl });
}

/** A Telegram text update from a private chat. */
function update(chat: number, updateId: number): string {
  const from = { id: chat, is_bot: false, first_name: 'Lan', language_code: 'vi' };
  const text = QUESTIONS[updateId % QUESTIONS.length] ?? 'đăng ký khai sinh';
  return JSON.stringify({ update_id: updateId, message: { message_id: updateId % 1e6, from, chat: { id: chat, type: 'private', first_name: 'Lan' }, date: Math.floor(Date.now() / 1000), text } });
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main(): Promise<void> {
  let redisHandle: RedisServerHandle | undefined;
  const redisUrl = process.env.REDIS_URL || (redisHandle = await startRedisServer()).url;
  const keyPrefix = `bench:${Date.now()}:`;
  const fake = await FakeTelegramServer.start({ token: TOKEN });
  const firstReplyAt = new Map<number, number>();
  fake.replyAlways('sendMessage', (call) => {
    const chat = Number(call.body.chat_id);
    if (!firstReplyAt.has(chat)) firstReplyAt.set(chat, performance.now());
    return telegramOk({ message_id: 1, date: 0, chat: { id: chat, type: 'private' } });
  });

  const child: ChildProcess = fork(import.meta.filename, ['--target'], {
    execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CONTENT_WATCH: 'false',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: 'webhook',
      PUBLIC_URL: '',
    },
  });
  const { appUrl, bareUrl } = await new Promise<{ appUrl: string; bareUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { appUrl: string; bareUrl: string }));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });

  let nextUpdate = 900_000_000;
  let nextChat = 7_000_000_000;
  const sentAt = new Map<number, number>();
  let webhookMessages = 0;
  /** Runs autocannon against the webhook (tracking each message) or the bare endpoint. */
  const load = (kind: 'webhook' | 'bare', opts: { seconds: number; connections: number; rate?: number }) =>
    autocannon({
      url: kind === 'webhook' ? `${appUrl}/webhooks/telegram` : `${bareUrl}/bare`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      connections: opts.connections,
      duration: opts.seconds,
      ...(opts.rate ? { overallRate: opts.rate } : {}),
      requests: [
        {
          setupRequest: (req) => {
            const chat = nextChat++;
            if (kind === 'webhook') {
              sentAt.set(chat, performance.now());
              webhookMessages += 1;
            }
            return { ...req, body: update(chat, nextUpdate++) };
          },
        },
      ],
    });
  /** Waits until every tracked message got its first reply (or `timeoutMs`); returns end-to-end stats. */
  const drain = async (startedAt: number, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && [...sentAt.keys()].some((c) => !firstReplyAt.has(c))) await new Promise((r) => setTimeout(r, 50));
    const latencies = [...sentAt].filter(([c]) => firstReplyAt.has(c)).map(([c, t]) => firstReplyAt.get(c)! - t).sort((a, b) => a - b);
    const last = Math.max(...[...sentAt.keys()].map((c) => firstReplyAt.get(c) ?? 0));
    const stats = { sent: sentAt.size, answered: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: latencies.length / ((last - startedAt) / 1000) };
    sentAt.clear();
    fake.reset();
    return stats;
  };

  process.stdout.write(`app ${appUrl}, bare ${bareUrl}, redis ${redisHandle ? 'private redis-server' : 'REDIS_URL'}; ${SECONDS} s per phase\n`);
  // Warm-up: JIT, connection pools, Lua scripts loaded.
  await load('webhook', { seconds: 3, connections: 8, rate: 200 });
  await drain(performance.now());
  await load('bare', { seconds: 2, connections: 8 });

  // 1. A steady 500 messages/s.
  let t0 = performance.now();
  const steady = await load('webhook', { seconds: SECONDS, connections: CONNECTIONS, rate: 500 });
  const steadyE2e = await drain(t0);

  // 2. As fast as it goes: webhook, then the bare endpoint under the same load.
  t0 = performance.now();
  const max = await load('webhook', { seconds: SECONDS, connections: CONNECTIONS });
  const maxE2e = await drain(t0);
  const bare = await load('bare', { seconds: SECONDS, connections: CONNECTIONS });

  // 3. At a rate this process sustains (60 % of its maximum): latency without a backlog.
  const sustainRate = Number(process.env.BENCH_SUSTAIN_RATE) || Math.max(10, Math.round((0.6 * maxE2e.perSecond) / 10) * 10);
  t0 = performance.now();
  const sustained = await load('webhook', { seconds: SECONDS, connections: CONNECTIONS, rate: sustainRate });
  const sustainedE2e = await drain(t0);

  // 4. Redis memory per idle conversation: 1,000 new conversations, one question each.
  const redis = new Redis(redisUrl);
  const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  const firstMessages = webhookMessages;
  t0 = performance.now();
  await load('webhook', { seconds: 5, connections: 8, rate: 200 });
  const memE2e = await drain(t0);
  await new Promise((r) => setTimeout(r, 500));
  const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  const conversations = webhookMessages - firstMessages;
  // Every key of the run, by family, per conversation created (each message started one).
  const families = new Map<string, number>();
  let lasting = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.memory('USAGE', k).pttl(k);
    const replies = (await pipe.exec()) ?? [];
    keys.forEach((k, i) => {
      const family = k.slice(keyPrefix.length).replace(/\{[^}]*\}/g, '{…}').replace(/:[^:{}]*\d[^:{}]*$/, ':…');
      const bytes = Number(replies[2 * i]?.[1] ?? 0);
      const ttlMs = Number(replies[2 * i + 1]?.[1] ?? -1);
      families.set(family, (families.get(family) ?? 0) + bytes);
      if (ttlMs < 0 || ttlMs > 27 * 3_600_000) lasting += bytes; // not a de-duplication key (≤ 26 h)
    });
  } while (cursor !== '0');
  const allConversations = webhookMessages;
  const lockLeft = [...families.keys()].filter((f) => f.endsWith(':lock')).length;
  redis.disconnect();

  const webhookMs = (r: autocannon.Result) => `${fmt(r.requests.average, 0)} req/s, p50 ${fmt(r.latency.p50)} ms, p99 ${fmt(r.latency.p99)} ms, non-2xx ${r.non2xx}, errors ${r.errors}`;
  const ratioHttp = max.requests.average / bare.requests.average;
  const ratioE2e = maxE2e.perSecond / bare.requests.average;
  const lines = [
    '',
    `steady 500 msg/s, ${SECONDS} s (${steady.requests.sent} messages)`,
    `  webhook answer:   ${webhookMs(steady)}`,
    `  reply end to end: ${steadyE2e.answered}/${steadyE2e.sent} answered, p50 ${fmt(steadyE2e.p50)} ms, p99 ${fmt(steadyE2e.p99)} ms  [target p99 ≤ 50 ms: ${steadyE2e.p99 <= 50 ? 'met' : 'MISSED'}]`,
    `maximum, ${CONNECTIONS} connections, ${SECONDS} s`,
    `  webhook:          ${webhookMs(max)}`,
    `  messages handled: ${maxE2e.answered}/${maxE2e.sent} at ${fmt(maxE2e.perSecond, 0)} msg/s end to end, reply p50 ${fmt(maxE2e.p50)} ms, p99 ${fmt(maxE2e.p99)} ms`,
    `  bare endpoint:    ${webhookMs(bare)}`,
    `  ratio to bare:    ${fmt(ratioE2e, 2)} (messages handled end to end), ${fmt(ratioHttp, 2)} (webhook answers)  [target ≥ 0.35: ${ratioE2e >= 0.35 ? 'met' : 'MISSED'}]`,
    `sustained ${sustainRate} msg/s (default 60 % of the maximum; BENCH_SUSTAIN_RATE), ${SECONDS} s`,
    `  webhook answer:   ${webhookMs(sustained)}`,
    `  reply end to end: ${sustainedE2e.answered}/${sustainedE2e.sent} answered, p50 ${fmt(sustainedE2e.p50)} ms, p99 ${fmt(sustainedE2e.p99)} ms`,
    `redis memory, ${conversations} idle conversations (${memE2e.answered} answered)`,
    `  used_memory delta: ${fmt((after - before) / conversations, 0)} bytes per conversation (state, transcript, de-duplication keys, overhead)  [target ≤ 2048: ${(after - before) / conversations <= 2048 ? 'met' : 'MISSED'}]`,
    `  once the de-duplication keys expire (26 h): ${fmt(lasting / allConversations, 0)} bytes per idle conversation (MEMORY USAGE)  [target ≤ 2048: ${lasting / allConversations <= 2048 ? 'met' : 'MISSED'}]`,
    `  by key (MEMORY USAGE over all ${allConversations} conversations of the run): ${[...families].sort((x, y) => y[1] - x[1]).map(([f, b]) => `${f} ${fmt(b / allConversations, 0)} B`).join(', ')}; locks left behind: ${lockLeft}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));

  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  await fake.close();
  await redisHandle?.stop();
}

if (process.argv.includes('--target')) await target();
else await main();
