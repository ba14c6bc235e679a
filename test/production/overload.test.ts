// A flood from many citizens at once: past MAX_IN_FLIGHT messages in flight, webhooks (and the
// web chat's messages) answer 503 with Retry-After (Telegram and Zalo deliver again later) instead of queueing without
// bound; the messages already accepted are all answered, and the refused one is handled when
// it comes back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { telegramOk } from '../support/fake-telegram.ts';
import { eventually, startProdServer, TG_SECRET, textUpdate, type ProdServer } from './support.ts';

let s: ProdServer;

beforeAll(async () => {
  s = await startProdServer({ env: { MAX_IN_FLIGHT: '3' } });
  s.telegram.replyAlways('sendMessage', (call) => telegramOk({ message_id: 1, date: 0, chat: { id: call.body.chat_id, type: 'private' }, text: call.body.text }, 300));
});
afterAll(async () => {
  await s?.close();
});

it('sheds webhooks past MAX_IN_FLIGHT and catches up afterwards', async () => {
  const chats = [6700000001, 6700000002, 6700000003];
  for (const chat of chats) expect((await s.postUpdate(textUpdate(chat, 'đăng ký khai sinh'))).statusCode).toBe(200);
  await eventually(() => expect(s.server.engine.inFlightCount).toBe(3));

  const late = textUpdate(6700000004, 'đăng ký kết hôn');
  const refused = await s.server.app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
    payload: JSON.stringify(late),
  });
  expect(refused.statusCode).toBe(503);
  expect(refused.headers['retry-after']).toBe('2');
  expect(refused.json()).toEqual({ error: 'overloaded' });
  // The web chat's messages feed the engine too: shed alike, before any session is issued; its long-polls are not.
  const web = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', payload: { text: 'đăng ký kết hôn' } });
  expect(web.statusCode).toBe(503);
  expect(web.headers['set-cookie']).toBeUndefined();
  expect((await s.server.app.inject({ url: '/api/web/strings?lang=vi' })).statusCode).toBe(200);
  const metrics = (await s.server.app.inject({ url: '/metrics' })).body;
  expect(metrics).toMatch(/^dvcbot_in_flight_messages 3$/m);
  expect(metrics).toMatch(/^dvcbot_webhooks_shed_total{reason="in-flight"} 2$/m);
  // Health and readiness are not shed.
  expect((await s.server.app.inject({ url: '/healthz' })).statusCode).toBe(200);

  // The accepted ones finish; the platform's redelivery of the refused one is then handled.
  await eventually(() => expect(s.server.engine.inFlightCount).toBe(0), 10_000);
  for (const chat of chats) expect(s.repliesTo(chat).length).toBeGreaterThan(0);
  expect((await s.postUpdate(late)).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(6700000004).length).toBeGreaterThan(0), 5_000);
});
