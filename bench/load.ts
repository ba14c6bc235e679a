/**
 * `npm run bench:load` — a benchmark, not a test. Drives the Telegram webhook of the real app
 * (own process: createServer with real Redis, the real engine and the Bot API client against a
 * fake Bot API on loopback) and, in the same run, a bare Fastify endpoint (same process as the
 * app) that only parses the same JSON. Targets on a 2-core machine: ratio ≥ 0.35,
 * reply p99 ≤ 50 ms at 500 msg/s, ≤ 2 KB of Redis per idle conversation.
 *
 * Two latencies, never mixed up:
 * - webhook: POST sent → HTTP answer. The route answers 200 as soon as the update is parsed and
 *   processes it afterwards, so this is what Telegram sees.
 * - reply (end to end): POST sent → the first sendMessage for that chat reaching the fake Bot API.
 * A phase only counts when every update the webhook accepted (2xx) got its reply: the fake counts
 * sendMessage calls per chat, and the report says answered/accepted.
 *
 * Phases:
 * 1. steady 500 msg/s: an open-loop sender spreads the messages evenly over each second (autocannon's
 *    rate option sends each second's quota in one burst at the start of the second, which measures
 *    the burst, not the rate). Latencies count from the scheduled send time, so a slow server cannot
 *    hide its queue (no coordinated omission).
 * 2. maximum: autocannon, 32 connections, closed loop, against the webhook and then the bare endpoint.
 *    messages/s = messages answered end to end / (last reply − start); ratio = that / bare req/s.
 *    Then the I/O skeleton (see `ioSkeleton`): the same round trips as a usual turn with no app
 *    code, the same way: the most any design on one event loop could reach here.
 *    Past MAX_IN_FLIGHT the webhook sheds with 503 (counted as non-2xx; those are not expected to be answered).
 * 3. sustained: the open-loop sender at 60 % of the measured maximum (BENCH_SUSTAIN_RATE overrides).
 * 4. Redis memory per idle conversation.
 * Each phase also prints the app process's CPU time per message (user + system of all its threads,
 * from process.cpuUsage) and its event loop's busy time (performance.eventLoopUtilization).
 * The app logs at the production level (info); the number of lines it wrote is printed at the end.
 *
 * Messages cycle through the real-shaped questions of test/fixtures/eval/questions.jsonl, each from
 * a new chat (so every message creates a conversation: the heavier case).
 *
 * Uses REDIS_URL when set (a scratch database: keys go under a fresh prefix), else starts a
 * private redis-server. BENCH_SECONDS (default 10) sets the length of each measured phase;
 * BENCH_PHASES (default "steady,max,sustained,memory") picks phases; BENCH_CPU_PROF=<dir> writes
 * a CPU profile of the app process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { BotApiTransport } from '../src/channels/telegram/bot-api-transport.ts';
import { FakeTelegramServer, telegramOk } from '../test/support/fake-telegram.ts';
import { startRedisServer, type RedisServerHandle } from '../test/support/redis-server.ts';

const TOKEN = '123456789:BENCH-token_abcdefghijklmnopqrstuvw';
const SECRET = 'bench-secret_0123456789';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PHASES = new Set((process.env.BENCH_PHASES ?? 'steady,max,sustained,memory').split(',').map((p) => p.trim()));
const CONNECTIONS = 32;
/** Most sockets the open-loop sender keeps to the webhook (requests queue past it, and that shows in the latency). */
const PACED_SOCKETS = 64;
const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
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
  // The I/O skeleton of a message, without the app: what any design on one event loop pays.
  // Its keys live outside the app's prefix, so the memory phase counts the app's keys only.
  const skeleton = ioSkeleton(process.env.REDIS_URL!, `skeleton:${process.env.REDIS_KEY_PREFIX}`, process.env.TELEGRAM_API_ROOT!, process.env.TELEGRAM_BOT_TOKEN!);
  bare.post('/skeleton', async (req) => {
    skeleton.handle(req.body as { message?: { chat?: { id?: number } } });
    return { ok: true };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m === 'cpu') {
      process.send?.({ cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() });
      return;
    }
    if (m !== 'stop') return;
    void (async () => {
      await server.stop();
      await bare.close();
      skeleton.close();
      process.exit(0);
    })();
  });
  process.send?.({ appUrl, bareUrl });
}

