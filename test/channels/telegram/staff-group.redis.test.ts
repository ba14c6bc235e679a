// The Telegram staff group behind two instances on one Redis (as behind a load balancer), with
// one fake Bot API: both instances receive every live event, yet a hand-off gets exactly one
// topic and each citizen line is copied once; the topic mapping lives in Redis, so staff can
// answer through either instance, and after a restart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../../src/stores/redis/client.ts';
import { FakeTelegramServer } from '../../support/fake-telegram.ts';
import type { StartedServer } from '../../support/test-server.ts';
import { TEST_TOKEN } from './helpers.ts';
import { chatTexts, citizenWrites, eventually, settled, staffWrites, startStaffServer, topicCreations, topicId, topicTexts } from './staff-helpers.ts';

const prefix = `test:${randomUUID()}:`;
let fake: FakeTelegramServer;
let a: StartedServer;
let b: StartedServer;
let c: StartedServer | undefined;

beforeAll(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix };
  a = await startStaffServer(fake, env);
  b = await startStaffServer(fake, env);
});

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  await b?.stop();
  await c?.stop();
  await fake?.close();
  const admin = createRedisClient(inject('redisUrl'));
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await closeRedisClient(admin);
});

describe('Telegram staff group on Redis, two instances', () => {
  const chat = 5_700_000_001;

  it('a hand-off through A gets exactly one topic; each citizen line is copied once', async () => {
    await citizenWrites(a.url, chat, 'cho tôi gặp cán bộ');
    await eventually(() => expect(topicCreations(fake)).toHaveLength(1));
    const thread = topicId(fake);
    await citizenWrites(b.url, chat, 'Tôi bị mất giấy khai sinh, làm lại thế nào?');
    await eventually(() => expect(topicTexts(fake, thread)).toContain('🙋 Tôi bị mất giấy khai sinh, làm lại thế nào?'));
    await settled(fake, 400);
    expect(topicCreations(fake)).toHaveLength(1);
    const texts = topicTexts(fake, thread);
    expect(texts.filter((t) => t.includes('Yêu cầu gặp cán bộ'))).toHaveLength(1);
    expect(texts.filter((t) => t === '🙋 cho tôi gặp cán bộ')).toHaveLength(1);
    expect(texts.filter((t) => t.includes('mất giấy khai sinh'))).toHaveLength(1);
  });

  it('a staff message through B reaches the citizen; the claim is noted once', async () => {
    const thread = topicId(fake);
    await staffWrites(b.url, thread, 'Chị mang bản sao giấy tờ ra UBND phường nhé.');
    await eventually(() => expect(chatTexts(fake, chat)).toContain('👤 Cán bộ Hòa: Chị mang bản sao giấy tờ ra UBND phường nhé.'));
    await settled(fake, 400);
    expect(topicTexts(fake, thread).filter((t) => t.includes('đã nhận xử lý'))).toHaveLength(1);
  });

  it('after A restarts, the topic still maps to the conversation; /done resolves', async () => {
    await a.stop();
    c = await startStaffServer(fake, { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    const thread = topicId(fake);
    await staffWrites(c.url, thread, '/done');
    await eventually(() => expect(chatTexts(fake, chat).at(-1)).toMatch(/chấm mấy điểm/));
    await eventually(() => expect(fake.callsTo('closeForumTopic').map((x) => x.body.message_thread_id)).toEqual([thread]));
    await settled(fake, 400);
    expect(topicTexts(fake, thread).filter((t) => t.includes('Đã kết thúc'))).toHaveLength(1);
    expect(topicCreations(fake)).toHaveLength(1);
  });
});
