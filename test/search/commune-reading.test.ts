// The commune finder on the repository's communes.yaml, class by class of wording that a first
// version missed on questions written blind: chat shorthand, question forms, where the qualifier
// stands, small words between kind and name, misspelt and Telex-typed names, English word order,
// marks that tell names apart, and the guards that keep ordinary questions silent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { communeNames, type CommuneFinder } from '../../src/core/communes.ts';
import { parseCommuneJsonl, scoreCommunes } from '../../src/search/commune-eval.ts';
import { buildCommuneFinder } from '../../src/search/communes.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let finder: CommuneFinder;
beforeAll(async () => {
  const r = await loadContent(join(ROOT, 'content'));
  finder = buildCommuneFinder(r.bundle!.communes!);
});

const names = (q: string) => communeNames(finder.find(q)).sort();
const cases = (rows: readonly (readonly [string, string | readonly string[]])[]) =>
  it.each(rows.map(([q, n]) => [q, typeof n === 'string' ? [n] : [...n].sort()] as const))('%s → %j', (q, n) => expect(names(q)).toEqual(n));

describe('chat shorthand and Southern speech in the question', () => {
  cases([
    ['phuong 2 vinh chau h ten gi', 'Vĩnh Châu'], // h = giờ
    ['phường 8 Sóc Trăng h là phường j', 'Sóc Trăng'], // j = gì
    ['Long Trị A thị xã Long Mỹ nhập dô phường nào rồi', 'Long Mỹ'], // dô = vô
    ['nhà tui ở phường 7 thành phố Sóc Trăng, giờ kêu là phường gì dợ', 'Sóc Trăng'],
    ['phường 1 thị xã vĩnh châu bi giờ là phường gì', 'Vĩnh Châu'], // bi giờ = bây giờ
    ['xa nhon nghia h nhap vo xa nao', 'Nhơn Ái'], // "h" before no name is "giờ", not "huyện"
  ]);
});

describe('question forms', () => {
  cases([
    ['nhà bà ngoại ở phường Phú Thứ quận Cái Răng, giờ ghi địa chỉ phường gì', 'Hưng Phú'], // now … which unit
    ['ở xã Ngọc Đông Mỹ Xuyên giờ làm giấy tờ ghi xã gì', 'Ngọc Tố'], // "giờ làm" is "now do", not opening hours
    ['xã Phú Tân Châu Thành Hậu Giang giờ ghi sao', 'Phú Hữu'], // now write how
    ['Tui ở Phú Tân, Châu Thành, Sóc Trăng. Giờ xã tui tên là gì', 'Thuận Hòa'],
    ['sau 1/7 xã Mỹ Khánh thành phường An Bình phải không?', 'An Bình'], // a check at the end
    ['phường 10 tp Sóc Trăng về phường Mỹ Xuyên hả?', 'Mỹ Xuyên'],
    ['Phường Trung Kiên giờ thế nào rồi ad', 'Thuận Hưng'], // a name, then now and how
    ['xa thanh my vinh thanh sau sap nhap', 'Vĩnh Thạnh'], // "now" last
    ['xã Hồ Đắc Kiện có thay đổi gì không', 'Hồ Đắc Kiện'],
    ['ủa xã Vĩnh Bình giờ mất tên rồi hả', 'Vĩnh Trinh'],
    ['phường An Hòa và phường Cái Khế giờ chung 1 phường hả', 'Cái Khế'],
    ['mình ở phường 1 Sóc Trăng, xin hỏi phường mới', 'Phú Lợi'],
    ['xã Trường Thắng sáp nhập rồi ghi xã nào', 'Thới Lai'],
    ['hồi xưa lên thị trấn Rạch Gòi làm khai sinh, giờ đi đâu làm', 'Thạnh Xuân'], // before, papers, where now
    ['xã An Thạnh mới là nhập mấy xã nào lại', 'An Thạnh'], // new → old
    ['phường Long Phú 1 ở đâu ra vậy, gộp từ mấy xã cũ', 'Long Phú 1'],
  ]);

  it('filing: "hồi xưa … làm khai sinh, giờ đi đâu làm" is flagged as filing', () => {
    expect(finder.find('hồi xưa lên thị trấn Rạch Gòi làm khai sinh, giờ đi đâu làm')).toMatchObject({ kind: 'former', filing: true });
  });
});