/**
 * The round trips of a usual turn and nothing else: the webhook answered at once, then one Lua
 * call (de-duplication key, lock, state read), one sendMessage through the app's own Bot API
 * transport, one Lua call (state, transcript, lock release). No parsing beyond JSON, no search,
 * no dialogue, no metrics. Its rate is the ceiling of the ratio for one process on this machine.
 */
function ioSkeleton(redisUrl: string, keyPrefix: string, apiRoot: string, token: string) {
  const redis = new Redis(redisUrl, { keyPrefix, enableAutoPipelining: true });
  const transport = new BotApiTransport(apiRoot, token);
  const take = `if not redis.call('SET', KEYS[1], '1', 'PX', 93600000, 'NX') then return false end
redis.call('SET', KEYS[2], ARGV[1], 'PX', 10000)
return redis.call('GET', KEYS[3]) or ''`;
  const save = `redis.call('SET', KEYS[1], ARGV[1], 'PX', 2592000000)
redis.call('RPUSH', KEYS[2], ARGV[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -50, -1)
redis.call('PEXPIRE', KEYS[2], 2592000000)
if redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
return 1`;
  return {
    handle(update: { message?: { chat?: { id?: number } } }): void {
      const chat = update.message?.chat?.id ?? 0;
      const k = `conv:{${chat}}`;
      const lockToken = `skeleton:${chat}`;
      void (async () => {
        await redis.eval(take, 3, `${k}:seen`, `${k}:lock`, `${k}:state`, lockToken);
        await transport.call('sendMessage', { chat_id: chat, text: 'Bước 1/3: …' });
        await redis.eval(save, 3, `${k}:state`, `${k}:transcript`, `${k}:lock`, '{"id":"x"}', 'q', 'a', lockToken);
      })().catch(() => undefined);
    },
    close: () => redis.disconnect(),
  };
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** HTTP side of a phase, whichever tool drove it. */
interface HttpStats {
  readonly sent: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

async function main(): Promise<void> {
  let redisHandle: RedisServerHandle | undefined;
  const redisUrl = process.env.REDIS_URL || (redisHandle = await startRedisServer()).url;
  const keyPrefix = `bench:${Date.now()}:`;
  const fake = await FakeTelegramServer.start({ token: TOKEN });
  const firstReplyAt = new Map<number, number>();
  let sendMessageCalls = 0;
  fake.replyAlways('sendMessage', (call) => {
    const chat = Number(call.body.chat_id);
    sendMessageCalls += 1;
    if (!firstReplyAt.has(chat)) firstReplyAt.set(chat, performance.now());
    return telegramOk({ message_id: 1, date: 0, chat: { id: chat, type: 'private' } });
  });

  // The app logs at the production default (info) to a pipe: lines are counted, warnings and errors shown.
  const child: ChildProcess = fork(import.meta.filename, ['--target'], {
    silent: true,
    execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [])],
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
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_MODE: 'webhook',
      PUBLIC_URL: '',
    },
  });
  let logLines = 0;
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logLines += 1;
      if (Number((/"level":(\d+)/.exec(line) ?? [])[1]) >= 40) process.stderr.write(`app: ${line}\n`);
    }
  });
  child.stderr?.pipe(process.stderr);
  const { appUrl, bareUrl } = await new Promise<{ appUrl: string; bareUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { appUrl: string; bareUrl: string }));
    child.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
  });
  /** The app process's CPU time so far (user + system, all its threads), ms, and its event loop's busy and idle time. */
  const appCpu = () =>
    new Promise<{ cpuMs: number; elu: EventLoopUtilization }>((resolve) => {
      const onMessage = (m: unknown) => {
        const { cpu, elu } = m as { cpu?: NodeJS.CpuUsage; elu: EventLoopUtilization };
        if (!cpu) return;
        child.off('message', onMessage);
        resolve({ cpuMs: (cpu.user + cpu.system) / 1000, elu });
      };
      child.on('message', onMessage);
      child.send('cpu');
    });

  let nextUpdate = 900_000_000;
  let nextChat = 7_000_000_000;
  /** Per chat (one message each): when its update was sent, and whether the webhook accepted it (2xx). */
  const sentAt = new Map<number, number>();
  const accepted = new Set<number>();
  let webhookMessages = 0;
  /** The next message; only those to the app's webhook count as its conversations. */
  const nextMessage = (toApp: boolean): { chat: number; body: string } => {
    const chat = nextChat++;
    sentAt.set(chat, performance.now());
    if (toApp) webhookMessages += 1;
    return { chat, body: update(chat, nextUpdate++) };
  };

  /** autocannon, closed loop, against the webhook (tracking each message) or the bare endpoint. */
  const cannon = async (kind: 'webhook' | 'bare' | 'skeleton', opts: { seconds: number; connections: number }): Promise<HttpStats> => {
    const r = await autocannon({
      url: kind === 'webhook' ? `${appUrl}/webhooks/telegram` : `${bareUrl}/${kind}`,
      method: 'POST',
      headers: HEADERS,
      connections: opts.connections,
      duration: opts.seconds,
      requests: [
        {
          // One request in flight per connection: the context still holds this request's chat when it is answered.
          setupRequest: (req, context) => {
            if (kind === 'bare') return { ...req, body: update(nextChat++, nextUpdate++) };
            const { chat, body } = nextMessage(kind === 'webhook');
            (context as { chat?: number }).chat = chat;
            return { ...req, body };
          },
          onResponse: (status, _body, context) => {
            const chat = (context as { chat?: number }).chat;
            if (kind !== 'bare' && chat !== undefined && status >= 200 && status < 300) accepted.add(chat);
          },
        },
      ],
    });
    const ok = r['2xx'];
    return { sent: ok + r.non2xx + r.errors + r.timeouts, ok, non2xx: r.non2xx, errors: r.errors + r.timeouts, perSecond: ok / opts.seconds, p50: r.latency.p50, p99: r.latency.p99 };
  };

  /**
   * Open loop: `rate` messages/s spread evenly for `seconds`, each sent at its scheduled time
   * whatever happened to the earlier ones (up to PACED_SOCKETS at once; more wait for a socket,
   * and that wait counts). Latency counts from the scheduled time.
   */
  const paced = async (rate: number, seconds: number, target: 'webhook' | 'skeleton' = 'webhook'): Promise<HttpStats> => {
    const agent = new Agent({ keepAlive: true, maxSockets: PACED_SOCKETS });
    const url = new URL(target === 'webhook' ? `${appUrl}/webhooks/telegram` : `${bareUrl}/skeleton`);
    const total = Math.round(rate * seconds);
    const latencies: number[] = [];
    let ok = 0;
    let non2xx = 0;
    let errors = 0;
    const pending = new Set<Promise<void>>();
    const send = (dueMs: number) => {
      const { chat, body } = nextMessage(target === 'webhook');
      sentAt.set(chat, dueMs);
      const p = new Promise<void>((resolve) => {
        const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...HEADERS, 'content-length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - dueMs);
            if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
              ok += 1;
              accepted.add(chat);
            } else non2xx += 1;
            resolve();
          });
        });
        req.on('error', () => {
          errors += 1;
          resolve();
        });
        req.end(body);
      });
      pending.add(p);
      void p.then(() => pending.delete(p));
    };
    const startMs = performance.now();
    const intervalMs = 1000 / rate;
    let sent = 0;
    while (sent < total) {
      const now = performance.now();
      while (sent < total && startMs + sent * intervalMs <= now) send(startMs + sent++ * intervalMs);
      await sleep(1);
    }
    await Promise.all([...pending]);
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return { sent, ok, non2xx, errors, perSecond: ok / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  };

  /**
   * Waits until every accepted message got its first reply (or `timeoutMs`); returns end-to-end
   * stats and the app's CPU per handled message since `cpuAtStart`.
   */
  const settle = async (startedAt: number, atStart: { cpuMs: number; elu: EventLoopUtilization }, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && [...accepted].some((c) => !firstReplyAt.has(c))) await sleep(50);
    await sleep(100); // replies still on their way (second messages) belong to this phase's CPU
    const atEnd = await appCpu();
    const cpuMs = atEnd.cpuMs - atStart.cpuMs;
    const busyMs = atEnd.elu.active - atStart.elu.active;
    const loopBusy = busyMs / (busyMs + atEnd.elu.idle - atStart.elu.idle);
    const latencies = [...accepted].filter((c) => firstReplyAt.has(c)).map((c) => firstReplyAt.get(c)! - sentAt.get(c)!).sort((a, b) => a - b);
    // A loop, not Math.max(...): a long phase answers more messages than the call stack holds arguments.
    let last = 0;
    for (const c of accepted) last = Math.max(last, firstReplyAt.get(c) ?? 0);
    const stats = {
      accepted: accepted.size,
      answered: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      perSecond: latencies.length / ((last - startedAt) / 1000),
      cpuMsPerMessage: cpuMs / Math.max(1, latencies.length),
      loopMsPerMessage: busyMs / Math.max(1, latencies.length),
      loopBusy,
      sendMessageCalls,
    };
    sentAt.clear();
    accepted.clear();
    firstReplyAt.clear();
    sendMessageCalls = 0;
    fake.reset();
    return stats;
  };
  /** Runs `drive` from now, then settles; returns both sides. */
  const phase = async (drive: () => Promise<HttpStats>) => {
    const cpu0 = await appCpu();
    const t0 = performance.now();
    const http = await drive();
    return { http, e2e: await settle(t0, cpu0) };
  };

  type Phase = Awaited<ReturnType<typeof phase>>;
  const httpLine = (h: HttpStats) => `${fmt(h.perSecond, 0)} req/s answered 2xx (${h.ok}/${h.sent}), p50 ${fmt(h.p50)} ms, p99 ${fmt(h.p99)} ms, non-2xx ${h.non2xx}, errors ${h.errors}`;
  const e2eLine = (p: Phase) =>
    `${p.e2e.answered}/${p.e2e.accepted} accepted messages answered (${p.e2e.sendMessageCalls} sendMessage calls), p50 ${fmt(p.e2e.p50)} ms, p99 ${fmt(p.e2e.p99)} ms`;
  const cpuLine = (p: Phase) =>
    `${fmt(p.e2e.cpuMsPerMessage, 2)} ms CPU per message handled (all threads); event loop busy ${fmt(p.e2e.loopMsPerMessage, 2)} ms per message, ${fmt(100 * p.e2e.loopBusy, 0)} % of the phase`;

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`app ${appUrl}, bare ${bareUrl}, redis ${redisHandle ? 'private redis-server' : 'REDIS_URL'}; ${SECONDS} s per phase`);
  // Warm-up (not measured): the JIT's optimised code, connection pools, Lua scripts loaded. A server
  // runs for days; a few hundred messages leave the search and the engine half-optimised.
  await phase(() => cannon('webhook', { seconds: 5, connections: 8 }));
  await cannon('bare', { seconds: 3, connections: 8 });

  if (PHASES.has('steady')) {
    const steady = await phase(() => paced(500, SECONDS));
    out(`steady 500 msg/s (open loop, evenly spaced), ${SECONDS} s`);
    out(`  webhook HTTP:     ${httpLine(steady.http)}`);
    out(`  reply end to end: ${e2eLine(steady)}  [target p99 ≤ 50 ms: ${steady.e2e.p99 <= 50 && steady.e2e.answered === steady.http.sent ? 'met' : 'MISSED'}]`);
    out(`  app CPU:          ${cpuLine(steady)}`);
    const skeleton = await phase(() => paced(500, SECONDS, 'skeleton'));
    out(`  I/O skeleton at 500 msg/s, for reference (no app code): ${e2eLine(skeleton)}; ${cpuLine(skeleton)}`);
  }

  let maxPerSecond = NaN;
  if (PHASES.has('max')) {
    const max = await phase(() => cannon('webhook', { seconds: SECONDS, connections: CONNECTIONS }));
    const bare = await cannon('bare', { seconds: SECONDS, connections: CONNECTIONS });
    maxPerSecond = max.e2e.perSecond;
    const ratio = max.e2e.perSecond / bare.perSecond;
    out(`maximum (autocannon, ${CONNECTIONS} connections, closed loop), ${SECONDS} s`);
    out(`  webhook HTTP:     ${httpLine(max.http)}`);
    out(`  reply end to end: ${e2eLine(max)}`);
    out(`  messages handled: ${fmt(max.e2e.perSecond, 0)} msg/s end to end (answered / time to the last reply)`);
    out(`  app CPU:          ${cpuLine(max)}`);
    out(`  bare endpoint:    ${httpLine(bare)}`);
    out(`  ratio to bare:    ${fmt(ratio, 2)} (messages handled end to end), ${fmt(max.http.perSecond / bare.perSecond, 2)} (webhook 2xx answers)  [target ≥ 0.35: ${ratio >= 0.35 ? 'met' : 'MISSED'}]`);
    const skeletonMax = await phase(() => cannon('skeleton', { seconds: SECONDS, connections: CONNECTIONS }));
    out(`  I/O skeleton:     ${fmt(skeletonMax.e2e.perSecond, 0)} msg/s end to end, ratio ${fmt(skeletonMax.e2e.perSecond / bare.perSecond, 2)} (same process; webhook answered, Lua, sendMessage, Lua; no app): the ceiling of the ratio; the app reaches ${fmt((100 * max.e2e.perSecond) / skeletonMax.e2e.perSecond, 0)} % of it`);
    out(`                    ${cpuLine(skeletonMax)}`);
  }

  if (PHASES.has('sustained')) {
    const sustainRate = Number(process.env.BENCH_SUSTAIN_RATE) || (Number.isFinite(maxPerSecond) ? Math.max(10, Math.round((0.6 * maxPerSecond) / 10) * 10) : 300);
    const sustained = await phase(() => paced(sustainRate, SECONDS));
    out(`sustained ${sustainRate} msg/s (open loop; default 60 % of the maximum; BENCH_SUSTAIN_RATE), ${SECONDS} s`);
    out(`  webhook HTTP:     ${httpLine(sustained.http)}`);
    out(`  reply end to end: ${e2eLine(sustained)}`);
    out(`  app CPU:          ${cpuLine(sustained)}`);
  }

  if (PHASES.has('memory')) {
    // Redis memory per idle conversation: 1,000 new conversations, one question each.
    const redis = new Redis(redisUrl);
    const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
    const firstMessages = webhookMessages;
    const mem = await phase(() => paced(200, 5));
    await sleep(500);
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
    out(`redis memory, ${conversations} idle conversations (${mem.e2e.answered}/${mem.e2e.accepted} answered)`);
    out(`  used_memory delta: ${fmt((after - before) / conversations, 0)} bytes per conversation (state, transcript, de-duplication keys, overhead)  [target ≤ 2048: ${(after - before) / conversations <= 2048 ? 'met' : 'MISSED'}]`);
    out(`  once the de-duplication keys expire (26 h): ${fmt(lasting / allConversations, 0)} bytes per idle conversation (MEMORY USAGE)  [target ≤ 2048: ${lasting / allConversations <= 2048 ? 'met' : 'MISSED'}]`);
    out(`  by key (MEMORY USAGE over all ${allConversations} conversations of the run): ${[...families].sort((x, y) => y[1] - x[1]).map(([f, b]) => `${f} ${fmt(b / allConversations, 0)} B`).join(', ')}; locks left behind: ${lockLeft}`);
  }
  out(`app log lines during the run (LOG_LEVEL=info): ${logLines}`);

  child.send('stop');
  await new Promise((r) => child.once('exit', r));
  await fake.close();
  await redisHandle?.stop();
}

if (process.argv.includes('--target')) await target();
else await main();
