// Redis answers, but with an error that means it cannot serve us: a primary demoted to a replica
// (READONLY, as after a failover with the app on the old address), a full Redis under noeviction
// (OOM), a replica cut off from its primary (MASTERDOWN), a script hogging the server (BUSY).
// Each time the citizen is still answered as in an outage, the failed turn is counted by reason
// in /metrics with a log line naming the conversation by its masked reference (never the chat
// id), and /readyz says why the store is not ready. Real redis-server processes throughout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationRef } from '../../src/core/conversation-ref.ts';
import { adminClient } from '../support/redis-topologies.ts';
import { startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually, sleep, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

let primary: RedisServerHandle;
let other: RedisServerHandle;
let s: ProdServer;
let admin: ReturnType<typeof adminClient>;

beforeAll(async () => {
  [primary, other] = await Promise.all([startRedisServer(), startRedisServer()]);
  admin = adminClient(primary.port);
  s = await startProdServer({ env: { REDIS_URL: primary.url } });
});
afterAll(async () => {
  await s?.close();
  admin?.disconnect();
  await Promise.all([primary?.stop(), other?.stop()]);
});

/** Posts a message and resolves the replies it produced (once they stop coming). */
async function ask(chat: number, text: string): Promise<string[]> {
  const before = s.repliesTo(chat).length;
  expect((await s.postUpdate(textUpdate(chat, text))).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(chat).length).toBeGreaterThan(before), 8_000);
  await sleep(150);
  return s.repliesTo(chat).slice(before);
}

async function failedTurns(reason: string): Promise<number> {
  const body = (await s.server.app.inject({ url: '/metrics' })).body;
  const m = new RegExp(`^dvcbot_turns_failed_total\\{channel="telegram",reason="${reason}"\\} (\\d+)$`, 'm').exec(body);
  return Number(m?.[1] ?? 0);
}

async function storeCheck(): Promise<{ status: number; detail: string }> {
  const res = await s.server.app.inject({ url: '/readyz' });
  const check = (res.json() as { checks: { name: string; detail?: string }[] }).checks.find((c) => c.name === 'store');
  return { status: res.statusCode, detail: check?.detail ?? '' };
}

/** Asks in a healthy moment: answered with state, the store ready. */
async function expectHealthy(chat: number): Promise<void> {
  await eventually(async () => expect((await storeCheck()).status).toBe(200), 10_000);
  const replies = await ask(chat, 'đăng ký khai sinh cho con');
  expect(replies).not.toContain(await viMessage('no_state'));
}

/** Asks while Redis refuses: answered without state, the turn counted under `reason`, logged by masked reference. */
async function expectOutage(chat: number, reason: string): Promise<void> {
  const before = await failedTurns(reason);
  const replies = await ask(chat, 'làm căn cước cho con dưới 14 tuổi');
  expect(replies[0]).toBe(await viMessage('no_state'));
  expect(replies.length).toBeGreaterThan(1); // and the answer itself
  expect(await failedTurns(reason)).toBe(before + 1);
  const ref = conversationRef(`telegram:${chat}`);
  const line = s.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.conversation === ref && l.reason === reason);
  expect(line?.msg).toBe('store unavailable: answering without state');
  expect(s.logs.some((l) => l.includes(String(chat)))).toBe(false);
}

it('READONLY (the primary became a replica): answered, counted, not ready, and back once it is a primary again', async () => {
  await expectHealthy(6600000001);
  await admin.call('REPLICAOF', '127.0.0.1', String(other.port));
  await eventually(async () => expect(await admin.info('replication')).toMatch(/master_link_status:up/), 10_000);
  await expectOutage(6600000002, 'readonly');
  expect(await storeCheck()).toEqual({ status: 503, detail: expect.stringContaining('read-only replica') });
  await admin.call('REPLICAOF', 'NO', 'ONE');
  await expectHealthy(6600000003);
}, 60_000);

it('OOM (maxmemory reached under noeviction): answered, counted, not ready until there is room', async () => {
  await admin.config('SET', 'maxmemory-policy', 'noeviction');
  await admin.config('SET', 'maxmemory', '1');
  await expectOutage(6600000011, 'oom');
  expect(await storeCheck()).toEqual({ status: 503, detail: expect.stringContaining('refuses writes: OOM') });
  await admin.config('SET', 'maxmemory', '0');
  await expectHealthy(6600000012);
}, 60_000);

it('MASTERDOWN (a replica cut off from its primary, stale data refused): answered and counted', async () => {
  await admin.config('SET', 'replica-serve-stale-data', 'no');
  await admin.call('REPLICAOF', '127.0.0.1', String(other.port));
  await eventually(async () => expect(await admin.info('replication')).toMatch(/master_link_status:up/), 10_000);
  await other.halt();
  await eventually(async () => expect(await admin.info('replication')).toMatch(/master_link_status:down/), 10_000);
  await expectOutage(6600000021, 'masterdown');
  await admin.call('REPLICAOF', 'NO', 'ONE');
  await admin.config('SET', 'replica-serve-stale-data', 'yes');
  await other.restart();
  await expectHealthy(6600000022);
}, 60_000);

it('BUSY (a script holds the server): answered and counted, served again once it is killed', async () => {
  await admin.config('SET', 'busy-reply-threshold', '50');
  // Connected before the script runs: a connection's first commands would be refused too.
  const [hog, probe, killer] = [adminClient(primary.port), adminClient(primary.port), adminClient(primary.port)];
  await Promise.all([hog.ping(), probe.ping(), killer.ping()]);
  void hog.eval('local i = 0 while true do i = i + 1 end', 0).catch(() => undefined);
  await eventually(async () => expect(await probe.ping().then(() => 'PONG', (e: Error) => e.message)).toMatch(/^BUSY/), 10_000);
  try {
    await expectOutage(6600000031, 'busy');
  } finally {
    await eventually(async () => expect(await killer.call('SCRIPT', 'KILL')).toBe('OK'), 5_000);
    // The kill is asked for at once and done a moment later.
    await eventually(async () => expect(await probe.ping()).toBe('PONG'), 5_000);
    for (const c of [hog, probe, killer]) c.disconnect();
  }
  await admin.config('SET', 'busy-reply-threshold', '5000');
  await expectHealthy(6600000032);
}, 60_000);
