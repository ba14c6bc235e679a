// `xóa dữ liệu của tôi` erases the conversation's state, its transcript and its hand-off
// ticket (real Redis); the audit log records the erasure with the channel only (no id of the
// citizen, no message text), and earlier audit lines lose the conversation's id.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { WebCitizen } from '../support/web-citizen.ts';
import { eventually, startProdServer, viMessage, type ProdServer } from './support.ts';

let s: ProdServer;

beforeAll(async () => {
  s = await startProdServer({ env: { REDIS_URL: inject('redisUrl') } });
});
afterAll(async () => {
  await s?.close();
});

interface Item {
  text: string;
  buttons: { kind: string; label: string; index?: number }[];
  menuSeq: number;
}

async function say(citizen: WebCitizen, body: object): Promise<Item[]> {
  const res = await citizen.post(s.server.app, body);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: Item[] }).items;
}

it('erases state, transcript and queue entry', async () => {
  const citizen = new WebCitizen();
  const { conversations, handoffs, audit: auditLog } = s.server.stores;
  await say(citizen, { text: 'làm căn cước cho con dưới 14 tuổi' });
  const id = citizen.id;
  const sessionId = citizen.chatId!;
  await say(citizen, { text: 'tôi muốn gặp cán bộ' });
  // A staff member read the transcript: the audit line names the conversation, for now.
  await auditLog.append({ atMs: Date.now(), actor: 'lan', action: 'read', conversationId: id });
  expect(await handoffs.position(id)).toBe(1);
  expect((await conversations.transcript(id)).length).toBeGreaterThan(2);

  const confirm = await say(citizen, { text: 'xóa dữ liệu của tôi' });
  const question = confirm.find((i) => i.buttons.some((b) => b.kind === 'option'));
  expect(question?.text).toContain(await viMessage('erase.confirm'));
  const yes = question!.buttons.find((b) => b.label === 'Có, xóa hết');
  expect(yes?.index).toBeDefined();
  const done = await say(citizen, { option: { index: yes!.index, menuSeq: question!.menuSeq } });
  expect(done.map((i) => i.text)).toContain(await viMessage('erase.done'));

  expect(await conversations.get(id)).toBeNull();
  expect(await conversations.transcript(id)).toEqual([]);
  expect(await handoffs.position(id)).toBeNull();
  expect((await handoffs.list()).some((t) => t.id === id)).toBe(false);
  expect(s.logs.join('\n')).not.toContain('căn cước cho con');
  // The web chat keeps only what came after the erase (a reload shows nothing from before).
  await eventually(async () => {
    const kept = (await s.server.stores.webOutbox.read(sessionId, 0)).items.map((i) => i.text);
    expect(kept).toEqual(done.map((i) => i.text));
  });
  // The audit log keeps that it happened, with the channel only, and forgets the id elsewhere too.
  const audit = await eventually(async () => {
    const entries = (await auditLog.recent(20)).filter((e) => e.action === 'erase');
    expect(entries).toHaveLength(1);
    return entries[0]!;
  });
  expect(audit).toEqual({ atMs: expect.any(Number), actor: 'citizen', action: 'erase', channel: 'web' });
  await eventually(async () => {
    const entries = await auditLog.recent(100);
    expect(entries.find((e) => e.action === 'read')).toEqual({ atMs: expect.any(Number), actor: 'lan', action: 'read', channel: 'web' });
    expect(JSON.stringify(entries)).not.toContain(sessionId);
  });
  expect((await s.server.app.inject({ url: '/metrics' })).body).toMatch(/^dvcbot_erasures_total\{channel="web"\} 1$/m);

  // The citizen may start again from nothing: a new session, a new conversation id.
  const again = await say(citizen, { text: 'đăng ký khai sinh' });
  expect(again.length).toBeGreaterThan(0);
  expect(citizen.id).not.toBe(id);
  expect((await conversations.transcript(citizen.id)).some((e) => e.text.includes('gặp cán bộ'))).toBe(false);
});
