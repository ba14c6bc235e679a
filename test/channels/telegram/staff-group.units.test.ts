// Pure parts of the Telegram staff group: topic names, summaries, error recognition, identities.
import { describe, expect, it } from 'vitest';
import { ChannelRejectedError } from '../../../src/core/errors.ts';
import { isThreadGone } from '../../../src/channels/telegram/staff-group.ts';
import { isTelegramStaff, staffRefOf } from '../../../src/channels/telegram/staff-inbox.ts';
import { TELEGRAM_TOPIC_NAME_LIMIT, shortCode, summaryHtml, topicName } from '../../../src/channels/telegram/staff-texts.ts';

describe('staff group texts', () => {
  it('topic names are "<channel> · #<code> · <reason>", capped at 128 characters, without the chat id', () => {
    expect(topicName('zalo-oa:84901234567', 'zalo-oa', 'scam')).toBe(`Zalo OA · #${shortCode('zalo-oa:84901234567')} · ⚠️ Bị lừa / mất tiền`);
    expect(topicName('zalo-oa:84901234567', 'zalo-oa', 'scam')).not.toContain('84901234567');
    const long = topicName('web:x', 'web', 'lý do rất dài '.repeat(20));
    expect([...long].length).toBe(TELEGRAM_TOPIC_NAME_LIMIT);
    expect(shortCode('web:x')).toMatch(/^[0-9A-F]{6}$/);
  });

  it('summaries escape everything that came from people', () => {
    const html = summaryHtml(
      'web:s1',
      {
        ticket: { id: 'web:s1', channel: 'web', status: 'active', owner: 'lan', waitingSinceMs: 0, reason: 'asked', guideTitle: 'Cấp <lại> CCCD' },
        transcript: [
          { atMs: 1, role: 'citizen', text: '<script>alert(1)</script> & xin chào' },
          { atMs: 2, role: 'staff', by: 'lan', text: '👤 lan: ok' },
        ],
        lang: 'en',
        mode: 'staff',
        unreachable: true,
        handedOff: true,
      },
      false,
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('🙋 &lt;script&gt;alert(1)&lt;/script&gt; &amp; xin chào');
    expect(html).toContain('Hướng dẫn đang xem: Cấp &lt;lại&gt; CCCD');
    expect(html).toContain('Trạng thái: đang xử lý (lan)');
    expect(html).toContain('Tiếng Anh');
    expect(html).toContain('⚠️');
  });
});

describe('staff group helpers', () => {
  it('recognises a deleted topic from the Bot API answer', () => {
    expect(isThreadGone(new ChannelRejectedError('telegram', 400, 'sendMessage: Bad Request: message thread not found'))).toBe(true);
    expect(isThreadGone(new ChannelRejectedError('telegram', 400, 'sendMessage: Bad Request: TOPIC_DELETED'))).toBe(true);
    expect(isThreadGone(new ChannelRejectedError('telegram', 400, 'sendMessage: Bad Request: chat not found'))).toBe(false);
    expect(isThreadGone(new Error('message thread not found'))).toBe(false);
  });

  it('Telegram staff act as tg:<username> (lower-case) or tg:<id>, shown by first name', () => {
    expect(staffRefOf({ id: 1, first_name: 'Hòa', username: 'Hoa_NK' })).toEqual({ username: 'tg:hoa_nk', displayName: 'Hòa' });
    expect(staffRefOf({ id: 77 })).toEqual({ username: 'tg:77', displayName: '77' });
    expect(isTelegramStaff('tg:77')).toBe(true);
    expect(isTelegramStaff('lan')).toBe(false);
  });
});
