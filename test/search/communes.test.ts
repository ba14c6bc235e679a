// The commune finder on the repository's communes.yaml: each kind of question, ambiguity,
// numbered wards, places outside Cần Thơ, and silence on ordinary questions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { communeNames, type CommuneAnswer, type CommuneFinder } from '../../src/core/communes.ts';
import { communeFires, parseCommuneJsonl, scoreCommunes } from '../../src/search/commune-eval.ts';
import { buildCommuneFinder, COMMUNE_QUERY_MAX_CHARS } from '../../src/search/communes.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let finder: CommuneFinder;
beforeAll(async () => {
  const r = await loadContent(join(ROOT, 'content'));
  finder = buildCommuneFinder(r.bundle!.communes!);
});

const names = (q: string) => communeNames(finder.find(q));
const kind = (q: string) => finder.find(q).kind;

describe('a former unit: which new unit is it in now?', () => {
  it.each([
    ['phường Hưng Lợi quận Ninh Kiều giờ thuộc phường nào', 'Tân An'],
    ['xa my khanh huyen phong dien gio la phuong gi', 'An Bình'],
    ['nhà tui hồi trước ở phường Châu Văn Liêm, giờ kêu là phường gì dzậy', 'Ô Môn'],
    ['thị trấn Nàng Mau giờ nhập vô xã nào vậy', 'Vị Thủy'],
    ['Trà Nóc cũ?', 'Thới An Đông'],
    ['which ward is the old Tra Noc ward now?', 'Thới An Đông'],
    ['I used to live in Hung Loi ward, Ninh Kieu district. What is the new ward?', 'Tân An'],
    ['xã Thới Hưng giờ có sáp nhập không', 'Thới Hưng'],
  ])('%s → %s', (q, name) => {
    expect(names(q)).toEqual([name]);
    expect(kind(q)).toBe('former');
  });

  it('numbered wards: Roman or Arabic, "P.3", "F4", "phuong 3", told apart by their town', () => {
    expect(names('phường VII Vị Thanh')).toEqual(['Vị Thanh']);
    expect(names('phuong 7 vi thanh cu gio thuoc phuong nao')).toEqual(['Vị Thanh']);
    expect(names('P.3 Sóc Trăng giờ là phường gì')).toEqual(['Phú Lợi']);
    expect(names('F4 TP Soc Trang truoc sap nhap gio la phuong nao vay')).toEqual(['Phú Lợi']);
    expect(names('phường 2 thị xã Vĩnh Châu bây giờ là phường gì')).toEqual(['Vĩnh Châu']);
    expect(names('which ward is ward 5 of Soc Trang city now')).toEqual(['Sóc Trăng']);
  });

  it('the former district or province tells same-name units apart', () => {
    expect(names('xã Phú Hữu huyện Long Phú cũ giờ là xã gì')).toEqual(['Trường Khánh']);
    expect(names('xa phu tan chau thanh soc trang gio thuoc xa nao')).toEqual(['Thuận Hòa']);
    expect(names('xã Thạnh Phú huyện Mỹ Xuyên giờ là xã nào')).toEqual(['Nhu Gia']);
    expect(names('phường Hưng Phú cũ giờ thuộc phường nào')).toEqual(['Hưng Phú']); // the kind word decides
  });
});

describe('ambiguous names ask back, with each candidate and its former district', () => {
  it('same name in two districts or provinces', () => {
    const a = finder.find('xã Phú Hữu cũ giờ thuộc xã nào') as Extract<CommuneAnswer, { kind: 'choose' }>;
    expect(a.kind).toBe('choose');
    expect(a.split).toBe(false);
    expect(a.candidates.map((c) => `${c.former.label} → ${c.unit.name}`)).toEqual([
      'xã Phú Hữu (huyện Châu Thành, Hậu Giang) → Phú Hữu',
      'xã Phú Hữu (huyện Long Phú) → Trường Khánh',
    ]);
    expect(names('phuong 1 gio thuoc phuong nao').sort()).toEqual(['Ngã Năm', 'Phú Lợi', 'Vị Thanh', 'Vĩnh Châu'].sort());
    expect(names('Thạnh An huyện Vĩnh Thạnh giờ thuộc xã nào').sort()).toEqual(['Thạnh An', 'Thạnh Quới']);
  });

  it('a split ward: which part?', () => {
    const a = finder.find('phường Bùi Hữu Nghĩa cũ giờ về phường nào') as Extract<CommuneAnswer, { kind: 'choose' }>;
    expect(a).toMatchObject({ kind: 'choose', split: true });
    expect(a.candidates.map((c) => [c.former.share, c.unit.name])).toEqual([['part', 'Cái Khế'], ['rest', 'Bình Thủy']]);
  });

  it('an option picks one candidate again (the commune action)', () => {
    const a = finder.find('xã Phú Tân cũ giờ thuộc đâu') as Extract<CommuneAnswer, { kind: 'choose' }>;
    const c = a.candidates[1]!;
    expect(finder.pick(c.unit.id, c.index)).toMatchObject({ kind: 'former', match: { former: { label: c.former.label }, unit: { name: 'Thuận Hòa' } } });
    expect(finder.pick(c.unit.id)).toMatchObject({ kind: 'unit', unit: { name: 'Thuận Hòa' } });
    expect(finder.pick('xa-khong-co')).toBeUndefined();
  });
});

