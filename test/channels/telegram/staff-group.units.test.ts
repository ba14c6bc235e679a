// Pure parts of the Telegram staff group: topic names, summaries, error recognition, identities.
import { describe, expect, it } from 'vitest';
import { ChannelRejectedError } from '../../../src/core/errors.ts';
import { isThreadGone } from '../../../src/channels/telegram/staff-group.ts';
import { isTelegramStaff, staffRefOf } from '../../../src/channels/telegram/staff-inbox.ts';
import { COPY_TEXT_MAX, TELEGRAM_TOPIC_NAME_LIMIT, citizenHtml, clip, shortCode, summaryHtml, topicName } from '../../../src/channels/telegram/staff-texts.ts';
import { TELEGRAM_TEXT_LIMIT } from '../../../src/channels/telegram/limits.ts';

/** The text Telegram counts: the HTML's entities decoded and its tags gone. */
const visible = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('staff group copies within Telegram\'s limit, counted in UTF-16 units', () => {
  it('a citizen line of 4,000 emoji (8,000 units) is clipped under 4,096 units, never splitting a pair', () => {
    const copied = visible(citizenHtml('🪪'.repeat(4000)));
    expect(copied.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    expect(copied).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(clip('ab🪪', 3)).toBe('ab…');
    expect(clip('a🪪b', 3)).toBe('a…');
    expect(clip('x'.repeat(COPY_TEXT_MAX), COPY_TEXT_MAX)).toBe('x'.repeat(COPY_TEXT_MAX));
  });
});

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
