import { describe, expect, it } from 'vitest';
import { parseTelegramUpdate, type TelegramParseContext } from '../../../src/channels/telegram/parse.ts';
import { fixture, fixtureNames } from './helpers.ts';

const NOW = 1_764_205_999_000;
const ctx: TelegramParseContext = {
  bot: { id: 7000000001, username: 'trolydvc_bot' },
  staffChatId: '-1002233445566',
  nowMs: NOW,
};
const parse = (name: string, c: TelegramParseContext = ctx) => parseTelegramUpdate(fixture(name), c);
const LAN = '5512345678';

describe('parseTelegramUpdate: every fixture', () => {
  it('classifies each fixture without throwing', () => {
    for (const name of fixtureNames()) {
      const action = parse(name);
      expect(action.type, name).not.toBe('invalid');
    }
  });

  it('text → kind text, id update:<update_id>, chat id, langHint, the sender\'s name, sentAtMs, order = update_id', () => {
    expect(parse('message-text')).toEqual({
      type: 'inbound',
      updateId: 804120002,
      message: {
        id: 'update:804120002',
        channel: 'telegram',
        chatId: LAN,
        kind: 'text',
        text: 'kich hoat dinh danh muc 2 nhu the nao',
        langHint: 'vi',
        displayName: 'Lan Nguyễn',
        sentAtMs: 1764205230 * 1000,
        order: 804120002,
      },
    });
  });

  it('/start → kind start', () => {
    const a = parse('message-start');
    expect(a.type === 'inbound' && a.message.kind).toBe('start');
    expect(a.type === 'inbound' && a.message.text).toBeUndefined();
  });

  it('decomposed (NFD) Vietnamese arrives NFC', () => {
    const a = parse('message-text-nfd');
    if (a.type !== 'inbound') throw new Error(a.type);
    expect(a.message.text).toBe('Đăng ký tạm trú cho sinh viên thuê trọ'.normalize('NFC'));
    expect(a.message.text!.normalize('NFC')).toBe(a.message.text);
  });

  it('emoji, HTML and long texts are passed on verbatim as text', () => {
    for (const name of ['message-emoji', 'message-html-injection', 'message-long', 'message-pii']) {
      const a = parse(name);
      const raw = (fixture(name).message as { text: string }).text;
      expect(a.type === 'inbound' && a.message.kind, name).toBe('text');
      expect(a.type === 'inbound' && a.message.text, name).toBe(raw.normalize('NFC'));
    }
  });

  it('photo, voice, sticker, contact → media; caption kept, phone number never copied', () => {
    for (const name of ['message-photo', 'message-voice', 'message-sticker', 'message-contact']) {
      const a = parse(name);
      expect(a.type === 'inbound' && a.message.kind, name).toBe('media');
    }
    const photo = parse('message-photo');
    expect(photo.type === 'inbound' && photo.message.text).toBe('app báo lỗi này là sao');
    const contact = parse('message-contact');
    expect(JSON.stringify(contact)).not.toContain('0901234567');
    expect(JSON.stringify(contact)).not.toContain('+84');
  });

  it('button press n:1 → option 1 with the callback query id; n:2:7 keeps the menuSeq', () => {
    const a = parse('callback-query');
    expect(a).toMatchObject({
      type: 'inbound',
      callbackQueryId: '4382bfdwdsb323b2d9',
      message: { id: 'update:804120006', chatId: LAN, kind: 'option', optionIndex: 1, langHint: 'vi', sentAtMs: NOW },
    });
    expect(a.type === 'inbound' && 'menuSeq' in a.message).toBe(false);
    expect(parse('callback-query-menu-seq')).toMatchObject({ type: 'inbound', message: { optionIndex: 2, menuSeq: 7 } });
  });

  it('unknown callback_data → only answer the query', () => {
    expect(parse('callback-query-unknown')).toMatchObject({ type: 'answer-callback', callbackQueryId: 'unknown-data-1' });
  });

  it('edited messages are ignored', () => {
    expect(parse('edited-message')).toMatchObject({ type: 'ignore', reason: 'edited message' });
  });

  it('my_chat_member kicked → blocked; back to member → reachable', () => {
    expect(parse('my-chat-member-blocked')).toMatchObject({
      type: 'inbound',
      message: { id: 'update:804120012', kind: 'blocked', chatId: LAN, sentAtMs: 1764205540 * 1000 },
    });
    expect(parse('my-chat-member-unblocked')).toEqual({ type: 'reachable', updateId: 804120106, chatId: LAN });
  });

  it('staff chat updates are not citizen messages', () => {
    expect(parse('staff-topic-reply')).toMatchObject({ type: 'staff', updateId: 804120014 });
    expect(parse('staff-topic-reply', { ...ctx, staffChatId: undefined })).toMatchObject({ type: 'ignore' });
  });

  describe('groups', () => {
    it('ignores chatter not addressed to the bot', () => {
      expect(parse('group-message')).toMatchObject({ type: 'ignore' });
    });
    it('takes a mention, stripped', () => {
      expect(parse('group-mention')).toMatchObject({
        type: 'inbound',
        message: { chatId: '-1001987654321', kind: 'text', text: 'đóng học phí qua app nào vậy' },
      });
    });
    it('takes /start@ourbot, not /start@otherbot', () => {
      expect(parse('group-command')).toMatchObject({ type: 'inbound', message: { kind: 'start' } });
      expect(parse('group-command-other-bot')).toMatchObject({ type: 'ignore', reason: 'command for another bot' });
    });
    it('takes a text_mention of the bot and a mention without entities', () => {
      const u = fixture('group-message');
      const msg = u.message as Record<string, unknown>;
      const withTextMention = {
        ...u,
        message: { ...msg, text: 'Trợ lý ơi cho hỏi', entities: [{ type: 'text_mention', offset: 0, length: 6, user: { id: 7000000001, is_bot: true } }] },
      };
      expect(parseTelegramUpdate(withTextMention, ctx)).toMatchObject({ type: 'inbound', message: { text: 'ơi cho hỏi' } });
      const noEntities = { ...u, message: { ...msg, text: 'hỏi @TrolyDVC_bot, cấp lại căn cước' } };
      expect(parseTelegramUpdate(noEntities, ctx)).toMatchObject({ type: 'inbound', message: { text: 'hỏi, cấp lại căn cước' } });
    });
    it('a bare mention shows the menu (kind start)', () => {
      const u = fixture('group-message');
      const bare = { ...u, message: { ...(u.message as object), text: '@trolydvc_bot', entities: [{ type: 'mention', offset: 0, length: 13 }] } };
      expect(parseTelegramUpdate(bare, ctx)).toMatchObject({ type: 'inbound', message: { kind: 'start' } });
    });
    it('without the bot identity only plain commands get through', () => {
      const noBot = { ...ctx, bot: undefined };
      expect(parse('group-mention', noBot)).toMatchObject({ type: 'ignore' });
      expect(parse('group-command', noBot)).toMatchObject({ type: 'ignore' });
      const u = fixture('group-message');
      const plain = { ...u, message: { ...(u.message as object), text: '/start' } };
      expect(parseTelegramUpdate(plain, noBot)).toMatchObject({ type: 'inbound', message: { kind: 'start' } });
    });
  });

  it('other commands stay text with their slash; /start payload kept', () => {
    const u = fixture('message-text');
    const withText = (text: string) => parseTelegramUpdate({ ...u, message: { ...(u.message as object), text } }, ctx);
    expect(withText('/help@trolydvc_bot nhanh')).toMatchObject({ message: { kind: 'text', text: '/help nhanh' } });
    expect(withText('/Menu')).toMatchObject({ message: { kind: 'text', text: '/menu' } });
    expect(withText('/start vneid')).toMatchObject({ message: { kind: 'start', text: 'vneid' } });
  });

  it('service messages and bot senders are ignored', () => {
    const u = fixture('message-text');
    const msg = u.message as Record<string, unknown>;
    const { text: _t, ...noText } = msg;
    expect(parseTelegramUpdate({ ...u, message: { ...noText, pinned_message: { message_id: 1 } } }, ctx)).toMatchObject({ type: 'ignore' });
    expect(parseTelegramUpdate({ ...u, message: { ...msg, from: { id: 1, is_bot: true } } }, ctx)).toMatchObject({ type: 'ignore' });
    expect(parseTelegramUpdate({ ...u, message: { ...noText } }, ctx)).toMatchObject({ type: 'inbound', message: { kind: 'media' } });
  });

  it('malformed input → invalid, never a throw', () => {
    for (const raw of [null, undefined, 42, 'x', [], {}, { update_id: -1 }, { update_id: 'x' }, { update_id: 1, message: { chat: 'no' } }]) {
      expect(parseTelegramUpdate(raw, ctx).type).toBe('invalid');
    }
    expect(parseTelegramUpdate({ update_id: 9, channel_post: { anything: true } }, ctx)).toMatchObject({ type: 'ignore' });
  });
});
