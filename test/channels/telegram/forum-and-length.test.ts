// Issue 20: replies in forum groups go to the topic the citizen wrote in (message_thread_id), not
// to General; and a message near 4,096 characters stays within the limit once the links Telegram
// refuses as buttons are written into its text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramApiClient } from '../../../src/channels/telegram/api-client.ts';
import { TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/limits.ts';
import { parseTelegramUpdate } from '../../../src/channels/telegram/parse.ts';
import { TelegramChannel } from '../../../src/channels/telegram/telegram-channel.ts';
import { silentLogger } from '../../../src/core/ports.ts';
import { FakeTelegramServer } from '../../support/fake-telegram.ts';
import { startProdServer, TG_TOKEN, type ProdServer } from '../../production/support.ts';
import { eventually, fixture, TEST_TOKEN } from './helpers.ts';

const BOT = { id: 7000000001, username: 'trolydvc_bot' };
const GROUP = -1001876543210;
const TOPIC = 3305;

let fake: FakeTelegramServer;
beforeEach(async () => {
  fake = await FakeTelegramServer.start({ token: TEST_TOKEN });
  fake.topics.set(TOPIC, { chatId: GROUP, threadId: TOPIC, name: 'Căn cước', closed: false, deleted: false });
});
afterEach(async () => {
  await fake.close();
});

function channel(): TelegramChannel {
  return new TelegramChannel(new TelegramApiClient({ token: TEST_TOKEN, apiRoot: fake.apiRoot, logger: silentLogger, retry: { baseDelayMs: 1 } }), silentLogger);
}

describe('forum topics', () => {
  it('a message in a topic is a conversation of that topic; General stays the group', () => {
    const topic = parseTelegramUpdate(fixture('forum-topic-mention'), { bot: BOT, nowMs: 0 });
    expect(topic).toMatchObject({ type: 'inbound', message: { chatId: `${GROUP}/${TOPIC}`, kind: 'text', text: 'làm căn cước cho con ở đâu' } });
    const general = parseTelegramUpdate(fixture('group-mention'), { bot: BOT, nowMs: 0 });
    expect(general).toMatchObject({ type: 'inbound', message: { chatId: '-1001987654321' } });
    const press = parseTelegramUpdate(fixture('forum-topic-callback'), { bot: BOT, nowMs: 0 });
    expect(press).toMatchObject({ type: 'inbound', message: { chatId: `${GROUP}/${TOPIC}`, kind: 'option', optionIndex: 1, menuSeq: 3 } });
  });

  it('replies go to the topic with message_thread_id; a blocked group blocks its topics', async () => {
    const ch = channel();
    await ch.send(`${GROUP}/${TOPIC}`, { text: 'Trả lời trong chủ đề', buttons: [], menuSeq: 0 });
    expect(fake.callsTo('sendMessage')[0]!.body).toMatchObject({ chat_id: GROUP, message_thread_id: TOPIC, text: 'Trả lời trong chủ đề' });
    ch.markUnreachable(String(GROUP));
    expect(ch.isUnreachable(`${GROUP}/${TOPIC}`)).toBe(true);
    ch.markReachable(`${GROUP}/${TOPIC}`);
    expect(ch.isUnreachable(String(GROUP))).toBe(false);
  });

  it('end to end: a question asked in a topic is answered in that topic', async () => {
    const tg = await FakeTelegramServer.start({ token: TG_TOKEN });
    tg.topics.set(TOPIC, { chatId: GROUP, threadId: TOPIC, name: 'Căn cước', closed: false, deleted: false });
    const s: ProdServer = await startProdServer({ telegram: tg });
    try {
      expect((await s.postUpdate(fixture('forum-topic-mention'))).statusCode).toBe(200);
      const calls = await eventually(() => {
        const sent = tg.callsTo('sendMessage').filter((c) => c.body.chat_id === GROUP);
        expect(sent.length).toBeGreaterThan(0);
        return sent;
      });
      for (const c of calls) expect(c.body.message_thread_id).toBe(TOPIC);
    } finally {
      await s.close();
      await tg.close();
    }
  });
});

describe('the 4,096 limit with links written into the text', () => {
  it('a text just under the limit plus a link Telegram refuses as a button is split, never over the limit', async () => {
    const text = Array.from({ length: 41 }, (_, i) => `Dòng ${i + 1}: ${'x'.repeat(90)}`).join('\n').slice(0, TELEGRAM_TEXT_LIMIT - 10);
    expect(text.length).toBe(TELEGRAM_TEXT_LIMIT - 10);
    await channel().send('5512345678', {
      text,
      buttons: [
        { kind: 'url', label: 'Gọi tổng đài', url: 'tel:19000368' },
        { kind: 'option', label: 'Tiếp', index: 1 },
      ],
      menuSeq: 2,
    });
    const sent = fake.callsTo('sendMessage');
    expect(sent.length).toBe(2);
    for (const c of sent) expect(String(c.body.text).length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(String(sent[1]!.body.text)).toContain('Gọi tổng đài: tel:19000368');
    expect(sent[0]!.body.reply_markup).toBeUndefined();
    expect(sent[1]!.body.reply_markup).toMatchObject({ inline_keyboard: [[{ text: 'Tiếp', callback_data: 'n:1:2' }]] });
  });
});
