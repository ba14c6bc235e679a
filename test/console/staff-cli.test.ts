// `npm run staff`: account commands on a memory directory with fake streams, and the real
// script against Redis (password piped on stdin, never on argv).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { runStaffCli, type StaffCliIo } from '../../src/cli/staff.ts';
import { verifyPassword } from '../../src/http/staff-accounts.ts';
import { MemoryStaffDirectory } from '../../src/stores/memory/memory-staff-directory.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisStaffDirectory } from '../../src/stores/redis/redis-staff-directory.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Fake stdio: `input` is what is piped in (or typed, with `tty`). */
function io(input: string, tty = false): StaffCliIo & { out: () => string; err: () => string } {
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean; setRawMode?(m: boolean): unknown };
  if (tty) {
    stdin.isTTY = true;
    stdin.setRawMode = () => stdin;
    setTimeout(() => stdin.write(input), 10);
  } else {
    stdin.end(input);
  }
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { stdin, stdout, stderr, out: () => out, err: () => err };
}

describe('runStaffCli', () => {
  it('changes a role at once, refuses unknown roles and accounts, and prints the usage when arguments are missing', async () => {
    const dir = new MemoryStaffDirectory();
    expect(await runStaffCli(['add', 'hoa'], dir, io('mật-khẩu-đủ-dài\n'))).toBe(0);
    const before = await dir.getAccount('hoa');
    const promote = io('');
    expect(await runStaffCli(['role', 'hoa', 'editor'], dir, promote)).toBe(0);
    expect(promote.out()).toBe('hoa is now editor (was staff)\n');
    expect(await dir.getAccount('hoa')).toEqual({ ...before, role: 'editor' }); // the password stays
    const same = io('');
    expect(await runStaffCli(['role', 'hoa', 'editor'], dir, same)).toBe(0);
    expect(same.out()).toContain('already editor');
    const bad = io('');
    expect(await runStaffCli(['role', 'hoa', 'admin'], dir, bad)).toBe(1);
    expect(bad.err()).toContain('staff or editor');
    const missing = io('');
    expect(await runStaffCli(['role', 'nobody', 'staff'], dir, missing)).toBe(1);
    expect(missing.err()).toContain('does not exist');
    const usage = io('');
    expect(await runStaffCli(['role', 'hoa'], dir, usage)).toBe(2);
    expect(usage.err()).toContain('role <username> staff|editor');
  });

  it('adds, lists, changes the password of and removes accounts', async () => {
    const dir = new MemoryStaffDirectory();
    const add = io('mật-khẩu-đủ-dài\n');
    expect(await runStaffCli(['add', 'Lan', '--role', 'editor', '--name', 'Chị Lan'], dir, add)).toBe(0);
    expect(add.out()).toContain('added lan (editor)');
    const account = await dir.getAccount('lan');
    expect(account).toMatchObject({ username: 'lan', role: 'editor', displayName: 'Chị Lan' });
    expect(account?.passwordHash).not.toContain('mật-khẩu');
    expect(await verifyPassword('mật-khẩu-đủ-dài', account!.passwordHash)).toBe(true);

    const list = io('');
    expect(await runStaffCli(['list'], dir, list)).toBe(0);
    expect(list.out()).toBe('lan\teditor\tChị Lan\n');

    expect(await runStaffCli(['passwd', 'lan'], dir, io('mật-khẩu-mới-dài-hơn\n'))).toBe(0);
    const changed = await dir.getAccount('lan');
    expect(await verifyPassword('mật-khẩu-mới-dài-hơn', changed!.passwordHash)).toBe(true);
    expect(changed?.role).toBe('editor');

    expect(await runStaffCli(['remove', 'lan'], dir, io(''))).toBe(0);
    expect(await dir.getAccount('lan')).toBeNull();
    const again = io('');
    expect(await runStaffCli(['remove', 'lan'], dir, again)).toBe(1);
    expect(again.err()).toContain('does not exist');
  });

  it('refuses short passwords, passwords on argv, duplicates, bad names and roles', async () => {
    const dir = new MemoryStaffDirectory();
    const short = io('ngắn\n');
    expect(await runStaffCli(['add', 'lan'], dir, short)).toBe(1);
    expect(short.err()).toContain('at least 10');
    const argv = io('');
    expect(await runStaffCli(['add', 'lan', '--password', 'mật-khẩu-đủ-dài'], dir, argv)).toBe(1);
    expect(argv.err()).toContain('never taken from the command line');
    expect(await dir.getAccount('lan')).toBeNull();
    expect(await runStaffCli(['add', 'lan'], dir, io('mật-khẩu-đủ-dài\n'))).toBe(0);
    expect(await runStaffCli(['add', 'lan'], dir, io('mật-khẩu-đủ-dài\n'))).toBe(1);
    expect(await runStaffCli(['add', 'Bad Name!'], dir, io('mật-khẩu-đủ-dài\n'))).toBe(1);
    expect(await runStaffCli(['add', 'khoa', '--role', 'admin'], dir, io('mật-khẩu-đủ-dài\n'))).toBe(1);
    expect(await runStaffCli([], dir, io(''))).toBe(2);
  });

  it('on a terminal reads the password twice without echo and refuses a mismatch', async () => {
    const dir = new MemoryStaffDirectory();
    const ok = io('mật-khẩu-đủ-dài\rmật-khẩu-đủ-dài\r', true);
    expect(await runStaffCli(['add', 'lan'], dir, ok)).toBe(0);
    expect(ok.err()).not.toContain('mật-khẩu-đủ-dài');
    const mismatch = io('mật-khẩu-đủ-dài\rkhác-hẳn-mật-khẩu\r', true);
    expect(await runStaffCli(['add', 'minh'], dir, mismatch)).toBe(1);
    expect(mismatch.err()).toContain('differ');
  });
});

/** Runs `npm run staff`'s script with `env`, piping `input`; resolves exit code and output. */
function runScript(args: string[], env: Record<string, string>, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/staff.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run staff (the script)', () => {
  it('refuses to run without REDIS_URL, explaining why', async () => {
    const r = await runScript(['list'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('REDIS_URL is not set');
  });

  it('adds an account to Redis from a piped password', async () => {
    const prefix = `test:${randomUUID()}:`;
    const r = await runScript(['add', 'cli-user'], { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix }, 'mật-khẩu-đủ-dài\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const redis = createRedisClient(inject('redisUrl'), { keyPrefix: prefix });
    try {
      await waitForRedisReady(redis, 5_000);
      const account = await new RedisStaffDirectory({ redis }).getAccount('cli-user');
      expect(await verifyPassword('mật-khẩu-đủ-dài', account!.passwordHash)).toBe(true);
      await redis.del('staff:{staff}:accounts');
    } finally {
      await closeRedisClient(redis);
    }
  });
});
