// Issue 20: no emoji that older Android phones (many elderly citizens' phones) show as empty
// boxes, such as 🪪 and 🛟 (Emoji 14.0, 2021): not in the content, not in the bot's views, not
// in the web chat page; content:check warns when an editor adds one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content/check.ts';
import { newEmojiIn } from '../../src/content/emoji-age.ts';
import { contentWith, ROOT, TODAY } from './helpers.ts';

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : ext.test(p) ? [p] : [];
  });
}

describe('emoji for old phones', () => {
  it('knows which emoji are too new', () => {
    expect(newEmojiIn('🪪 Thẻ căn cước, 🛟 hỗ trợ, 🥱 ngáp').map((e) => e.emoji)).toEqual(['🪪', '🛟', '🥱']);
    expect(newEmojiIn('📘 👍 👎 🆔 🛡️ 🥰 🧾 ⚠️ ✅ 🔗 📅 ☎️ 🙏 👋 ⭐')).toEqual([]);
    expect(newEmojiIn('ab🪪')).toEqual([{ emoji: '🪪', index: 2 }]);
  });

  it('none in the content, the bot\'s views or the web chat page', () => {
    const scanned = [
      ...files(join(ROOT, 'content'), /\.ya?ml$/),
      ...files(join(ROOT, 'src', 'core'), /\.ts$/),
      ...files(join(ROOT, 'src', 'channels'), /\.(ts|js|html|css)$/),
    ];
    expect(scanned.length).toBeGreaterThan(50);
    const found = scanned.flatMap((f) => newEmojiIn(readFileSync(f, 'utf8')).map((e) => `${relative(ROOT, f)}: ${e.emoji}`));
    expect(found).toEqual([]);
  });

  it('content:check warns about one, with its place', async () => {
    const dir = contentWith('categories.yaml', (t) => t.replace('emoji: "🆔"', 'emoji: "🪪"'));
    const result = await runContentCheck(dir, { today: TODAY, skipSelfRetrieval: true });
    const warning = result.problems.find((p) => p.message.includes('🪪'));
    expect(warning).toMatchObject({ severity: 'warning', line: 10, col: 13 });
    expect(warning!.file.endsWith('categories.yaml')).toBe(true);
    expect(warning!.message).toContain('older phones show it as an empty box');
    expect(result.exitCode).toBe(0);
  });
});
