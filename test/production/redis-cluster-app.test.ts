// The whole app on a real 3-master Redis Cluster (REDIS_CLUSTER_NODES), started by this test:
// 30 citizens at once, two messages each, all answered with their state (never the outage
// notice), a hand-off queued and claimed, and /readyz green. Before 2026-12 the same ran into
// MOVED on 17 of 30 messages.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type ClusterSet } from '../support/redis-topologies.ts';
import { eventually, startProdServer, textUpdate, viMessage, type ProdServer } from './support.ts';

let cluster: ClusterSet;
let s: ProdServer;

beforeAll(async () => {
  cluster = await startCluster();
  s = await startProdServer({ env: { REDIS_CLUSTER_NODES: cluster.nodeList } });
});
afterAll(async () => {
  await s?.close();
  await cluster?.stop();
});

it('answers 30 citizens with their state, hands one over to staff, and is ready', async () => {
  const noState = await viMessage('no_state');
  const chats = Array.from({ length: 30 }, (_, i) => 6800000000 + i);
  for (const text of ['làm căn cước cho con dưới 14 tuổi', 'lệ phí bao nhiêu?']) {
    const before = new Map(chats.map((c) => [c, s.repliesTo(c).length]));
    const posted = await Promise.all(chats.map((c) => s.postUpdate(textUpdate(c, text))));
    expect(posted.every((r) => r.statusCode === 200)).toBe(true);
    await eventually(() => chats.forEach((c) => expect(s.repliesTo(c).length).toBeGreaterThan(before.get(c)!)), 20_000);
  }
  for (const c of chats) expect(s.repliesTo(c)).not.toContain(noState);
  // A usual turn sends its replies first and saves its state and transcript right after.
  await eventually(async () => {
    for (const c of chats) expect((await s.server.stores.conversations.transcript(`telegram:${c}`)).filter((e) => e.role === 'citizen')).toHaveLength(2);
  }, 10_000);

  expect((await s.postUpdate(textUpdate(chats[0]!, 'tôi muốn gặp cán bộ'))).statusCode).toBe(200);
  await eventually(async () => expect(await s.server.stores.handoffs.position(`telegram:${chats[0]}`)).toBe(1), 10_000);
  const claim = await s.server.stores.handoffs.claim(`telegram:${chats[0]}`, 'lan', Date.now());
  expect(claim.ok).toBe(true);

  const ready = await s.server.app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.body).toContain('redis cluster (3 primaries)');
}, 90_000);
