// /healthz, /readyz and /metrics on the real server (createServer), and what the metrics count
// when the Bot API fails: bounded retries, one delivery, the webhook still answered at once.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { telegramError } from '../support/fake-telegram.ts';
import { eventually, sleep, startProdServer, textUpdate, type ProdServer } from './support.ts';

/** The value of one sample line of the Prometheus text, or undefined. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of body.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (wanted.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

let s: ProdServer;

beforeAll(async () => {
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') } });
});
afterAll(async () => {
  await s?.close();
});

async function metrics(): Promise<string> {
  const res = await s.server.app.inject({ url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  return res.body;
}

describe('health', () => {
  it('GET /healthz answers 200 while the process is alive', async () => {
    const res = await s.server.app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('GET /readyz checks content, Redis and the Telegram token', async () => {
    const res = await s.server.app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] };
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.name).sort()).toEqual(['content', 'store', 'telegram']);
    expect(body.checks.find((c) => c.name === 'store')?.detail).toBe('redis primary');
  });

  it('GET /readyz is 503 when the bot token is refused', async () => {
    const bad = await startProdServer({ env: { REDIS_URL: inject('redisUrl'), TELEGRAM_BOT_TOKEN: '1:not-the-token' } });
    try {
      await bad.server.start().catch(() => undefined);
      const res = await eventually(async () => {
        const r = await bad.server.app.inject({ url: '/readyz' });
        expect(r.statusCode).toBe(503);
        return r;
      });
      const checks = (res.json() as { checks: { name: string; ok: boolean }[] }).checks;
      expect(checks.find((c) => c.name === 'telegram')?.ok).toBe(false);
      expect(checks.find((c) => c.name === 'store')?.ok).toBe(true);
    } finally {
      await bad.close();
    }
  });
});

describe('metrics', () => {
  it('counts messages in and out, decisions, reply latency, queue and content reloads', async () => {
    const chat = 6100000001;
    expect((await s.postUpdate(textUpdate(chat, 'làm căn cước cho con dưới 14 tuổi'))).statusCode).toBe(200);
    expect((await s.postUpdate(textUpdate(chat, 'tôi muốn gặp cán bộ'))).statusCode).toBe(200);
    await eventually(async () => {
      const body = await metrics();
      expect(sample(body, 'dvcbot_reply_latency_seconds_count', { channel: 'telegram' })).toBe(2);
    });
    const body = await metrics();
    expect(sample(body, 'dvcbot_messages_in_total', { channel: 'telegram', kind: 'text' })).toBe(2);
    expect(sample(body, 'dvcbot_messages_out_total', { channel: 'telegram' })).toBe(s.repliesTo(chat).length);
    expect(sample(body, 'dvcbot_decisions_total', { channel: 'telegram', decision: 'answer' })).toBe(1);
    expect(sample(body, 'dvcbot_handoffs_total', { channel: 'telegram', reason: 'asked' })).toBe(1);
    expect(sample(body, 'dvcbot_handoff_queue_length', { status: 'waiting' })).toBe(1);
    expect(sample(body, 'dvcbot_handoff_queue_wait_seconds', { stat: 'oldest' })).toBeGreaterThanOrEqual(0);
    expect(sample(body, 'dvcbot_store_up')).toBe(1);
    expect(sample(body, 'dvcbot_content_reloads_total', { result: 'ok' })).toBe(1);
    expect(sample(body, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    // Histogram buckets are there for p50/p99 queries.
    expect(body).toMatch(/dvcbot_reply_latency_seconds_bucket\{le="0\.05",channel="telegram"\} \d+/);

    await s.server.content.reload();
    expect(sample(await metrics(), 'dvcbot_content_reloads_total', { result: 'ok' })).toBe(2);
  });

  it('a failing Bot API: bounded retries with backoff, one delivery, the webhook answered at once', async () => {
    const chat = 6100000002;
    s.telegram.replyOnce('sendMessage', telegramError(502, 'Bad Gateway'), { destroySocket: true });
    const started = Date.now();
    const res = await s.postUpdate(textUpdate(chat, 'đăng ký thường trú'));
    expect(res.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(500); // answered before the retries, not after
    const replies = await eventually(() => {
      const r = s.repliesTo(chat);
      expect(r.length).toBeGreaterThanOrEqual(3); // two failed tries of the first reply, then it and the rest
      return r;
    }, 8_000);
    await sleep(200);
    const delivered = s.repliesTo(chat).slice(2);
    expect(new Set(delivered).size).toBe(delivered.length); // each reply delivered once
    expect(replies[0]).toBe(replies[2]); // the failed one, retried with the same text
    const body = await metrics();
    expect(sample(body, 'dvcbot_send_retries_total', { channel: 'telegram' })).toBe(2);
    expect(sample(body, 'dvcbot_send_errors_total', { channel: 'telegram', code: 'CHANNEL_NETWORK' })).toBeUndefined();
  });

  it('a Bot API down: gives up after 4 tries, keeps the reply in the outbox, sends it once the API is back', async () => {
    const chat = 6100000003;
    s.telegram.replyAlways('sendMessage', telegramError(500, 'Internal Server Error'));
    try {
      expect((await s.postUpdate(textUpdate(chat, 'cấp lại căn cước bị mất'))).statusCode).toBe(200);
      await eventually(async () => {
        expect(sample(await metrics(), 'dvcbot_replies_deferred_total', { channel: 'telegram' })).toBe(1);
      }, 10_000);
      expect(s.repliesTo(chat)).toHaveLength(4); // maxAttempts, no more
      expect(sample(await metrics(), 'dvcbot_send_errors_total', { channel: 'telegram', code: 'CHANNEL_NETWORK' }) ?? 0).toBe(0);
    } finally {
      s.telegram.replyAlways('sendMessage', (call) => ({ status: 200, body: { ok: true, result: { message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text } } }));
    }
    // The outbox's next round (the worker runs every second once the server has started) sends it.
    await sleep(2_100);
    await s.server.outbox!.tick();
    const deferred = sample(await metrics(), 'dvcbot_replies_deferred_total', { channel: 'telegram' })!;
    expect(sample(await metrics(), 'dvcbot_replies_redelivered_total', { channel: 'telegram' })).toBe(deferred);
    expect(s.repliesTo(chat)).toHaveLength(4 + deferred);
    // The same update delivered again by Telegram is not handled twice.
    const update = textUpdate(chat, 'thủ tục khai sinh');
    const before = s.repliesTo(chat).length;
    await s.postUpdate(update);
    await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(before));
    const after = s.repliesTo(chat).length;
    expect((await s.postUpdate(update)).statusCode).toBe(200);
    await sleep(300);
    expect(s.repliesTo(chat)).toHaveLength(after);
    expect(sample(await metrics(), 'dvcbot_duplicates_total', { channel: 'telegram' }) ?? 0).toBeLessThanOrEqual(1);
  }, 20_000);
});
