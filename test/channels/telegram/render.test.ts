import { describe, expect, it } from 'vitest';
import { decodeOptionCallback, encodeOptionCallback } from '../../../src/channels/telegram/callback-data.ts';
import { TELEGRAM_BUTTON_LABEL_LIMIT, TELEGRAM_CALLBACK_DATA_LIMIT } from '../../../src/channels/telegram/limits.ts';
import { buildInlineKeyboard, escapeHtml, renderTelegramMessage, renderTelegramPlain } from '../../../src/channels/telegram/render.ts';
import { telegramSecretMatches } from '../../../src/channels/telegram/verify.ts';
import type { Button } from '../../../src/core/types.ts';

const opt = (index: number, label: string): Button => ({ kind: 'option', index, label });

describe('escapeHtml / renderTelegramMessage', () => {
  it('escapes every HTML-special character of dynamic text', () => {
    const text = '<b>test</b> <script>alert(1)</script> & <a href="javascript:alert(1)">x</a>';
    const out = renderTelegramMessage({ text, buttons: [], menuSeq: 0 });
    expect(out.text).toBe('&lt;b&gt;test&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;');
    expect(out.parse_mode).toBe('HTML');
    expect(out.text).not.toMatch(/<|>/);
    expect(escapeHtml('a &amp; b')).toBe('a &amp;amp; b');
  });

  it('has no keyboard without buttons; disables link previews', () => {
    const out = renderTelegramMessage({ text: 'Xin chào', buttons: [], menuSeq: 0 });
    expect(out.reply_markup).toBeUndefined();
    expect(out.link_preview_options).toEqual({ is_disabled: true });
  });

  it('plain fallback keeps the raw text and buttons, without parse mode', () => {
    const out = renderTelegramPlain({ text: 'a < b & c', buttons: [opt(1, 'Có')], menuSeq: 3 });
    expect(out.text).toBe('a < b & c');
    expect('parse_mode' in out).toBe(false);
    expect(out.reply_markup?.inline_keyboard[0]?.[0]).toEqual({ text: 'Có', callback_data: 'n:1:3' });
  });
});

describe('buildInlineKeyboard', () => {
  it('puts two short options per row, long ones alone, links on their own row, in order', () => {
    const kb = buildInlineKeyboard(
      [
        opt(1, 'Có'),
        opt(2, 'Không'),
        opt(3, 'Gặp cán bộ hỗ trợ trực tuyến ngay'),
        opt(4, 'Quay lại'),
        { kind: 'url', label: 'Cổng DVC', url: 'https://dichvucong.gov.vn' },
        opt(5, 'Menu'),
      ],
      12,
    );
    expect(kb?.inline_keyboard).toEqual([
      [
        { text: 'Có', callback_data: 'n:1:12' },
        { text: 'Không', callback_data: 'n:2:12' },
      ],
      [{ text: 'Gặp cán bộ hỗ trợ trực tuyến ngay', callback_data: 'n:3:12' }],
      [{ text: 'Quay lại', callback_data: 'n:4:12' }],
      [{ text: 'Cổng DVC', url: 'https://dichvucong.gov.vn' }],
      [{ text: 'Menu', callback_data: 'n:5:12' }],
    ]);
  });

  it('clips labels, never empty; callback_data within 64 bytes', () => {
    const kb = buildInlineKeyboard([opt(9999, 'x'.repeat(200)), opt(2, '   ')], Number.MAX_SAFE_INTEGER);
    const [first, second] = kb!.inline_keyboard.flat() as { text: string; callback_data: string }[];
    expect([...first!.text].length).toBeLessThanOrEqual(TELEGRAM_BUTTON_LABEL_LIMIT);
    expect(second!.text).toBe('2');
    for (const b of [first!, second!]) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(TELEGRAM_CALLBACK_DATA_LIMIT);
  });

  it('writes links Telegram would refuse into the text instead of a button', () => {
    const out = renderTelegramMessage({ text: 'Xem', buttons: [{ kind: 'url', label: 'Tổng đài', url: 'tel:1022' }], menuSeq: 0 });
    expect(out.reply_markup).toBeUndefined();
    expect(out.text).toBe('Xem\nTổng đài: tel:1022');
  });
});

describe('callback data', () => {
  it('round-trips and rejects anything else', () => {
    expect(encodeOptionCallback(1, 0)).toBe('n:1');
    expect(encodeOptionCallback(3, 42)).toBe('n:3:42');
    expect(decodeOptionCallback('n:1')).toEqual({ index: 1 });
    expect(decodeOptionCallback('n:3:42')).toEqual({ index: 3, menuSeq: 42 });
    for (const bad of [undefined, '', 'n:0', 'n:-1', 'n:1:', 'n:1:x', 'x:1', 'n:1 ', 'n:12345', 'n:1:2:3']) {
      expect(decodeOptionCallback(bad), String(bad)).toBeNull();
    }
    expect(() => encodeOptionCallback(0, 1)).toThrow(RangeError);
  });
});

describe('telegramSecretMatches', () => {
  it('matches only the exact secret', () => {
    expect(telegramSecretMatches('s3cret', 's3cret')).toBe(true);
    expect(telegramSecretMatches('s3cret', 's3cres')).toBe(false);
    expect(telegramSecretMatches('s3cret', 's3cret-longer')).toBe(false);
    expect(telegramSecretMatches('s3cret', undefined)).toBe(false);
    expect(telegramSecretMatches('s3cret', '')).toBe(false);
    expect(telegramSecretMatches('s3cret', ['s3cret'])).toBe(false);
    expect(telegramSecretMatches(undefined, 'anything')).toBe(false);
    expect(telegramSecretMatches('', '')).toBe(false);
  });
});
