// Load shedding on event-loop lag (issue 24): under overload the backlog waits in HTTP sockets,
// where MAX_IN_FLIGHT cannot see it, and every callback runs late. An artificially blocked loop
// stands in for that backlog: while the loop runs SHED_LAG_MS late, webhooks and the web chat's
// messages answer 503 with Retry-After (the platform delivers again later); once it has caught
// up, the redelivered update is answered, once. The lag and the refusals are in /metrics.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { telegramOk } from '../support/fake-telegram.ts';
import { eventually, startProdServer, textUpdate, type ProdServer } from './support.ts';

let s: ProdServer;

/** Keeps the event loop busy for `ms` (what a backlog of requests does to it). */
function blockLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
}

/** Lets the loop run its timers (the lag monitor's readings) once. */
const tick = () => new Promise((r) => setTimeout(r, 15));

beforeAll(async () => {
  s = await startProdServer({ env: { SHED_LAG_MS: '150' } });
  s.telegram.replyAlways('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text }));
});
afterAll(async () => {
  await s?.close();
});

it('sheds webhooks while the event loop lags, then answers their redelivery once', async () => {
  const chat = 6710000001;
  const update = textUpdate(chat, 'đăng ký khai sinh');
  blockLoop(400);
  await tick();
  const refused = await s.postUpdate(update);
  expect(refused.statusCode).toBe(503);
  expect(JSON.parse(refused.body)).toEqual({ error: 'overloaded' });
  const web = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', payload: { text: 'đăng ký kết hôn' } });
  expect(web.statusCode).toBe(503);
  // Health, readiness and metrics are never shed.
  expect((await s.server.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  const metrics = (await s.server.app.inject({ url: '/metrics' })).body;
  expect(metrics).toMatch(/^dvcbot_webhooks_shed_total{reason="lag"} 2$/m);
  const worst = Number(/^dvcbot_event_loop_lag_max_seconds (\S+)$/m.exec(metrics)?.[1]);
  expect(worst).toBeGreaterThanOrEqual(0.3);
  expect(s.repliesTo(chat)).toEqual([]);

  // Caught up: the platform's redelivery is accepted and answered, exactly once.
  await eventually(async () => expect((await s.postUpdate(update)).statusCode).toBe(200), 10_000);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(0));
  const after = (await s.server.app.inject({ url: '/metrics' })).body;
  expect(after).toMatch(/^dvcbot_messages_in_total{channel="telegram",kind="text"} 1$/m);
  expect(after).not.toMatch(/^dvcbot_stateless_answers_total/m);
});

it('does not shed on lag when SHED_LAG_MS is 0', async () => {
  const calm = await startProdServer({ env: { SHED_LAG_MS: '0' } });
  try {
    blockLoop(400);
    await tick();
    expect((await calm.postUpdate(textUpdate(6710000002, 'làm căn cước'))).statusCode).toBe(200);
  } finally {
    await calm.close();
  }
});
