import { describe, expect, it } from 'vitest';
import { renderForChannel, splitText, clipLabel } from '../../src/core/render.ts';
import { BUTTON_CAPS, TEXT_CAPS } from '../support/recording-channel.ts';

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('xin chào', 100)).toEqual(['xin chào']);
  });
  it('splits at paragraph boundaries first, every chunk within the limit, nothing lost', () => {
    const paras = Array.from({ length: 30 }, (_, i) => `Đoạn ${i + 1}: ${'chữ '.repeat(40).trim()}`);
    const text = paras.join('\n\n');
    const chunks = splitText(text, 500);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(500);
    for (const c of chunks) expect(c.startsWith('Đoạn ')).toBe(true);
    expect(chunks.join('\n\n')).toBe(text);
  });
  it('falls back to lines, then words, and only cuts a word longer than the limit', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `dòng ${i}`).join('\n');
    for (const c of splitText(lines, 40)) expect(c.length).toBeLessThanOrEqual(40);
    const long = 'a'.repeat(95);
    expect(splitText(long, 40)).toEqual(['a'.repeat(40), 'a'.repeat(40), 'a'.repeat(15)]);
  });
  it('never splits a surrogate pair (emoji)', () => {
    const text = '😀'.repeat(30);
    const chunks = splitText(text, 7);
    for (const c of chunks) expect(c).not.toMatch(/[\ud800-\udbff]$/);
    expect(chunks.join('')).toBe(text);
  });
  it('clips labels with an ellipsis', () => {
    expect(clipLabel('Xem tất cả các bước', 8)).toBe('Xem tất…');
  });
});

describe('renderForChannel', () => {
  const msg = {
    text: 'Ý bạn là:',
    buttons: [
      { kind: 'option' as const, label: 'Cấp căn cước', index: 1 },
      { kind: 'option' as const, label: 'Căn cước cho trẻ em', index: 2 },
      { kind: 'url' as const, label: 'Trang chính thức', url: 'https://dichvucong.gov.vn' },
    ],
    menuSeq: 7,
  };
  it('keeps native buttons where the channel has them', () => {
    const [r] = renderForChannel(msg, BUTTON_CAPS, { typeNumber: 'Gõ số để chọn.' });
    expect(r!.text).toBe('Ý bạn là:');
    expect(r!.buttons).toHaveLength(3);
    expect(r!.menuSeq).toBe(7);
  });
  it('turns options into a numbered menu and links into text on a text-only channel', () => {
    const [r] = renderForChannel(msg, TEXT_CAPS, { typeNumber: 'Gõ số để chọn.' });
    expect(r!.text).toBe('Ý bạn là:\n\n1. Cấp căn cước\n2. Căn cước cho trẻ em\nGõ số để chọn.\n\n🔗 Trang chính thức: https://dichvucong.gov.vn');
    expect(r!.buttons).toEqual([]);
  });
  it('falls back to the numbered menu when there are more buttons than the channel allows', () => {
    const [r] = renderForChannel(msg, { ...BUTTON_CAPS, maxButtons: 2 }, { typeNumber: 'Gõ số.' });
    expect(r!.text).toContain('1. Cấp căn cước');
  });
  it('puts buttons only on the last chunk of a long message', () => {
    const long = { ...msg, text: 'x '.repeat(3000) };
    const chunks = renderForChannel(long, BUTTON_CAPS, { typeNumber: '' });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.slice(0, -1).every((c) => c.buttons.length === 0)).toBe(true);
    expect(chunks.at(-1)!.buttons).toHaveLength(3);
  });
});
