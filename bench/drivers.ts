/**
 * The two ways the benchmark sends load: autocannon's closed loop (as fast as answers come)
 * and an open-loop sender that spreads messages evenly and times them from their scheduled send.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { HEADERS, PACED_SOCKETS, sleep } from './options.ts';
import type { TargetUrls } from './target.ts';
import type { MessageTracker } from './tracker.ts';

/** HTTP side of a phase, whichever tool drove it. */
export interface HttpStats {
  readonly sent: number;
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/** The `p`th percentile of ascending `sorted` (nearest rank), NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** autocannon, closed loop, against the webhook (tracking each message) or the bare endpoint. */
export async function cannon(
  urls: TargetUrls,
  tracker: MessageTracker,
  kind: 'webhook' | 'bare' | 'skeleton',
  opts: { seconds: number; connections: number },
): Promise<HttpStats> {
  const r = await autocannon({
    url: kind === 'webhook' ? `${urls.appUrl}/webhooks/telegram` : `${urls.bareUrl}/${kind}`,
    method: 'POST',
    headers: HEADERS,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        // One request in flight per connection: the context still holds this request's chat when it is answered.
        setupRequest: (req, context) => {
          if (kind === 'bare') return { ...req, body: tracker.nextBareBody() };
          const { chat, body } = tracker.nextMessage(kind === 'webhook');
          (context as { chat?: number }).chat = chat;
          return { ...req, body };
        },
        onResponse: (status, _body, context) => {
          const chat = (context as { chat?: number }).chat;
          if (kind !== 'bare' && chat !== undefined && status >= 200 && status < 300) tracker.accepted.add(chat);
        },
      },
    ],
  });
  const ok = r['2xx'];
  return { sent: ok + r.non2xx + r.errors + r.timeouts, ok, non2xx: r.non2xx, errors: r.errors + r.timeouts, perSecond: ok / opts.seconds, p50: r.latency.p50, p99: r.latency.p99 };
}

/** Answers of one open-loop run so far. */
interface PacedTally {
  readonly latencies: number[];
  ok: number;
  non2xx: number;
  errors: number;
}

/** Where and how the open-loop sender posts. */
interface PacedTarget {
  readonly agent: Agent;
  readonly url: URL;
  readonly tracker: MessageTracker;
  /** True for the app's webhook (its conversations are counted). */
  readonly toApp: boolean;
}

/**
 * Open loop: `rate` messages/s spread evenly for `seconds`, each sent at its scheduled time
 * whatever happened to the earlier ones (up to PACED_SOCKETS at once; more wait for a socket,
 * and that wait counts). Latency counts from the scheduled time. `until`: stop sending once it
 * resolves (the messages sent are still waited for).
 */
export async function paced(
  urls: TargetUrls,
  tracker: MessageTracker,
  rate: number,
  seconds: number,
  target: 'webhook' | 'skeleton' = 'webhook',
  until?: Promise<unknown>,
): Promise<HttpStats> {
  const agent = new Agent({ keepAlive: true, maxSockets: PACED_SOCKETS });
  const to: PacedTarget = { agent, url: new URL(target === 'webhook' ? `${urls.appUrl}/webhooks/telegram` : `${urls.bareUrl}/skeleton`), tracker, toApp: target === 'webhook' };
  const total = Math.round(rate * seconds);
  const tally: PacedTally = { latencies: [], ok: 0, non2xx: 0, errors: 0 };
  const pending = new Set<Promise<void>>();
  const startMs = performance.now();
  const intervalMs = 1000 / rate;
  let sent = 0;
  let stopped = false;
  void until?.then(() => (stopped = true));
  while (sent < total && !stopped) {
    const now = performance.now();
    while (sent < total && startMs + sent * intervalMs <= now) {
      const p = sendPaced(to, tally, startMs + sent++ * intervalMs);
      pending.add(p);
      void p.then(() => pending.delete(p));
    }
    await sleep(1);
  }
  await Promise.all([...pending]);
  agent.destroy();
  tally.latencies.sort((a, b) => a - b);
  const elapsedS = (performance.now() - startMs) / 1000;
  return { sent, ok: tally.ok, non2xx: tally.non2xx, errors: tally.errors, perSecond: tally.ok / Math.min(seconds, elapsedS), p50: percentile(tally.latencies, 50), p99: percentile(tally.latencies, 99) };
}

/** Posts the next message, due at `dueMs`, and counts its answer; resolves once answered or failed. */
function sendPaced(to: PacedTarget, tally: PacedTally, dueMs: number): Promise<void> {
  const { chat, body } = to.tracker.nextMessage(to.toApp);
  to.tracker.sentAt.set(chat, dueMs);
  return new Promise<void>((resolve) => {
    const { url } = to;
    const req = request({ agent: to.agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...HEADERS, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        tally.latencies.push(performance.now() - dueMs);
        if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) {
          tally.ok += 1;
          to.tracker.accepted.add(chat);
        } else tally.non2xx += 1;
        resolve();
      });
    });
    req.on('error', () => {
      tally.errors += 1;
      resolve();
    });
    req.end(body);
  });
}
