// communes.yaml: schema, positioned problems, and a broken file never taking the guides down.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentManager } from '../../src/content/manager.ts';
import { loadContent } from '../../src/content/load.ts';
import { formatProblem } from '../../src/content/problems.ts';
import { communeId, parseFormerUnit } from '../../src/core/communes.ts';
import { silentLogger } from '../../src/core/ports.ts';
import { buildGuideIndex } from '../../src/search/index.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'content-min');
const CONTENT = join(import.meta.dirname, '..', '..', 'content');
const TODAY = new Date('2026-11-27T00:00:00Z');
const SRC = 'https://example.gov.vn/nq-1668';

const VALID = `# two units
- name: Cái Khế
  kind: phường
  former_province: Cần Thơ
  formed_from:
  - phường An Hòa (quận Ninh Kiều)
  - một phần phường Bùi Hữu Nghĩa (quận Bình Thủy)
  seat: trụ sở UBND phường An Hòa
  sources: [${SRC}]
  confirmed: true
- name: Trường Long
  kind: xã
  former_province: Cần Thơ
  unchanged: true
  former_district: huyện Phong Điền
  formed_from: []
  sources: [${SRC}]
  confirmed: true
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The minimal content with `communes` as communes.yaml (none when undefined). */
function contentWith(communes: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'communes-'));
  dirs.push(dir);
  cpSync(FIXTURE, dir, { recursive: true });
  if (communes !== undefined) writeFileSync(join(dir, 'communes.yaml'), communes);
  return dir;
}

async function load(dir: string) {
  const r = await loadContent(dir, { today: TODAY });
  const problems = r.problems.map((p) => formatProblem({ ...p, file: relative(dir, p.file.startsWith('/') ? p.file : join(process.cwd(), p.file)) }));
  return { ...r, problems };
}

describe('communes.yaml', () => {
  it('the repository data loads: 103 units, 31 phường and 72 xã, no problems', async () => {
    const r = await loadContent(CONTENT);
    expect(r.problems.filter((p) => p.file.endsWith('communes.yaml'))).toEqual([]);
    const units = r.bundle?.communes ?? [];
    expect(units).toHaveLength(103);
    expect(units.filter((u) => u.kind === 'phường')).toHaveLength(31);
    expect(units.filter((u) => u.unchanged).map((u) => u.formerDistrict?.label)).not.toContain(undefined);
    expect(r.files).toContain('communes.yaml');
  });

  it('a valid file is parsed: predecessors with their district and share, ids for buttons', async () => {
    const r = await load(contentWith(VALID));
    expect(r.problems).toEqual([]);
    const [caiKhe, truongLong] = r.bundle!.communes!;
    expect(caiKhe!.id).toBe('phuong-cai-khe');
    expect(caiKhe!.formedFrom[1]).toMatchObject({ kind: 'phường', name: 'Bùi Hữu Nghĩa', share: 'part', district: { kind: 'quận', name: 'Bình Thủy' } });
    expect(truongLong).toMatchObject({ unchanged: true, formedFrom: [], formerDistrict: { kind: 'huyện', name: 'Phong Điền' } });
  });

  it('a missing file is fine: no communes, no problem', async () => {
    const r = await load(contentWith(undefined));
    expect(r.problems).toEqual([]);
    expect(r.bundle).toBeDefined();
    expect(r.bundle!.communes).toBeUndefined();
    expect(r.files).not.toContain('communes.yaml');
  });

  it('a malformed predecessor is reported at its line; the guides still load, without communes', async () => {
    const r = await load(contentWith(VALID.replace('- phường An Hòa (quận Ninh Kiều)', '- phường An Hòa, quận Ninh Kiều')));
    expect(r.problems).toEqual([expect.stringMatching(/^communes\.yaml:6:5  error: 0\.formed_from\.0: must read "<phường\|xã\|thị trấn> <name> \(/)]);
    expect(r.bundle?.guideList.map((g) => g.id)).toEqual(['alpha-guide', 'beta-guide']);
    expect(r.bundle?.communes).toBeUndefined();
  });

  it('a YAML syntax error is reported with its line and never takes the guides down', async () => {
    const r = await load(contentWith(VALID.replace('  kind: xã', '  kind: [xã')));
    expect(r.problems[0]).toMatch(/^communes\.yaml:1[3-9]:\d+  error: YAML syntax: /);
    expect(r.bundle?.guideList).toHaveLength(2);
  });

  it('rules: unknown field, unchanged with predecessors, a unit listed twice, a whole unit under two units', async () => {
    const typo = await load(contentWith(VALID.replace('  seat:', '  seats:')));
    expect(typo.problems).toContain('communes.yaml:8:3  error: 0: unknown field(s) seats');
    const unchanged = await load(contentWith(VALID.replace('  formed_from: []', '  formed_from:\n  - xã Nhơn Ái (huyện Phong Điền)')));
    expect(unchanged.problems).toContain('communes.yaml:16:3  error: 1.formed_from: an unchanged unit has no predecessors (leave formed_from empty)');
    const twice = await load(contentWith(VALID.replace('- name: Trường Long', '- name: Cái Khế').replace('  kind: xã', '  kind: phường')));
    expect(twice.problems).toContain('communes.yaml:11:3  error: 1.name: "phường Cái Khế" is listed twice (first at item 1)');
    const whole = await load(contentWith(`${VALID}- name: Ninh Kiều\n  kind: phường\n  former_province: Cần Thơ\n  formed_from:\n  - phường An Hòa (quận Ninh Kiều)\n  sources: [${SRC}]\n  confirmed: true\n`));
    expect(whole.problems).toContain(
      'communes.yaml:23:5  error: 2.formed_from.0: "phường An Hòa (quận Ninh Kiều)" is already under item 1 (a split unit is written "một phần …" / "phần còn lại của …")',
    );
  });

  it('an unchanged unit without former_district is a warning (it cannot be told from same-name units)', async () => {
    const r = await load(contentWith(VALID.replace('  former_district: huyện Phong Điền\n', '')));
    expect(r.problems).toEqual([expect.stringMatching(/^communes\.yaml:14:3  warning: 1\.unchanged: unchanged unit "Trường Long" has no former_district/)]);
    expect(r.bundle?.communes).toHaveLength(2);
  });

  it('the content manager serves the guides when communes.yaml is broken, and the finder when it is not', async () => {
    const broken = new ContentManager(contentWith('- name: [oops'), (b) => buildGuideIndex(b), silentLogger);
    const outcome = await broken.reload();
    expect(outcome.ok).toBe(true);
    expect(outcome.problems.some((p) => p.severity === 'error' && p.file.endsWith('communes.yaml'))).toBe(true);
    expect(broken.current().content.guideList).toHaveLength(2);
    expect(broken.current().communes).toBeUndefined();
    const good = new ContentManager(contentWith(VALID), (b) => buildGuideIndex(b), silentLogger);
    await good.reload();
    expect(good.current().communes?.find('phường An Hòa cũ giờ thuộc phường nào')).toMatchObject({ kind: 'former', match: { unit: { name: 'Cái Khế' } } });
  });

  it('parses predecessors as written, and ids fold the name', () => {
    expect(parseFormerUnit('phần còn lại của phường Thốt Nốt (quận Thốt Nốt)')).toMatchObject({ share: 'rest', name: 'Thốt Nốt' });
    expect(parseFormerUnit('xã Phú Tân (huyện Châu Thành, Sóc Trăng)')?.district).toEqual({ kind: 'huyện', name: 'Châu Thành', province: 'Sóc Trăng', label: 'huyện Châu Thành, Sóc Trăng' });
    expect(parseFormerUnit('ấp 3 (huyện X)')).toBeUndefined();
    expect(communeId('xã', 'Vĩnh Thuận Đông')).toBe('xa-vinh-thuan-dong');
    expect(communeId('phường', 'Long Phú 1')).toBe('phuong-long-phu-1');
  });
});
