/**
 * `npm run staff -- <command>`: manages staff console accounts in Redis (REDIS_URL).
 *
 *   add <username> [--role staff|editor] [--name "Display name"]   create (password from stdin)
 *   passwd <username>                                              set a new password (stdin)
 *   remove <username>                                              delete and end its sessions
 *   role <username> staff|editor                                   change the role (effective at once)
 *   list                                                           usernames and roles
 *
 * The password is read from stdin: typed twice without echo on a terminal, or the first line
 * of piped input (`printf '%s\n' "$PW" | npm run staff -- add lan`). Never from argv.
 * Refuses to run without REDIS_URL: accounts in memory would vanish with this process.
 */
import type { Readable, Writable } from 'node:stream';
import { loadConfig } from '../config.ts';
import { runIfMain, withAppRedis } from './app-redis.ts';
import type { StaffDirectory, StaffRole } from '../core/ports.ts';
import { RedisStaffDirectory } from '../stores/redis/redis-staff-directory.ts';
import { StaffAccountError, checkPassword, checkUsername, putStaffAccount } from '../http/staff-accounts.ts';
import { readHiddenLines, readPipedLines } from './read-secret.ts';

/** Where the CLI reads and writes (process streams in production, fakes in tests). */
export interface StaffCliIo {
  readonly stdin: Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };
  readonly stdout: Writable;
  readonly stderr: Writable;
}

const USAGE = `usage: npm run staff -- add <username> [--role staff|editor] [--name "Display name"]
       npm run staff -- passwd <username>
       npm run staff -- remove <username>
       npm run staff -- role <username> staff|editor
       npm run staff -- list
The password is read from stdin (typed twice on a terminal, or the first line of piped input).`;

/** Reads the new password: twice without echo on a TTY, else the first piped line. */
async function readNewPassword(io: StaffCliIo): Promise<string> {
  if (io.stdin.isTTY) {
    const [first = '', second] = await readHiddenLines(io.stdin, io.stderr, ['Mật khẩu / Password: ', 'Nhập lại / Repeat: ']);
    if (first !== second) throw new StaffAccountError('the two passwords differ');
    return first;
  }
  return (await readPipedLines(io.stdin))[0] ?? '';
}

/** Value of `--flag value` in args, and the args without it. */
function takeFlag(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  if (value === undefined || value.startsWith('--')) throw new StaffAccountError(`${flag} needs a value`);
  return value;
}

/**
 * Runs one command against `directory`. Resolves the exit code (0 ok, 1 refused, 2 usage).
 */
export async function runStaffCli(argv: readonly string[], directory: StaffDirectory, io: StaffCliIo, nowMs = Date.now()): Promise<number> {
  const args = [...argv];
  const command = args.shift();
  const out = (s: string) => io.stdout.write(`${s}\n`);
  try {
    if (args.some((a) => a === '--password' || a.startsWith('--password='))) {
      throw new StaffAccountError('passwords are never taken from the command line; pipe or type them on stdin');
    }
    switch (command) {
      case 'add':
      case 'passwd': {
        const role = command === 'add' ? (takeFlag(args, '--role') ?? 'staff') : undefined;
        const displayName = command === 'add' ? takeFlag(args, '--name') : undefined;
        if (role !== undefined && role !== 'staff' && role !== 'editor') throw new StaffAccountError('--role must be staff or editor');
        if (args.length !== 1) return usage(io);
        const username = checkUsername(args[0]!);
        const existing = await directory.getAccount(username);
        if (command === 'add' && existing) throw new StaffAccountError(`${username} exists; use "passwd" to change the password`);
        if (command === 'passwd' && !existing) throw new StaffAccountError(`${username} does not exist`);
        const password = await readNewPassword(io);
        checkPassword(password);
        const name = displayName ?? existing?.displayName;
        const account = await putStaffAccount(
          directory,
          { username, password, role: (role as StaffRole | undefined) ?? existing?.role ?? 'staff', ...(name ? { displayName: name } : {}) },
          nowMs,
        );
        out(command === 'add' ? `added ${account.username} (${account.role})` : `password changed for ${account.username} (its console sessions ended)`);
        return 0;
      }
      case 'remove': {
        if (args.length !== 1) return usage(io);
        const username = checkUsername(args[0]!);
        if (!(await directory.removeAccount(username))) throw new StaffAccountError(`${username} does not exist`);
        out(`removed ${username} (sessions ended)`);
        return 0;
      }
      case 'role':
        return await changeRole(args, directory, io, out);
      case 'list': {
        const accounts = await directory.listAccounts();
        for (const a of accounts) out(`${a.username}\t${a.role}${a.displayName ? `\t${a.displayName}` : ''}`);
        if (accounts.length === 0) out('(no accounts)');
        return 0;
      }
      default:
        return usage(io);
    }
  } catch (err) {
    if (err instanceof StaffAccountError) {
      io.stderr.write(`✖ ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** `role <username> staff|editor`: the new role counts at once (sessions read the account on every request). */
async function changeRole(args: string[], directory: StaffDirectory, io: StaffCliIo, out: (s: string) => void): Promise<number> {
  if (args.length !== 2) return usage(io);
  const username = checkUsername(args[0]!);
  const role = args[1];
  if (role !== 'staff' && role !== 'editor') throw new StaffAccountError('the role must be staff or editor');
  const existing = await directory.getAccount(username);
  if (!existing) throw new StaffAccountError(`${username} does not exist`);
  if (existing.role === role) {
    out(`${username} is already ${role}`);
    return 0;
  }
  await directory.putAccount({ ...existing, role });
  out(`${username} is now ${role} (was ${existing.role})`);
  return 0;
}

function usage(io: StaffCliIo): number {
  io.stderr.write(`${USAGE}\n`);
  return 2;
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.redisTopology) {
    process.stderr.write(
      '✖ REDIS_URL is not set (nor REDIS_SENTINELS or REDIS_CLUSTER_NODES): staff accounts would be kept in memory and vanish when this command ends.\n' +
        '  Set REDIS_URL (and REDIS_KEY_PREFIX) to those of the app. To try the console locally without Redis,\n' +
        '  start the app with STAFF_DEV_USER and STAFF_DEV_PASSWORD instead (development only).\n',
    );
    return 2;
  }
  const target = { topology: config.redisTopology, keyPrefix: config.REDIS_KEY_PREFIX, connectionName: 'dvcbot-staff-cli' };
  return withAppRedis(target, (redis) => runStaffCli(process.argv.slice(2), new RedisStaffDirectory({ redis }), process));
}

runIfMain(import.meta.url, main);
