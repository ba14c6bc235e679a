// Redis goes away while a citizen waits for staff (a real redis-server with an append-only file,
// stopped and started again). What they write meanwhile is never answered by the bot: it is held
// and reaches staff once Redis is back (their transcript and the queue's ticket show it). A
// citizen still with the bot gets the usual stateless answer meanwhile. When Redis stays away past
// the horizon, the citizen is told plainly that their message did not reach staff.
import { afterEach, expect, it } from 'vitest';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

let redis: RedisServerHandle | undefined;
let s: ProdServer | undefined;
afterEach(async () => {
  await s?.close();
  await redis?.stop();
  s = undefined;
  redis = undefined;
});

async function metric(server: ProdServer, outcome: string): Promise<number> {
  const body = (await server.server.metrics.render()).body;
  return Number(new RegExp(`^dvcbot_held_for_staff_total\\{channel="telegram",outcome="${outcome}"\\} (\\d+)$`, 'm').exec(body)?.[1] ?? 0);
}

/** A citizen who asked for a person and waits in the queue. */
async function waitingCitizen(server: ProdServer, chat: number): Promise<void> {
  expect((await server.postUpdate(textUpdate(chat, 'tôi muốn gặp cán bộ'))).statusCode).toBe(200);
  await eventually(async () => expect(await server.server.stores.handoffs.position(`telegram:${chat}`)).toBe(1), 10_000);
  await sleep(300);
}

it('holds a waiting citizen\'s message while Redis is down, never answers it, and hands it to staff when Redis is back', async () => {
  redis = await startRedisServer({ persistent: true });
  s = await startProdServer({ env: { REDIS_URL: redis.url }, listen: true });
  const waiting = 7200000001;
  const withBot = 7200000002;
  await waitingCitizen(s, waiting);
  const repliesBefore = s.repliesTo(waiting).length;

  await redis.halt();
  await eventually(async () => expect((await s!.server.app.inject({ url: '/readyz' })).statusCode).toBe(503), 10_000);
  expect((await s.postUpdate(textUpdate(waiting, 'tôi vẫn đang chờ, hồ sơ số 12 của tôi sao rồi?'))).statusCode).toBe(200);
  expect((await s.postUpdate(textUpdate(withBot, 'đăng ký khai sinh'))).statusCode).toBe(200);
  await eventually(() => expect(s!.repliesTo(withBot)[0]).toBeDefined(), 10_000);
  expect(s.repliesTo(withBot)[0]).toBe(await viMessage('no_state')); // the bot still answers those with it
  await eventually(async () => expect(await metric(s!, 'held')).toBe(1), 10_000);
  await sleep(1_000);
  expect(s.repliesTo(waiting).length).toBe(repliesBefore); // nothing from the bot to the one waiting

  await redis.restart();
  await eventually(async () => {
    const said = (await s!.server.stores.conversations.transcript(`telegram:${waiting}`)).filter((e) => e.role === 'citizen').map((e) => e.text);
    expect(said).toContain('tôi vẫn đang chờ, hồ sơ số 12 của tôi sao rồi?');
  }, 20_000);
  expect((await s.server.stores.handoffs.get(`telegram:${waiting}`))?.lastMessage).toBe('tôi vẫn đang chờ, hồ sơ số 12 của tôi sao rồi?');
  expect(await metric(s, 'delivered')).toBe(1);
  expect(s.repliesTo(waiting).length).toBe(repliesBefore);
}, 60_000);

it('tells the citizen plainly that their message did not reach staff when Redis stays away past the horizon', async () => {
  redis = await startRedisServer({ persistent: true });
  s = await startProdServer({ env: { REDIS_URL: redis.url, OUTBOX_HORIZON_MINUTES: '0.05' }, listen: true });
  const waiting = 7200000011;
  await waitingCitizen(s, waiting);
  const before = s.repliesTo(waiting).length;
  await redis.halt();
  await eventually(async () => expect((await s!.server.app.inject({ url: '/readyz' })).statusCode).toBe(503), 10_000);
  expect((await s.postUpdate(textUpdate(waiting, 'cán bộ ơi'))).statusCode).toBe(200);
  await eventually(() => expect(s!.repliesTo(waiting).length).toBe(before + 1), 20_000);
  const told = s.repliesTo(waiting).at(-1)!;
  expect(told).toMatch(/^⚠️ Tin nhắn bạn gửi cho cán bộ lúc \d\d:\d\d chưa tới được cán bộ/);
  expect(await metric(s, 'failed')).toBe(1);
  expect(s.logs.some((l) => l.includes('MESSAGE FOR STAFF NOT DELIVERED'))).toBe(true);
}, 60_000);
