// `npm run chat`: a terminal conversation through the same engine, buttons as numbers.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function chat(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'src/cli/chat.ts'], { cwd: ROOT, env: { ...process.env, REDIS_URL: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', () => resolve(out));
    // Feed one line at a time, after the bot has answered the previous one.
    let i = 0;
    const timer = setInterval(() => {
      const prompts = out.split('🙂').length - 1;
      if (prompts > i) {
        child.stdin.write(`${lines[i] ?? '/quit'}\n`);
        i++;
        if (i > lines.length) {
          clearInterval(timer);
          child.stdin.end();
        }
      }
    }, 50);
  });
}

describe('npm run chat', () => {
  it('welcomes, numbers the choices, and typed numbers walk into a guide', async () => {
    const out = await chat(['1', '1', 'tiếp']);
    expect(out).toContain('Xin chào');
    expect(out).toMatch(/1\. 📱 Ứng dụng VNeID/);
    expect(out).toContain('Gõ số để chọn.');
    expect(out).toContain('Bước 1/');
    expect(out).toContain('Bước 2/');
  }, 60_000);
});
