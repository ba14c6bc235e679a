// The `ask` contract: every line gains "communes", the new unit name(s) a commune reply would give.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ask-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run ask: the communes field', () => {
  it('one name = answered, several = the bot asks which, empty = none; the other fields stay', async () => {
    const file = join(dir, 'q.jsonl');
    const qs = ['phường Hưng Lợi quận Ninh Kiều giờ sáp nhập vô phường nào', 'xã Phú Hữu giờ thuộc xã nào', 'đk tạm trú cho em gái đi học ở Ninh Kiều', 'phường An Khánh thành phố Thủ Đức giờ là phường gì'];
    writeFileSync(file, qs.map((q) => JSON.stringify({ q })).join('\n') + '\n');
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/cli/ask.ts', '--jsonl', file], { cwd: ROOT, env: { ...process.env, CONTENT_DIR: join(ROOT, 'content') } });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => Object.keys(l))).toEqual(qs.map(() => ['q', 'decision', 'guides', 'confidence', 'communes']));
    expect(lines.map((l) => l.q)).toEqual(qs);
    expect(lines.map((l) => l.communes)).toEqual([['Tân An'], ['Phú Hữu', 'Trường Khánh'], [], []]);
  }, 60_000);
});
