import { describe, expect, it } from 'vitest';
import { buildGuideIndex } from '../../src/search/index.ts';
import { decodeTelex, decodeVni } from '../../src/search/telex.ts';
import { TINY } from './tiny-content.ts';

describe('Telex and VNI leftovers', () => {
  it('decodes Telex tone and vowel keys', () => {
    expect(decodeTelex('kichs')).toBe('kích');
    expect(decodeTelex('hoatj')).toBe('hoạt');
    expect(decodeTelex('dduowngf')).toBe('đường');
    expect(decodeTelex('tooi')).toBe('tôi');
    expect(decodeTelex('ddawng')).toBe('đăng');
    expect(decodeTelex('vneid')).toBeUndefined();
  });

  it('decodes VNI digits', () => {
    expect(decodeVni('kich1')).toBe('kích');
    expect(decodeVni('hoat5')).toBe('hoạt');
    expect(decodeVni('d9a8ng')).toBe('đăng');
    expect(decodeVni('ca6n2')).toBe('cần');
    expect(decodeVni('ct07')).toBeUndefined(); // a code, not VNI
    expect(decodeVni('14')).toBeUndefined();
  });

  it('repairs a word only when the repaired word is in the content vocabulary', () => {
    const index = buildGuideIndex(TINY);
    expect(index.explain('kichs hoatj vneid').query.normalized).toBe('kich hoat vneid');
    expect(index.explain('kich1 hoat5 vneid').query.normalized).toBe('kich hoat vneid');
    expect(index.search('kichs hoatj vneid').guides[0]?.id).toBe('vneid-activate');
    // "banhs" would decode to "bánh": not a word of these guides, so it stays as typed
    expect(index.explain('banhs vneid').query.normalized).toBe('banhs vneid');
    // a known word is never "repaired" ("xe" stays "xe", not a Telex "x" tone)
    expect(index.explain('kich hoat vneid').query.normalized).toBe('kich hoat vneid');
  });
});
