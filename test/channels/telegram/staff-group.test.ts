// The Telegram staff group end to end: the real server (memory stores, the repository's content)
// with the fake Bot API. Citizens write on Telegram or the web chat; staff write in forum topics
// of TELEGRAM_STAFF_CHAT_ID through the real webhook route.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram.ts';
import type { StartedServer } from '../../support/test-server.ts';
import { TEST_TOKEN } from './helpers.ts';
import { WebCitizen } from '../../support/web-citizen.ts';
import {
  STAFF_CHAT,
  chatTexts,
  eventually,
  citizenWrites,
  postUpdate,
  settled,
  staffFixture,
  staffWrites,
  startStaffServer,
  topicCreations,
  topicId,
  topicTexts,
  updateId,
} from './staff-helpers.ts';

const HOA = 'tg:hoa_ninhkieu';
let fake: FakeTelegramServer;
let started: StartedServer;
let base: string;
let nextChat = 5_600_000_000;

beforeAll(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  started = await startStaffServer(fake);
  base = started.url;
});

afterAll(async () => {
  await started?.stop();
  await fake?.close();
});

beforeEach(async () => {
  await settled(fake, 100);
});

/** A Telegram citizen who just asked for a person; resolves their chat id and their topic's thread id. */
async function handedOff(): Promise<{ chat: number; thread: number }> {
  const chat = ++nextChat;
  const before = topicCreations(fake).length;
  await citizenWrites(base, chat, 'cho tôi gặp cán bộ');
  await eventually(() => expect(topicCreations(fake).length).toBe(before + 1));
  const thread = topicId(fake);
  await eventually(() => expect(topicTexts(fake, thread).join('\n')).toContain('🙋 cho tôi gặp cán bộ'));
  return { chat, thread };
}