describe('where the qualifier stands', () => {
  cases([
    ['hồi đó đi làm giấy ở thị trấn Châu Thành bên Sóc Trăng, giờ phải tới xã nào', 'Phú Tâm'], // "bên" links
    ['xã Trường Long bên Phong Điền có bị nhập ko hay giữ nguyên dậy', 'Trường Long'],
    ['Sóc Trăng phường 3 cũ giờ là phường gì', 'Phú Lợi'], // before the numbered ward
    ['Ngã Năm phường 2 cũ giờ là phường nào', 'Ngã Năm'],
    ['Vinh Chau ward 1 now?', 'Vĩnh Châu'],
    ["I'm from Hung Phu ward in Cai Rang. After July 2025 what's my ward?", 'Hưng Phú'],
    ['Bùi Hữu Nghĩa cũ giờ thuộc phường Cái Khế hay Bình Thủy', ['Cái Khế', 'Bình Thủy']], // the second name is a guess
    ['phường 6 TPST giờ thuộc phường nào', 'Sóc Trăng'], // short form of the city
  ]);
});

describe('small words between the kind and the name', () => {
  cases([
    ['trước đây ở phường số 5 Sóc Trăng, nay ghi phường nào', 'Sóc Trăng'],
    ['phường thứ VII Vị Thanh nay là phường nào', 'Vị Thanh'],
    ['xa giai xuan cu nay la xa nao', 'Phong Điền'],
    ['phường bảy Sóc Trăng giờ là phường gì', 'Sóc Trăng'], // a number written as a word
  ]);

  it('"thì xã" is "then the commune", not "thị xã"', () => {
    expect(names('Cho tôi hỏi sau khi sắp xếp đơn vị hành chính thì xã Tân Phú Thạnh thuộc xã nào?')).toEqual(['Thạnh Xuân']);
  });

  it('"phường sau sáp nhập" is not ward 6', () => {
    expect(finder.find('phường sau sáp nhập tên gì').kind).toBe('none');
  });
});

describe('misspelt names', () => {
  cases([
    ['xã Mỹ Khán giờ thuộc phường nào', 'An Bình'], // one letter missing, after the kind word
    ['phuong tra non gio thuoc phuong nao', 'Thới An Đông'],
    ['xã Long Thạch Phụng Hiệp giờ là xã gì', 'Thạnh Hòa'],
    ['phường Châu Văn Liêmm giờ thuộc phường nào', 'Ô Môn'],
    ['xã MỹKhánh cũ giờ thuộc phường nào', 'An Bình'], // two syllables glued
    ['xã Mỹ Khánh huyện Phong Điềng giờ là phường gì', 'An Bình'], // the district too
    ['Tra Nog cu gio la phuong gi', 'Thới An Đông'], // bare, before "cũ"
    ['Traa Noc giờ thuộc phường nào', 'Thới An Đông'], // bare, in a commune question with no other name
  ]);

  it('another first letter is another name: "Tân Định" (Sài Gòn) is not "Tân Bình"', () => {
    expect(finder.find('phường Tân Định giờ thuộc phường nào').kind).toBe('unknown');
  });

  it('a word typed with marks is compared with its marks: "tốn tiền" is not "Tân Tiến"', () => {
    expect(finder.find('Nhà tôi ở huyện cũ giờ thành xã mới, sổ đỏ với giấy khai sinh vẫn ghi tên cũ, có phải đi đổi hết không, có tốn tiền không?').kind).toBe('none');
  });

  it('a bare misspelt name in an ordinary message is never read', () => {
    expect(finder.find('tra nog co ban banh mi ngon khong').kind).toBe('none');
  });
});

describe('Telex and VNI typing', () => {
  cases([
    ['xax myx khanhs giowf thuoocj phuwowngf naof', 'An Bình'],
    ['xax vij thawngs giowf laf xax gif', 'Vị Thủy'],
    ['phuong traf nocs cu gio thuoc dau', 'Thới An Đông'],
  ]);

  it('English words are not read as Telex ("as" is not "á")', () => {
    expect(names('Is An Binh ward the same as before?')).toEqual(['An Bình']);
  });
});

