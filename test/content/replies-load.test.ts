// replies.yaml (staff's canned replies): schema and cross-file problems at their line, a
// broken file never taking the guides down, and content:check failing on it.
import { describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.ts';
import { loadContent } from '../../src/content/load.ts';
import { ROOT, TODAY, contentWithEdits, lineOf } from './helpers.ts';
import { join } from 'node:path';

const GOOD = `replies:
  - id: chao
    title: Chào hỏi
    text:
      vi: "Chào anh/chị"
      en: "Hello"
  - id: xem-huong-dan
    title: Gửi hướng dẫn
    guide: alpha-guide
    text:
      vi: "Xem tại: {link}"
      en: "See:"
`;

async function load(replies: string) {
  const dir = contentWithEdits({ 'replies.yaml': replies });
  const r = await loadContent(dir, { today: TODAY });
  return { r, lines: r.problems.map((p) => lineOf(dir, p)) };
}

describe('replies.yaml', () => {
  it('loads valid replies into the bundle', async () => {
    const { r, lines } = await load(GOOD);
    expect(lines).toEqual([]);
    expect(r.files).toContain('replies.yaml');
    expect(r.bundle?.replies?.map((x) => x.id)).toEqual(['chao', 'xem-huong-dan']);
  });

  it('reports duplicates, unknown guides and a {link} without a guide at their line; the guides still load', async () => {
    const bad = `${GOOD}  - id: chao
    title: Lại chào
    text: { vi: "Chào", en: "Hi" }
  - id: sai-huong-dan
    title: Sai
    guide: no-such-guide
    text: { vi: "x", en: "y" }
  - id: thieu-huong-dan
    title: Thiếu
    text: { vi: "Xem {link}", en: "y" }
`;
    const { r, lines } = await load(bad);
    expect(lines).toEqual([
      'replies.yaml:13:5  error: replies.2.id: "chao" is used twice (first at replies.0); each shortcut must be unique',
      'replies.yaml:18:5  error: replies.3.guide: no guide "no-such-guide" in content/guides',
      'replies.yaml:22:5  error: replies.4.text: "{link}" needs a "guide" whose link it stands for',
    ]);
    expect(r.bundle).toBeDefined();
    expect(r.bundle?.replies).toBeUndefined();
  });

  it('reports schema problems (a shortcut with spaces, a missing language, an unknown field)', async () => {
    const { lines } = await load(`replies:
  - id: Chào Hỏi
    title: x
    text: { vi: "x" }
    colour: red
`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^replies\.yaml:2:5  error: replies\.0\.id: must be lower-case letters, digits and hyphens/),
        expect.stringMatching(/^replies\.yaml:4:5  error: replies\.0\.text\.en: is required/),
        'replies.yaml:5:5  error: replies.0: unknown field(s) colour',
      ]),
    );
  });

  it('a missing file is fine', async () => {
    const dir = contentWithEdits({});
    const r = await loadContent(dir, { today: TODAY });
    expect(r.bundle?.replies).toBeUndefined();
    expect(r.files).not.toContain('replies.yaml');
  });

  it('content:check fails on a broken replies.yaml and passes on the repository content', async () => {
    const dir = contentWithEdits({ 'replies.yaml': 'replies:\n  - id: x\n' });
    expect((await runContentCheck(dir, { today: TODAY, skipSelfRetrieval: true })).exitCode).toBe(1);
    const real = await runContentCheck(join(ROOT, 'content'), { today: TODAY, skipSelfRetrieval: true });
    expect(real.lines.filter((l) => l.includes('replies.yaml'))).toEqual([]);
  });
});