async function webSays(citizen: WebCitizen, body: Record<string, unknown>): Promise<{ items: { text: string; buttons: { kind: string; label: string; index?: number }[]; menuSeq: number }[] }> {
  const res = await citizen.post(started.server.app, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const ticketOf = async (id: string) => (await started.server.desk.list()).find((t) => t.id === id);

describe('Telegram staff group', () => {
  it('a hand-off opens exactly one topic, named without personal data, with a summary; citizen lines are copied', async () => {
    const { chat, thread } = await handedOff();
    const [create] = topicCreations(fake).slice(-1);
    expect(create!.body.chat_id).toBe(STAFF_CHAT);
    const name = String(create!.body.name);
    expect(name).toMatch(/^Telegram · #[0-9A-F]{6} · Tự yêu cầu$/);
    expect(name.length).toBeLessThanOrEqual(128);
    expect(name).not.toContain(String(chat));

    const [summary] = topicTexts(fake, thread);
    expect(summary).toContain('Yêu cầu gặp cán bộ');
    expect(summary).toContain('Kênh: Telegram');
    expect(summary).toContain('/done');
    expect(fake.callsTo('sendMessage').find((c) => c.body.message_thread_id === thread)?.body.parse_mode).toBe('HTML');

    await citizenWrites(base, chat, 'Tôi cần làm lại <b>căn cước</b> & hộ chiếu');
    await eventually(() => expect(topicTexts(fake, thread)).toContain('🙋 Tôi cần làm lại &lt;b&gt;căn cước&lt;/b&gt; &amp; hộ chiếu'));
    await settled(fake);
    expect(topicCreations(fake).filter((c) => c.body.name === name)).toHaveLength(1);
    expect(topicTexts(fake, thread).filter((t) => t.includes('căn cước'))).toHaveLength(1);
  });

  it('a staff message in the topic reaches the Telegram citizen (claiming first); /done resolves, asks for a rating and closes the topic', async () => {
    const { chat, thread } = await handedOff();
    const before = chatTexts(fake, chat).length;
    await staffWrites(base, thread, 'Chào chị, chị mang căn cước ra công an phường nhé.');
    await eventually(() => expect(chatTexts(fake, chat).slice(before).join('\n')).toContain('👤 Cán bộ Hòa: Chào chị, chị mang căn cước ra công an phường nhé.'));
    expect(chatTexts(fake, chat).slice(before).join('\n')).toContain('Cán bộ Hòa đã tiếp nhận');
    expect(await ticketOf(`telegram:${chat}`)).toMatchObject({ status: 'active', owner: HOA });
    await eventually(() => expect(topicTexts(fake, thread).join('\n')).toContain(`✅ ${HOA} đã nhận xử lý.`));
    // The staff line is not echoed back into the topic.
    expect(topicTexts(fake, thread).some((t) => t.includes('Chào chị, chị mang'))).toBe(false);

    const done = staffFixture('topic-command-done');
    await postUpdate(base, { update_id: updateId(), message: { ...done.message, message_thread_id: thread } });
    await eventually(() => expect(chatTexts(fake, chat).at(-1)).toMatch(/chấm mấy điểm/));
    expect(await ticketOf(`telegram:${chat}`)).toBeUndefined();
    await eventually(() => expect(fake.callsTo('closeForumTopic').map((c) => c.body.message_thread_id)).toContain(thread));
    expect(topicTexts(fake, thread).join('\n')).toContain('Đã kết thúc');

    // Writing in the ended topic sends nothing to the citizen, and says so.
    const after = chatTexts(fake, chat).length;
    await staffWrites(base, thread, 'chị còn cần gì không?');
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('đã kết thúc'));
    expect(chatTexts(fake, chat)).toHaveLength(after);
  });

  it('a web citizen gets topic replies in the web chat; a console owner keeps the conversation; console replies are copied', async () => {
    const citizen = new WebCitizen();
    const before = topicCreations(fake).length;
    await webSays(citizen, { text: 'cho tôi gặp cán bộ' });
    const sid = citizen.chatId!;
    const id = citizen.id;
    await eventually(() => expect(topicCreations(fake).length).toBe(before + 1));
    expect(String(topicCreations(fake).at(-1)!.body.name)).toMatch(/^Web chat · #[0-9A-F]{6} · /);
    const thread = topicId(fake);

    await started.server.desk.claim(id as `web:${string}`, 'lan');
    await eventually(() => expect(topicTexts(fake, thread).join('\n')).toContain('✅ lan đã nhận xử lý.'));
    await staffWrites(base, thread, 'để em xem giúp');
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('lan đang xử lý'));
    expect((await started.server.web.read(sid, 0)).items.map((i) => i.text).join('\n')).not.toContain('để em xem giúp');

    await started.server.desk.reply(id as `web:${string}`, 'lan', 'Chị chờ em một chút nhé');
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toBe('🖥 <i>Bàn cán bộ</i> · 👤 Cán bộ lan: Chị chờ em một chút nhé'));
    await started.server.desk.release(id as `web:${string}`, 'lan');
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('Đã trả lại hàng chờ'));

    await staffWrites(base, thread, 'Em Hòa tiếp nhận ạ, chị cần làm giấy tờ gì?');
    await eventually(async () => expect((await started.server.web.read(sid, 0)).items.map((i) => i.text)).toContain('👤 Cán bộ Hòa: Em Hòa tiếp nhận ạ, chị cần làm giấy tờ gì?'));
    expect(await ticketOf(id)).toMatchObject({ status: 'active', owner: HOA });
  });

  it('a deleted topic is recreated on the next message, and the new topic works', async () => {
    const { chat, thread } = await handedOff();
    fake.deleteTopic(thread);
    const before = topicCreations(fake).length;
    await citizenWrites(base, chat, 'Cán bộ còn đó không ạ?');
    await eventually(() => expect(topicCreations(fake).length).toBe(before + 1));
    const fresh = topicId(fake);
    expect(fresh).not.toBe(thread);
    await eventually(() => expect(topicTexts(fake, fresh).at(-1)).toBe('🙋 Cán bộ còn đó không ạ?'));
    expect(topicTexts(fake, fresh)[0]).toContain('Chủ đề được tạo lại');
    // The summary of the new topic carries the conversation so far.
    expect(topicTexts(fake, fresh)[0]).toContain('cho tôi gặp cán bộ');

    const sent = chatTexts(fake, chat).length;
    await staffWrites(base, fresh, 'Còn ạ, chị cần gì?');
    await eventually(() => expect(chatTexts(fake, chat).slice(sent).join('\n')).toContain('👤 Cán bộ Hòa: Còn ạ, chị cần gì?'));
  });

  it('the citizen cancelling closes the topic', async () => {
    const { chat, thread } = await handedOff();
    await citizenWrites(base, chat, 'hủy');
    await eventually(() => expect(fake.callsTo('closeForumTopic').map((c) => c.body.message_thread_id)).toContain(thread));
    expect(topicTexts(fake, thread).join('\n')).toContain('Đã kết thúc');
  });

  it('the citizen erasing their data deletes the topic with their words', async () => {
    const sid = new WebCitizen();
    const before = topicCreations(fake).length;
    await webSays(sid, { text: 'cho tôi gặp cán bộ' });
    await eventually(() => expect(topicCreations(fake).length).toBe(before + 1));
    const thread = topicId(fake);
    const ask = await webSays(sid, { text: 'xóa dữ liệu' });
    const confirm = ask.items.at(-1)!;
    const yes = confirm.buttons.find((b) => b.kind === 'option' && /Có/.test(b.label))!;
    await webSays(sid, { option: { index: yes.index, menuSeq: confirm.menuSeq } });
    await eventually(() => expect(fake.callsTo('deleteForumTopic').map((c) => c.body.message_thread_id)).toContain(thread));
    expect(fake.topics.get(thread)?.deleted).toBe(true);
  });

  it('media in a topic gets a "text only" note; edits are not resent', async () => {
    const { chat, thread } = await handedOff();
    const sent = chatTexts(fake, chat).length;
    const photo = staffFixture('topic-photo');
    await postUpdate(base, { update_id: updateId(), message: { ...photo.message, message_thread_id: thread } });
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('Chỉ chuyển được tin nhắn chữ'));
    const text = staffFixture('topic-text');
    await postUpdate(base, { update_id: updateId(), edited_message: { ...text.message, message_thread_id: thread, edit_date: 1764205710 } });
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('Tin đã sửa'));
    expect(chatTexts(fake, chat)).toHaveLength(sent);
  });

  it('ignores the General topic, topics the bot did not make, bots, service messages and commands for other bots', async () => {
    const { chat, thread } = await handedOff();
    await settled(fake);
    const calls = fake.calls.length;
    const general = staffFixture('general-reply');
    await postUpdate(base, { update_id: updateId(), message: { ...general.message, message_thread_id: thread } });
    await postUpdate(base, { ...staffFixture('topic-created-service'), update_id: updateId() });
    await staffWrites(base, 999_999, 'chủ đề riêng của tổ');
    await staffWrites(base, thread, 'tin của một bot khác', { id: 6000000002, is_bot: true, first_name: 'Other', username: 'other_bot' });
    await staffWrites(base, thread, '/done@other_bot');
    await settled(fake);
    expect(fake.calls.slice(calls).filter((c) => c.method !== 'getMe')).toEqual([]);
    expect(await ticketOf(`telegram:${chat}`)).toMatchObject({ status: 'waiting' });
  });

  it('/release hands the conversation back to the queue', async () => {
    const { chat, thread } = await handedOff();
    await staffWrites(base, thread, 'Để em xem');
    await eventually(async () => expect(await ticketOf(`telegram:${chat}`)).toMatchObject({ status: 'active', owner: HOA }));
    await staffWrites(base, thread, '/release');
    await eventually(async () => expect(await ticketOf(`telegram:${chat}`)).toMatchObject({ status: 'waiting' }));
    await eventually(() => expect(topicTexts(fake, thread).at(-1)).toContain('Đã trả lại hàng chờ'));
    await eventually(() => expect(chatTexts(fake, chat).at(-1)).toContain('chuyển bạn lại hàng chờ'));
  });

  it('logs no error along the way', () => {
    const errors = started.logs.filter((l) => /"level":(50|60)/.test(l));
    expect(errors).toEqual([]);
  });
});