describe('English word order and wording', () => {
  cases([
    ['my grandma\'s address says xa Hoa Tu 1, My Xuyen. new commune name pls', 'Hòa Tú'],
    ['new commune for old Vinh Vien town, Long My district?', 'Vĩnh Viễn'],
    ['Where is Ward 7 of Soc Trang now?', 'Sóc Trăng'],
    ['Is Phong Nam commune merged?', 'Phong Nẫm'],
    ['After the reshuffle, what is Thoi Hoa ward called?', 'Ô Môn'],
    ['Post-merger name for Truong Lac ward, O Mon?', 'Phước Thới'],
    ['what used to make up Long Phu 1 ward?', 'Long Phú 1'],
    ['Tell me what Phu Loi ward was made from', 'Phú Lợi'],
    ['Which commune absorbed Tan Tien commune (Vi Thanh city)?', 'Hỏa Lựu'], // "commune Vi…": a name, not ward VI
    ['Hi, my family is in Thoi An Dong ward. Did it change in 2025?', 'Thới An Đông'],
    ['What happened to Tan Phu Thanh commune in Chau Thanh A?', 'Thạnh Xuân'],
  ]);

  it('a name written as a province is never the unit asked about', () => {
    expect(finder.find('what happened to Soc Trang province').kind).toBe('none');
  });
});

describe('marks tell same-folded names apart', () => {
  it('"Vĩnh Thạnh" is not xã Vĩnh Thành of Thạnh Trị; unmarked "Vinh Thanh" may be either', () => {
    const marked = finder.find('Hồi trước tui đóng thuế ở Vĩnh Thạnh, giờ đóng ở đâu');
    expect(marked).toMatchObject({ kind: 'district', filing: true });
    expect(communeNames(marked)).not.toContain('Vĩnh Lợi');
    expect(communeNames(finder.find('hoi truoc tui dong thue o Vinh Thanh, gio dong o dau'))).toContain('Vĩnh Lợi');
  });

  it('a Roman numeral typed is a ward numbered so: "phường IV" is Vị Thanh\'s, "phường 4" may be either town\'s', () => {
    expect(names('phường IV cũ giờ là phường gì')).toEqual(['Vị Tân']);
    expect(names('phường 4 cũ giờ là phường gì')).toEqual(['Phú Lợi', 'Vị Tân']);
  });

  it('"Thạnh Hòa" typed with marks is the commune, not the province Thanh Hóa', () => {
    expect(names('Thạnh Hòa cũ giờ thuộc đâu')).toEqual(['Thạnh Hòa', 'Trung Nhứt']);
  });
});

describe('a bare district name', () => {
  it('asked as one unit, it is the town that was its seat and had its name', () => {
    expect(finder.find('Kế Sách cũ giờ là xã gì')).toMatchObject({ kind: 'former', match: { former: { kind: 'thị trấn' }, unit: { name: 'Kế Sách' } } });
  });

  it('asked for several units, or where to file, it stays the district', () => {
    expect(finder.find('hồi trước nộp ở Thới Lai giờ nộp ở đâu').kind).toBe('district');
    expect(finder.find('Vị Thanh cũ giờ thuộc phường nào').kind).toBe('district'); // no town had the city's name
  });

  it('a name two districts had, only one of them with such a town, asks', () => {
    expect(finder.find('Châu Thành cũ giờ là xã gì').kind).toBe('district');
  });
});

describe('silence on questions about a service or an office in a named place', () => {
  it.each([
    'làm căn cước ở Ninh Kiều giờ thế nào',
    'đăng ký khai sinh ở phường Cái Khế giờ thế nào',
    'UBND phường Cái Răng bây giờ ở đâu',
    'bộ phận một cửa phường Ninh Kiều sau sáp nhập ở đâu',
    'công an phường Bình Thủy giờ ở chỗ nào',
    'mất căn cước ở Ninh Kiều giờ sao',
    'What documents do I need for birth registration in Phong Dien commune now?',
    'xin giấy xác nhận cư trú ở phường Thới An Đông giờ ra sao',
    'I used to hand in documents at the Binh Thuy district office. Where do I go in person now that districts are gone?',
  ])('%j', (q) => expect(finder.find(q)).toEqual({ kind: 'none' }));
});

describe('question sets', () => {
  const score = (file: string) => scoreCommunes(finder, parseCommuneJsonl(readFileSync(join(ROOT, file), 'utf8')));

  it('the 80 questions written blind for the first version (communes-fresh-r1) are all right', () => {
    const r = score('test/fixtures/eval/communes-fresh-r1.jsonl');
    expect(r.total).toBe(80);
    expect(r.misses).toEqual([]);
  });

  it('the development probes (communes-probes.jsonl) are all right', () => {
    const r = score('test/fixtures/eval/communes-probes.jsonl');
    expect(r.total).toBeGreaterThanOrEqual(330);
    expect(r.misses).toEqual([]);
  });
});
