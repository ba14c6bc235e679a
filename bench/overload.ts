/**
 * The overload phase of `npm run bench:load` (BENCH_PHASES=overload): an open-loop sender at
 * 1.5 × the measured maximum (BENCH_OVERLOAD_RATE overrides) for BENCH_OVERLOAD_SECONDS
 * (default 60), each message from a new chat. A webhook answered 503 or 429 is delivered again
 * after its Retry-After, as Telegram does, until it is accepted; a failed request likewise after
 * a second. What must hold while Redis is healthy: no turn answered without state, no double
 * answer, every shed webhook delivered again and answered. Read from the app's /metrics before
 * and after, and from the fake Bot API's record of every reply.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile } from './drivers.ts';
import { type BenchContext } from './measure.ts';
import { HEADERS, sleep } from './options.ts';
import { fmt, out } from './report.ts';

/** Sockets the sender keeps to the webhook: several platforms' worth of connections at once (BENCH_OVERLOAD_SOCKETS). */
const OVERLOAD_SOCKETS = Number(process.env.BENCH_OVERLOAD_SOCKETS ?? 256);

/** The start of the notice a citizen gets when answered without state (content/messages/vi.yaml `no_state`). */
const NO_STATE = (/^no_state:\s*(.+)$/m.exec(readFileSync(new URL('../content/messages/vi.yaml', import.meta.url), 'utf8'))?.[1] ?? '').replace(/^["']|["']$/g, '').slice(0, 30);

/** What the sender counted. */
interface Deliveries {
  messages: number;
  shed: number;
  errors: number;
  /** Messages never accepted (gave up after many attempts). */
  lost: number;
}

/** The sum of every sample of `name` in a Prometheus text (0 when absent). */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** Delivers `body` until it is accepted (2xx), honouring Retry-After on 503/429. */
async function deliver(agent: Agent, url: URL, body: string, d: Deliveries): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const answer = await new Promise<{ status: number; retryAfterS: number }>((resolve) => {
      const req = request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...HEADERS, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfterS: Number(res.headers['retry-after'] ?? 1) || 1 }));
      });
      req.on('error', () => resolve({ status: 0, retryAfterS: 1 }));
      req.end(body);
    });
    if (answer.status >= 200 && answer.status < 300) return true;
    if (answer.status === 503 || answer.status === 429) d.shed += 1;
    else d.errors += 1;
    await sleep(answer.retryAfterS * 1000);
  }
  d.lost += 1;
  return false;
}

/** The phase; `maxPerSecond` is the app's measured maximum. */
export async function runOverload(ctx: BenchContext, maxPerSecond: number): Promise<void> {
  const rate = Number(process.env.BENCH_OVERLOAD_RATE) || Math.round(1.5 * (Number.isFinite(maxPerSecond) ? maxPerSecond : 1000));
  const seconds = Number(process.env.BENCH_OVERLOAD_SECONDS ?? 60);
  const { tracker, app } = ctx;
  const before = await app.metrics();
  tracker.recordTexts = true;
  const agent = new Agent({ keepAlive: true, maxSockets: OVERLOAD_SOCKETS });
  const url = new URL(`${app.appUrl}/webhooks/telegram`);
  const d: Deliveries = { messages: 0, shed: 0, errors: 0, lost: 0 };
  const pending: Promise<unknown>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  while (d.messages < total) {
    const now = performance.now();
    while (d.messages < total && start + (d.messages * 1000) / rate <= now) {
      const { chat, body } = tracker.nextMessage(true);
      tracker.sentAt.set(chat, start + (d.messages * 1000) / rate);
      d.messages += 1;
      pending.push(deliver(agent, url, body, d).then((ok) => ok && tracker.accepted.add(chat)));
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && tracker.waitingForReplies()) await sleep(100);
  await sleep(500);
  agent.destroy();
  const after = await app.metrics();
  report(ctx, { rate, seconds, d, before, after });
  tracker.recordTexts = false;
  tracker.reset();
}

/** Prints the phase's outcome. */
function report(ctx: BenchContext, r: { rate: number; seconds: number; d: Deliveries; before: string; after: string }): void {
  const { tracker } = ctx;
  const delta = (name: string) => metricSum(r.after, name) - metricSum(r.before, name);
  const answered = [...tracker.accepted].filter((c) => tracker.firstReplyAt.has(c));
  const latencies = answered.map((c) => tracker.firstReplyAt.get(c)! - tracker.sentAt.get(c)!).sort((a, b) => a - b);
  let doubles = 0;
  let noState = 0;
  for (const texts of tracker.texts.values()) {
    if (new Set(texts).size < texts.length) doubles += 1;
    if (NO_STATE !== '' && texts.some((t) => t.startsWith(NO_STATE))) noState += 1;
  }
  const stateless = delta('dvcbot_stateless_answers_total');
  const unsaved = delta('dvcbot_unsaved_turns_total');
  const worstLag = metricSum(r.after, 'dvcbot_event_loop_lag_max_seconds');
  out(`overload ${r.rate} msg/s (open loop, 1.5 × the maximum; BENCH_OVERLOAD_RATE), ${r.seconds} s; shed webhooks delivered again after Retry-After`);
  out(`  messages ${r.d.messages}: accepted ${tracker.accepted.size}, answered ${answered.length}, never accepted ${r.d.lost}; refusals ${r.d.shed} (503/429), failed requests ${r.d.errors}`);
  out(`  app: shed ${delta('dvcbot_webhooks_shed_total')} (lag ${metricSum(r.after, 'dvcbot_webhooks_shed_total{reason="lag"}') - metricSum(r.before, 'dvcbot_webhooks_shed_total{reason="lag"}')}), stateless answers ${stateless}, unsaved turns ${unsaved}, Redis time-outs put down to lag ${delta('dvcbot_store_slow_total')}, duplicates dropped ${delta('dvcbot_duplicates_total')}; worst event-loop lag in the last 60 s ${fmt(worstLag * 1000, 0)} ms`);
  out(`  reply latency from the first send: p50 ${fmt(percentile(latencies, 50), 0)} ms, p99 ${fmt(percentile(latencies, 99), 0)} ms`);
  const met = stateless === 0 && noState === 0 && doubles === 0 && r.d.lost === 0 && answered.length === r.d.messages;
  out(`  chats told "cannot keep your place" (no_state): ${noState}`);
  out(`  double answers ${doubles}  [target: 0 stateless, 0 double answers, every message answered: ${met ? 'met' : 'MISSED'}]`);
}
