// The staff desk's use cases on memory stores, the real engine and the real content, with a
// recording channel standing in for the chat app.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../src/core/content.ts';
import { Engine } from '../../src/core/engine.ts';
import { HandoffStateError, NotFoundError } from '../../src/core/errors.ts';
import { HandoffDesk } from '../../src/core/handoff/desk.ts';
import { silentLogger, type LiveEvent } from '../../src/core/ports.ts';
import type { ConversationId } from '../../src/core/types.ts';
import { createStores, type Stores } from '../../src/stores/index.ts';
import { RecordingChannel } from '../support/recording-channel.ts';
import { realSnapshot } from '../support/test-content.ts';

/** Tuesday 09:00 in Cần Thơ: office hours, so no "closed" line. */
const START_MS = Date.parse('2026-11-24T09:00:00+07:00');

let snapshot: ContentSnapshot;
let stores: Stores;
let channel: RecordingChannel;
let engine: Engine;
let desk: HandoffDesk;
let events: LiveEvent[];
let nowMs: number;
let seq: number;

async function say(chatId: string, text: string): Promise<string[]> {
  const from = channel.sent.length;
  nowMs += 1_000;
  await engine.handleInbound({ id: `m${++seq}`, channel: 'web', chatId, kind: 'text', text, sentAtMs: nowMs });
  return channel.since(from, chatId).map((m) => m.text);
}

async function press(chatId: string, label: string): Promise<string[]> {
  const last = [...channel.sent].reverse().find((s) => s.chatId === chatId && s.message.buttons.length > 0)!.message;
  const button = last.buttons.find((b) => b.kind === 'option' && b.label.includes(label));
  if (!button || button.kind !== 'option') throw new Error(`no button ${label}`);
  const from = channel.sent.length;
  await engine.handleInbound({ id: `m${++seq}`, channel: 'web', chatId, kind: 'option', optionIndex: button.index, menuSeq: last.menuSeq, sentAtMs: nowMs });
  return channel.since(from, chatId).map((m) => m.text);
}

async function queued(chatId: string): Promise<ConversationId> {
  const replies = await say(chatId, 'cho tôi gặp cán bộ');
  expect(replies.join('\n')).toContain('vị trí số');
  return `web:${chatId}`;
}

const sentTo = (chatId: string, from: number) => channel.since(from, chatId).map((m) => m.text).join('\n');

beforeEach(async () => {
  snapshot = await realSnapshot();
  stores = await createStores({ keyPrefix: 't:', conversationTtlMs: 86_400_000, transcriptMax: 50, logger: silentLogger });
  channel = new RecordingChannel('web');
  nowMs = START_MS;
  seq = 0;
  const clock = { nowMs: () => nowMs };
  engine = new Engine({
    snapshot: () => snapshot,
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock,
    logger: silentLogger,
    options: { conversationTtlDays: 30, rateLimitPerMinute: 0 },
  });
  engine.registerChannel(channel);
  desk = new HandoffDesk({
    driver: engine,
    queue: stores.handoffs,
    store: stores.conversations,
    events: stores.events,
    audit: stores.audit,
    clock,
    snapshot: () => snapshot,
    logger: silentLogger,
  });
  events = [];
  await stores.events.subscribe((e) => events.push(e));
});

