// Link rules of content:check: punctuation glued to a URL, http, a title naming another site
// than the URL's, and addresses written inside the text.
import { describe, expect, it } from 'vitest';
import { foldName, sitesNamedIn } from '../../src/content/links.ts';
import { loadContent } from '../../src/content/load.ts';
import { ALPHA, TODAY, contentWith, problemsOf } from './helpers.ts';

const SITES = [
  { name: 'Dịch vụ công quốc gia', domains: ['dichvucong.gov.vn'] },
  { name: 'Dịch vụ công Bộ Công an', domains: ['dichvucong.bocongan.gov.vn'] },
  { name: 'Bộ Công an', domains: ['bocongan.gov.vn'] },
  { name: 'VNeID', domains: ['vneid.gov.vn'] },
];

/** Alpha with its link's title and URL replaced. */
const withLink = (title: string, url: string) =>
  contentWith(ALPHA, (t) => t.replace('  - title: Cổng Dịch vụ công\n    url: https://dichvucong.gov.vn', `  - title: ${title}\n    url: ${url}`));

/** Alpha with a place (name, url) added before its links. */
const withPlace = (name: string, url: string) => contentWith(ALPHA, (t) => t.replace('links:\n', `where:\n  - name: ${name}\n    url: ${url}\nlinks:\n`));

describe('URLs ending in punctuation', () => {
  it('in a link, a step link and a source', async () => {
    const dir = contentWith(ALPHA, (t) =>
      t
        .replace('    url: https://dichvucong.gov.vn', '    url: https://dichvucong.gov.vn.')
        .replace('    link: https://dichvucong.gov.vn', '    link: https://dichvucong.gov.vn/thu-tuc)')
        .replace('  - https://dichvucong.gov.vn\nreviewed', '  - https://dichvucong.gov.vn/a,\nreviewed'),
    );
    const lines = await problemsOf(dir);
    expect(lines).toContain('guides/alpha-guide.yaml:18:5  warning: links.0.url: the URL ends with "." ("https://dichvucong.gov.vn."): drop it, or the link opens a wrong page');
    expect(lines).toContain('guides/alpha-guide.yaml:15:5  warning: steps.1.link: the URL ends with ")" ("https://dichvucong.gov.vn/thu-tuc)"): drop it, or the link opens a wrong page');
    expect(lines).toContain('guides/alpha-guide.yaml:20:5  warning: sources.0: the URL ends with "," ("https://dichvucong.gov.vn/a,"): drop it, or the link opens a wrong page');
    expect((await loadContent(dir, { today: TODAY })).bundle).toBeDefined();
  });

  it('written inside the text shown to citizens', async () => {
    const dir = contentWith(ALPHA, (t) =>
      t.replace('  - text: Bước thứ nhất.', '  - text: Bước thứ nhất.\n    detail: Xem tại https://vneid.gov.vn. Hoặc (https://dichvucong.gov.vn)'),
    );
    const lines = await problemsOf(dir);
    expect(lines).toContain('guides/alpha-guide.yaml:14:5  warning: steps.0.detail: "." right after https://vneid.gov.vn is read as part of the link by some apps: end the line with the address, or write the site\'s name instead');
    expect(lines).toContain('guides/alpha-guide.yaml:14:5  warning: steps.0.detail: ")" right after https://dichvucong.gov.vn is read as part of the link by some apps: end the line with the address, or write the site\'s name instead');
  });

  it('an address at the end of a line, or in a sample question, is fine', async () => {
    const dir = contentWith(ALPHA, (t) =>
      t.replace('  - text: Bước thứ nhất.', '  - text: Bước thứ nhất.\n    detail: Xem tại https://vneid.gov.vn').replace('  - alpha năm', '  - alpha năm https://vneid.gov.vn.'),
    );
    expect(await problemsOf(dir)).toEqual([]);
  });
});

describe('http links', () => {
  it('a place shown to citizens must use https; a source may not', async () => {
    const dir = withPlace('Trang hướng dẫn', 'http://dichvucong.gov.vn/huong-dan');
    const lines = await problemsOf(dir);
    expect(lines).toContain('guides/alpha-guide.yaml:18:5  error: where.0.url: link must use https ("http://dichvucong.gov.vn/huong-dan")');
    const source = contentWith(ALPHA, (t) => t.replace('  - https://dichvucong.gov.vn\nreviewed', '  - http://news.example.vn/bai-viet\nreviewed'));
    expect(await problemsOf(source)).toEqual([]);
  });

  it('http written inside the text is a warning', async () => {
    const dir = contentWith(ALPHA, (t) => t.replace('  - text: Bước thứ nhất.', '  - text: Bước thứ nhất.\n    detail: Xem tại http://vneid.gov.vn'));
    expect(await problemsOf(dir)).toEqual(['guides/alpha-guide.yaml:14:5  warning: steps.0.detail: http://vneid.gov.vn is not https']);
  });
});

describe('a title naming another site than its URL', () => {
  it('"Cổng Dịch vụ công Bộ Công an" on dichvucong.dancuquocgia.gov.vn', async () => {
    const dir = withLink('Cổng Dịch vụ công Bộ Công an', 'https://dichvucong.dancuquocgia.gov.vn');
    expect(await problemsOf(dir)).toEqual([
      'guides/alpha-guide.yaml:18:5  warning: links.0.url: "Cổng Dịch vụ công Bộ Công an" names "Dịch vụ công Bộ Công an" (dichvucong.bocongan.gov.vn) but the link goes to dichvucong.dancuquocgia.gov.vn: fix the title or the URL',
    ]);
  });

  it('a title naming VNeID on another domain, and a place named after VNeID', async () => {
    expect(await problemsOf(withLink('Cổng thông tin VNeID', 'https://dichvucong.gov.vn'))).toEqual([
      'guides/alpha-guide.yaml:18:5  warning: links.0.url: "Cổng thông tin VNeID" names "VNeID" (vneid.gov.vn) but the link goes to dichvucong.gov.vn: fix the title or the URL',
    ]);
    expect(await problemsOf(withPlace('Tự làm trên ứng dụng VNeID', 'https://dichvucong.gov.vn'))).toEqual([
      'guides/alpha-guide.yaml:18:5  warning: where.0.url: "Tự làm trên ứng dụng VNeID" names "VNeID" (vneid.gov.vn) but the link goes to dichvucong.gov.vn: fix the title or the URL',
    ]);
  });

  it('matching titles, sub-domains and titles naming no known site are fine', async () => {
    expect(await problemsOf(withLink('Cổng Dịch vụ công Bộ Công an', 'https://dichvucong.bocongan.gov.vn'))).toEqual([]);
    expect(await problemsOf(withLink('Cổng thông tin Bộ Công an', 'https://dichvucong.bocongan.gov.vn/a'))).toEqual([]);
    expect(await problemsOf(withLink('Trang của phường', 'https://ninhkieu.cantho.gov.vn'))).toEqual([]);
  });

  it('matches names without marks or case, as whole words, the longest name over one inside it', () => {
    expect(foldName('Cổng Dịch vụ công – Bộ Công an!')).toBe('cong dich vu cong bo cong an');
    expect(sitesNamedIn('CỔNG DỊCH VỤ CÔNG BỘ CÔNG AN', SITES).map((s) => s.name)).toEqual(['Dịch vụ công Bộ Công an']);
    expect(sitesNamedIn('Cổng thông tin VNeID (Bộ Công an)', SITES).map((s) => s.name)).toEqual(['Bộ Công an', 'VNeID']);
    expect(sitesNamedIn('Hướng dẫn vneidx', SITES)).toEqual([]);
  });
});
