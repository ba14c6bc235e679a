// Replies to commune questions, in Vietnamese and English, from the real content.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommuneAnswer, CommuneFinder } from '../../src/core/communes.ts';
import type { ContentBundle } from '../../src/core/content.ts';
import { decodeAction, encodeAction } from '../../src/core/dialogue/actions.ts';
import { communeView, WHERE_TO_SUBMIT_GUIDE } from '../../src/core/dialogue/communes-view.ts';
import type { Reply } from '../../src/core/dialogue/views.ts';
import type { Lang } from '../../src/core/types.ts';
import { realSnapshot } from '../support/test-content.ts';

let content: ContentBundle;
let finder: CommuneFinder;
beforeAll(async () => {
  const s = await realSnapshot();
  content = s.content;
  finder = s.communes!;
});

function reply(q: string | CommuneAnswer, lang: Lang = 'vi'): Reply {
  const answer = typeof q === 'string' ? finder.find(q) : q;
  const r = communeView({ content, lang, ttlDays: 30 }, answer);
  if (!r) throw new Error(`no reply for ${JSON.stringify(q)}`);
  return r;
}
const actions = (r: Reply) => (r.options ?? []).map((o) => encodeAction(o.action));

describe('commune views', () => {
  it('a former unit (vi): the new unit, what it was formed from, the seat with its caveat, filing anywhere, the guide', () => {
    const r = reply('phường An Hòa quận Ninh Kiều giờ là phường gì');
    expect(r.text).toMatch(/^Phường An Hòa \(quận Ninh Kiều\) cũ nay thuộc phường Cái Khế\./);
    expect(r.text).toContain('Phường Cái Khế (mới) được thành lập từ:\n• phường An Hòa (quận Ninh Kiều)\n• phường Cái Khế (quận Ninh Kiều)\n• một phần phường Bùi Hữu Nghĩa (quận Bình Thủy)');
    expect(r.text).toContain('Trụ sở: trụ sở UBND phường An Hòa. (Theo báo chí; nghị quyết không nêu trụ sở');
    expect(r.text).toContain('bất kỳ xã, phường nào trong thành phố Cần Thơ');
    expect(actions(r)).toEqual([`g:${WHERE_TO_SUBMIT_GUIDE}`, 'menu']);
    expect(r.links?.[0]?.url).toMatch(/^https:\/\//);
  });

  it('a former unit (en), and no seat line where the data gives none', () => {
    const r = reply('which ward is the old Hung Loi ward now?', 'en');
    expect(r.text).toMatch(/^The former Hưng Lợi ward \(Ninh Kiều district\) is now part of Tân An ward\./);
    expect(r.text).toContain('The new Tân An ward was formed from:\n• An Khánh ward (Ninh Kiều district)');
    expect(r.text).toContain('From press reports; the resolution names no seats');
    expect(r.text).toContain('any commune or ward in Cần Thơ city');
    expect(reply('phường Cái Răng mới gồm những phường nào').text).not.toContain('Trụ sở');
  });

  it('a new unit and an unchanged one', () => {
    expect(reply('what was the new Phu Loi ward formed from', 'en').text).toMatch(/^The new Phú Lợi ward was formed from:\n• ward 1 \(Sóc Trăng city\)/);
    expect(reply('xã Trường Long cũ giờ thuộc xã nào').text).toMatch(/^Xã Trường Long không sắp xếp lại từ 1\/7\/2025: giữ nguyên tên và địa giới \(trước thuộc huyện Phong Điền\)\./);
  });

  it('filing first when the citizen asked where to file; a district lists its new units as options', () => {
    const r = reply('hồi trước nộp hồ sơ ở huyện Phong Điền, giờ nộp ở đâu');
    expect(r.text).toMatch(/^Phần lớn thủ tục nộp được tại Trung tâm Phục vụ hành chính công của bất kỳ xã, phường nào/);
    expect(r.text).toContain('Huyện Phong Điền cũ không còn');
    expect(r.text).toContain('• xã Phong Điền: thị trấn Phong Điền, xã Tân Thới, xã Giai Xuân');
    expect(r.text).toContain('• xã Trường Long: giữ nguyên, không sắp xếp lại');
    expect(actions(r)).toEqual(['cm:phuong-an-binh', 'cm:xa-phong-dien', 'cm:xa-nhon-ai', 'cm:xa-truong-long', `g:${WHERE_TO_SUBMIT_GUIDE}`, 'menu']);
  });

  it('an ambiguous name asks which, each candidate with its former district; picking one answers it', () => {
    const r = reply('xã Phú Hữu cũ giờ thuộc xã nào', 'en');
    expect(r.text).toContain('Several former units were called "Phú Hữu":');
    expect(r.text).toContain('• Phú Hữu commune (Long Phú district) → Trường Khánh commune');
    const labels = (r.options ?? []).map((o) => o.label);
    expect(labels[0]).toBe('Phú Hữu commune (Châu Thành district, Hậu Giang) → Phú Hữu commune');
    const picked = decodeAction(actions(r)[1]!);
    expect(picked).toEqual({ type: 'commune', unitId: 'xa-truong-khanh', index: 1 });
    if (picked?.type !== 'commune') throw new Error('not a commune action');
    expect(reply(finder.pick(picked.unitId, picked.index)!, 'en').text).toMatch(/^The former Phú Hữu commune \(Long Phú district\) is now part of Trường Khánh commune\./);
  });

  it('a split ward says which part went where', () => {
    const r = reply('Long Tuyền cũ giờ là phường gì');
    expect(r.text).toMatch(/^Phường Long Tuyền \(quận Bình Thủy\) cũ được chia cho nhiều đơn vị mới:/);
    expect(r.text).toContain('• phần còn lại của phường Long Tuyền (quận Bình Thủy) → phường Long Tuyền');
    expect(reply(finder.pick('phuong-an-binh', 2)!).text).toMatch(/^Một phần phường Long Tuyền \(quận Bình Thủy\) cũ nay thuộc phường An Bình\./);
  });

  it('outside Cần Thơ, unknown names, and no reply for other questions', () => {
    expect(reply('xã Long Hưng huyện Châu Thành tỉnh Tiền Giang cũ giờ thuộc xã nào').text).toContain('"Tiền Giang" không thuộc phạm vi này');
    expect(reply('which ward is Ben Nghe ward in Ho Chi Minh City now', 'en').text).toContain('is outside it');
    const unknown = reply('phường Tân Định giờ thuộc phường nào');
    expect(unknown.text).toContain('Mình không tìm thấy "phường Tân Định"');
    expect(actions(unknown)).toEqual(['menu', 'handoff']);
    expect(communeView({ content, lang: 'vi', ttlDays: 30 }, { kind: 'none' })).toBeUndefined();
  });

  it('English replies put place text in English: the seat, and the kind of a place unknown or outside', () => {
    expect(reply('which ward did Tra An ward merge into', 'en').text).toContain("Seat: the People's Committee office of the former Thới An Đông ward.");
    expect(reply('xã Định Môn giờ thuộc xã nào', 'en').text).toMatch(/Seat: the People's Committee office of the former Định Môn commune \(planned, 8\/6\/2025\)\./);
    expect(reply('xã Định Môn giờ thuộc xã nào').text).toContain('Trụ sở: trụ sở UBND xã Định Môn (dự kiến, 8/6/2025).');
    expect(reply('phường Tân Định giờ thuộc phường nào', 'en').text).toContain('I cannot find "Tân Định ward"');
    expect(reply('phường 15 quận Bình Thạnh giờ là phường gì', 'en').text).toContain('"Bình Thạnh district" is outside it');
  });

  it('a name two former districts had: each new unit says its former province', () => {
    const r = reply('huyện Châu Thành cũ giờ gồm những xã nào');
    expect(r.text).toContain('• xã Phú Hữu (Hậu Giang): xã Phú Tân, xã Đông Phước, xã Phú Hữu');
    expect(r.text).toContain('• xã Thuận Hòa (Sóc Trăng): xã Thuận Hòa, xã Phú Tân');
    expect((r.options ?? []).map((o) => o.label)).toContain('Xã Phú Tâm (Sóc Trăng)');
    expect(reply('hồi trước nộp hồ sơ ở huyện Phong Điền, giờ nộp ở đâu').text).not.toContain('(Cần Thơ)');
  });

  it('every commune message exists in both languages', () => {
    const vi = Object.keys(content.messages.vi).filter((k) => k.startsWith('commune.'));
    expect(vi.length).toBeGreaterThan(20);
    expect(Object.keys(content.messages.en).filter((k) => k.startsWith('commune.'))).toEqual(vi);
  });
});
