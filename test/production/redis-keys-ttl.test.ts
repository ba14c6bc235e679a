// Every Redis key the app writes has a TTL or a cap. A real server on a real redis-server goes
// through a working day's paths — Telegram citizens (the inbound log, de-duplication, locks, state,
// transcripts, analytics), a web chat citizen (session, outbox, budgets), a hand-off taken by staff
// (queue, cases, history words, notes, labels, the audit log, sessions), a content reload — and
// then every key under its prefix is read: a key without a TTL must be one of the few kept on
// purpose, each with the cap that bounds it. A second citizen is still waiting at the end, so the
// queue's own keys are there to be read too.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { DEFAULT_HISTORY_MAX_CASES } from '../../src/stores/defaults.ts';
import { addStaff, citizenSays, login, WebCitizen } from '../console/helpers.ts';
import { eventually, startProdServer, textUpdate, type ProdServer } from './support.ts';

let s: ProdServer;
let admin: Redis;

beforeAll(async () => {
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') } });
  admin = new Redis(inject('redisUrl'), { lazyConnect: true });
  await admin.connect();
}, 60_000);
afterAll(async () => {
  await s?.close();
  admin?.disconnect();
});

/** The app's key without its prefix, ids replaced by `<id>` so that one rule covers a family. */
function family(key: string): string {
  return key
    .slice(s.keyPrefix.length)
    .replace(/(telegram|web|zalo-bot|zalo-oa):[\w-]+/g, '$1:<id>')
    .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<uuid>')
    .replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<day>')
    .replace(/:[A-Za-z0-9_-]{16,}/g, ':<token>');
}

/**
 * Keys kept without a TTL on purpose, and what bounds each: checked below against the key's size.
 * Staff accounts and their index live until an administrator removes them (a handful of people);
 * the rest are capped by the code that writes them.
 */
const KEPT: Record<string, (key: string) => Promise<void>> = {
  // A number: the sum of the waiting tickets' times, for the mean wait.
  'handoff:{handoff}:waiting-sum': async (key) => expect(await admin.get(key)).toMatch(/^-?\d+$/),
  // One entry per waiting ticket, each ticket a key with a TTL (the sweep drops those that expired).
  'handoff:{handoff}:waiting': async (key) => {
    const ids = await admin.zrange(key, '0', '-1');
    expect(ids).toEqual(['telegram:7300000004']);
    for (const id of ids) expect(await admin.pttl(`${s.keyPrefix}handoff:{handoff}:ticket:${id}`)).toBeGreaterThan(0);
  },
  // The index of all cases: swept by age and capped at DEFAULT_HISTORY_MAX_CASES.
  'hist:{hist}:all': async (key) => expect(await admin.zcard(key)).toBeLessThanOrEqual(DEFAULT_HISTORY_MAX_CASES),
  // The labels staff used, the 200 latest.
  'hist:{hist}:labels': async (key) => expect(await admin.zrange(key, '0', '-1')).toEqual(['VNeID']),
  // The inbound log keeps only what is not done yet (acked and deleted after the turn).
  'inbound:{inbound}:log': async (key) => await eventually(async () => expect(await admin.xlen(key)).toBe(0), 10_000),
  // Staff accounts live until an administrator removes them.
  'staff:{staff}:accounts': async (key) => expect(await admin.hkeys(key)).toEqual(['lan']),
};

it('gives every key a TTL, or is one of the few kept on purpose with its cap', async () => {
  // Telegram citizens: a guide, a follow-up, a hand-off.
  for (const [chat, text] of [
    [7300000001, 'đăng ký khai sinh'],
    [7300000001, 'lệ phí bao nhiêu?'],
    [7300000002, 'làm căn cước cho con dưới 14 tuổi'],
    [7300000003, 'tôi muốn gặp cán bộ'],
    [7300000004, 'cho tôi nói chuyện với nhân viên'],
  ] as const) {
    expect((await s.postUpdate(textUpdate(chat, text))).statusCode).toBe(200);
  }
  await eventually(async () => expect(await s.server.stores.handoffs.position('telegram:7300000004')).toBe(2), 10_000);
  // A web chat citizen.
  const web = new WebCitizen();
  await citizenSays(s.server.app, web, 'kích hoạt định danh mức 2');
  // Staff take the hand-off, note, label, reply and resolve it.
  await addStaff(s.server, 'lan', 'editor', 'Chị Lan');
  const cookie = await login(s.server.app, 'lan');
  const path = '/api/staff/handoffs/telegram:7300000003';
  const post = (url: string, payload?: object) => s.server.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
  expect((await post(`${path}/claim`)).statusCode).toBe(200);
  expect((await post(`${path}/messages`, { text: 'Chào anh, em là Lan, em giúp anh ạ.' })).statusCode).toBe(200);
  expect((await post(`${path}/notes`, { text: 'hỏi về căn cước' })).statusCode).toBeLessThan(300);
  expect((await post(`${path}/labels`, { labels: ['VNeID'] })).statusCode).toBeLessThan(300);
  expect((await post(`${path}/resolve`)).statusCode).toBe(200);
  expect((await s.server.app.inject({ url: '/api/staff/conversations?q=can+cuoc', headers: { cookie } })).statusCode).toBe(200);
  expect((await post('/api/admin/reload')).statusCode).toBe(200);
  await eventually(() => expect(s.repliesTo(7300000003).length).toBeGreaterThan(1), 10_000);

  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await admin.scan(cursor, 'MATCH', `${s.keyPrefix}*`, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  expect(keys.length).toBeGreaterThan(20);
  const forever = new Map<string, string>();
  for (const key of keys) {
    const ttl = await admin.pttl(key);
    expect(ttl, key).not.toBe(-2);
    if (ttl === -1) forever.set(family(key), key);
  }
  expect([...forever.keys()].sort()).toEqual(Object.keys(KEPT).sort());
  for (const [name, key] of forever) await KEPT[name]!(key);
}, 120_000);