describe('HandoffDesk', () => {
  it('claim: one owner, the citizen is told who, the bot stays silent, citizen lines reach staff', async () => {
    const id = await queued('lan-1');
    const from = channel.sent.length;
    const ticket = await desk.claim(id, { username: 'lan', displayName: 'Chị Lan' });
    expect(ticket).toMatchObject({ id, status: 'active', owner: 'lan' });
    expect(sentTo('lan-1', from)).toContain('Chị Lan');
    expect((await stores.conversations.get(id))?.mode).toBe('staff');
    expect(events.some((e) => e.type === 'status' && e.conversationId === id)).toBe(true);

    expect(await say('lan-1', 'tôi cần hỏi về sổ đỏ')).toEqual([]);
    const relayed = events.filter((e) => e.type === 'message' && e.entry?.role === 'citizen');
    expect(relayed.at(-1)?.entry?.text).toBe('tôi cần hỏi về sổ đỏ');
    expect((await stores.handoffs.get(id))?.lastMessage).toBe('tôi cần hỏi về sổ đỏ');
  });

  it('of two claims at once exactly one wins; the other learns who has it', async () => {
    const id = await queued('race');
    const results = await Promise.allSettled([desk.claim(id, 'lan'), desk.claim(id, 'minh')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(HandoffStateError);
    expect(lost[0]!.reason).toMatchObject({ problem: 'taken', code: 'HANDOFF_TAKEN' });
    const owner = (await stores.handoffs.get(id))?.owner;
    expect(['lan', 'minh']).toContain(owner);
    expect(lost[0]!.reason.owner).toBe(owner);
  });

  it('reply: only the owner; sent with the staff prefix; recorded as a staff line; audited', async () => {
    const id = await queued('reply');
    await desk.claim(id, 'lan');
    const from = channel.sent.length;
    const entry = await desk.reply(id, 'lan', '  Chào anh, anh cần hỗ trợ gì ạ?  ');
    expect(entry).toMatchObject({ role: 'staff', by: 'lan' });
    expect(sentTo('reply', from)).toBe('👤 Cán bộ lan: Chào anh, anh cần hỗ trợ gì ạ?');
    const transcript = await stores.conversations.transcript(id);
    expect(transcript.at(-1)).toMatchObject({ role: 'staff', by: 'lan', text: '👤 Cán bộ lan: Chào anh, anh cần hỗ trợ gì ạ?' });
    expect(events.at(-1)).toMatchObject({ type: 'message', conversationId: id, entry: { role: 'staff', by: 'lan' } });

    await expect(desk.reply(id, 'minh', 'xen vào')).rejects.toMatchObject({ problem: 'not-owner', owner: 'lan' });
    await expect(desk.reply(id, 'lan', '   ')).rejects.toMatchObject({ code: 'BAD_TEXT' });
    expect((await stores.audit.recent(10)).map((a) => `${a.actor}:${a.action}`)).toEqual(['lan:reply', 'lan:claim']);
  });

  it('a waiting conversation cannot be answered before it is claimed', async () => {
    const id = await queued('unclaimed');
    await expect(desk.reply(id, 'lan', 'xin chào')).rejects.toMatchObject({ problem: 'not-owner' });
    await expect(desk.resolve(id, 'lan')).rejects.toMatchObject({ problem: 'not-owner' });
  });

  it('insertGuide sends the guide title, summary and official link in the citizen language', async () => {
    const id = await queued('guide');
    await desk.claim(id, 'lan');
    const guide = snapshot.content.guides.get('vneid-activate-level2')!;
    const from = channel.sent.length;
    await desk.insertGuide(id, 'lan', guide.id);
    const text = sentTo('guide', from);
    expect(text).toContain(guide.title);
    if (guide.links[0]) expect(text).toContain(guide.links[0].url);
    await expect(desk.insertGuide(id, 'lan', 'no-such-guide')).rejects.toBeInstanceOf(NotFoundError);
    expect((await stores.audit.recent(1))[0]).toMatchObject({ action: 'insert-guide', detail: guide.id });
  });

  it('release puts the conversation back at its old place and tells the citizen', async () => {
    const first = await queued('first');
    nowMs += 60_000;
    const second = await queued('second');
    await desk.claim(first, 'lan');
    expect(await stores.handoffs.position(second)).toBe(1);
    await expect(desk.release(first, 'minh')).rejects.toMatchObject({ problem: 'not-owner' });
    const from = channel.sent.length;
    expect(await desk.release(first, 'lan')).toBe(1);
    expect(await stores.handoffs.position(first)).toBe(1);
    expect(await stores.handoffs.position(second)).toBe(2);
    expect(sentTo('first', from)).toContain('vị trí số 1');
    expect((await stores.conversations.get(first))?.mode).toBe('waiting');
    // Released, someone else may take it.
    await expect(desk.claim(first, 'minh')).resolves.toMatchObject({ owner: 'minh' });
  });

  it('resolve hands back to the bot and asks for a 1–5 rating the citizen can give', async () => {
    const id = await queued('resolve');
    await desk.claim(id, 'lan');
    await expect(desk.resolve(id, 'minh')).rejects.toMatchObject({ problem: 'not-owner' });
    const from = channel.sent.length;
    await desk.resolve(id, 'lan');
    expect(sentTo('resolve', from)).toContain('chấm mấy điểm');
    const last = channel.since(from, 'resolve').at(-1)!;
    expect(last.buttons.map((b) => b.label).join(' ')).toContain('5');
    expect(await stores.handoffs.get(id)).toBeNull();
    expect(await stores.conversations.get(id)).toMatchObject({ mode: 'bot', pending: 'rating' });
    expect((await press('resolve', '5')).join('\n')).toContain('5/5');
    expect((await stores.conversations.get(id))?.pending).toBeUndefined();
    expect((await stores.audit.recent(5)).map((a) => a.action)).toEqual(['resolve', 'claim']);
    await expect(desk.reply(id, 'lan', 'còn đó không?')).rejects.toMatchObject({ problem: 'missing' });
  });

  it('a conversation the citizen cancelled, or erased, cannot be claimed', async () => {
    const cancelled = await queued('cancel');
    await say('cancel', 'hủy');
    await expect(desk.claim(cancelled, 'lan')).rejects.toMatchObject({ problem: 'missing' });

    const erased = await queued('erase');
    await stores.conversations.erase(erased); // state gone, ticket left behind
    await expect(desk.claim(erased, 'lan')).rejects.toMatchObject({ problem: 'missing' });
    expect(await stores.handoffs.get(erased)).toBeNull();
  });

  it('list and open show the guide the bot was on and the transcript', async () => {
    expect((await say('onguide', 'kich hoat vneid muc 2')).join('\n')).toContain('Bước 1/');
    const id = await queued('onguide');
    const [ticket] = await desk.list();
    expect(ticket).toMatchObject({ id, status: 'waiting', guideId: 'vneid-activate-level2' });
    expect(ticket?.guideTitle).toBeTruthy();
    const open = await desk.open(id);
    expect(open?.transcript.some((e) => e.role === 'citizen' && e.text === 'cho tôi gặp cán bộ')).toBe(true);
    expect(open).toMatchObject({ lang: 'vi', mode: 'waiting', unreachable: false });
    expect(await desk.open('web:nobody')).toBeNull();
    expect(desk.guides().length).toBe(snapshot.content.guideList.length);
  });
});