describe('a new unit: what was it formed from?', () => {
  it.each([
    ['phường Cái Răng mới gồm mấy phường cũ nào', 'Cái Răng'],
    ['xã Vị Thủy mới sáp nhập từ những xã nào', 'Vị Thủy'],
    ['what was the new Phu Loi ward formed from', 'Phú Lợi'],
  ])('%s → %s', (q, name) => {
    const a = finder.find(q);
    expect(a.kind).toBe('unit');
    expect(communeNames(a)).toEqual([name]);
  });

  it('"cũ" or "mới" decides between a former unit and the new one of the same name', () => {
    expect(names('xã Vị Thủy cũ giờ thuộc xã nào')).toEqual(['Vĩnh Thuận Đông']);
    expect(names('xã Đông Phước cũ giờ là xã gì')).toEqual(['Phú Hữu']);
    expect(finder.find('xã Đông Phước bây giờ gồm những xã nào')).toMatchObject({ kind: 'unit', unit: { name: 'Đông Phước' } });
  });
});

describe('filing: "I used to file at the district, where now?"', () => {
  it('a former district: the new units that took its communes, and the filing flag', () => {
    const a = finder.find('hồi trước nộp hồ sơ ở huyện Phong Điền, giờ nộp ở đâu');
    expect(a).toMatchObject({ kind: 'district', filing: true, district: { label: 'huyện Phong Điền' } });
    expect(communeNames(a).sort()).toEqual(['An Bình', 'Nhơn Ái', 'Phong Điền', 'Trường Long']);
  });

  it('a former township: its new unit', () => {
    expect(finder.find('trước đây nộp ở thị trấn Cái Tắc giờ nộp chỗ nào')).toMatchObject({ kind: 'former', filing: true, match: { unit: { name: 'Đông Phước' } } });
  });

  it('a bare city name gives the district, and same-name units elsewhere', () => {
    const a = finder.find('Vị Thanh cũ giờ thuộc phường nào');
    expect(a.kind).toBe('district');
    expect(communeNames(a)).toEqual(['Vị Thanh', 'Vị Tân', 'Hỏa Lựu', 'Vị Thanh 1']);
  });
});

describe('places outside Cần Thơ, and names the data does not have', () => {
  it.each([
    ['xã Tân Phú Trung huyện Châu Thành tỉnh Đồng Tháp giờ thuộc xã nào', 'outside'],
    ['phường An Khánh thành phố Thủ Đức giờ là phường gì', 'outside'],
    ['phường Bến Nghé quận 1 TPHCM giờ là phường gì', 'outside'],
    ['phường 15 quận 8 giờ là phường gì', 'outside'],
    ['which ward is Ben Nghe ward in Ho Chi Minh City now', 'outside'],
    ['phường Tân Định giờ thuộc phường nào', 'unknown'],
  ])('%s → %s', (q, k) => {
    expect(kind(q)).toBe(k);
    expect(names(q)).toEqual([]);
  });
});

describe('silence on ordinary questions', () => {
  it.each([
    'đk tạm trú cho em gái đi học ở Ninh Kiều',
    'trung tâm hành chính công ở Ô Môn còn nhận hồ sơ không',
    'sáp nhập xong giấy khai sinh có phải làm lại không',
    'làm căn cước ở Ô Môn mấy giờ mở cửa',
    'phường Cái Khế giờ mở cửa mấy giờ',
    'nhà tôi ở phường An Khánh cũ, giờ làm giấy khai sinh ở đâu',
    'what changed after Can Tho merged with Soc Trang and Hau Giang',
    'how do I register temporary residence in Ninh Kieu',
    'Tôi ở bên Sóc Trăng cũ, muốn nộp hồ sơ gần chỗ làm, nộp ở chỗ nào?',
    '',
  ])('%j', (q) => expect(finder.find(q)).toEqual({ kind: 'none' }));

  it('an over-long message is not read', () => {
    expect(kind(`phường Trà Nóc cũ giờ thuộc phường nào ${'a'.repeat(COMMUNE_QUERY_MAX_CHARS)}`)).toBe('none');
  });

  it('on the project question set it answers only the two real commune questions', () => {
    const lines = readFileSync(join(ROOT, 'test/fixtures/eval/questions.jsonl'), 'utf8').split('\n').filter(Boolean);
    const fires = communeFires(finder, lines.map((l) => (JSON.parse(l) as { q: string }).q));
    expect(lines).toHaveLength(1315);
    expect(fires.map((f) => f.q)).toEqual(['xa toi truoc thuoc huyen chau thanh hau giang, gio doi ten thanh gi', 'cai khe gio thuoc phuong nao']);
  });

  it('the project commune set is all right', () => {
    const report = scoreCommunes(finder, parseCommuneJsonl(readFileSync(join(ROOT, 'test/fixtures/eval/communes.jsonl'), 'utf8')));
    expect(report.total).toBeGreaterThanOrEqual(40);
    expect(report.misses).toEqual([]);
  });
});
