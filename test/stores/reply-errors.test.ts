// Which Redis error replies are outages (answered as one, counted by reason) and which are bugs
// (our command is wrong, so they pass through). The replies a live server gives are checked
// against real servers in test/production/redis-error-replies.test.ts and the sentinel and
// cluster tests; these are the ones hard to provoke on demand (LOADING…) and the wrappings.
import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/errors.ts';
import { toStoreError } from '../../src/stores/redis/redis-call.ts';
import { outageReason } from '../../src/stores/redis/reply-errors.ts';

const reply = (message: string): Error => new ReplyError(message) as Error;

describe('Redis error replies', () => {
  it.each([
    ['READONLY You can\'t write against a read only replica.', 'readonly'],
    ["OOM command not allowed when used memory > 'maxmemory'.", 'oom'],
    ['MOVED 3999 127.0.0.1:6381', 'moved'],
    ['ASK 3999 127.0.0.1:6381', 'moved'],
    ["MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", 'masterdown'],
    ['LOADING Redis is loading the dataset in memory', 'loading'],
    ['BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.', 'busy'],
    ["ERR unknown command 'evalsha', with args beginning with: ", 'unknown-command'],
    ['CLUSTERDOWN The cluster is down', 'clusterdown'],
    ['NOAUTH Authentication required.', 'auth'],
    ['MISCONF Redis is configured to save RDB snapshots, but it\'s currently unable to persist to disk.', 'misconf'],
    ["ERR Error running script (call to f_0123): @user_script:2: -READONLY You can't write against a read only replica.", 'readonly'],
  ])('%s → an outage (%s)', (message, reason) => {
    expect(outageReason(reply(message))).toBe(reason);
    const mapped = toStoreError('op', reply(message));
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).reason).toBe(reason);
  });

  it('a reply that says our command is wrong is no outage: it passes through unchanged', () => {
    const wrongType = reply('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(outageReason(wrongType)).toBeNull();
    expect(toStoreError('op', wrongType)).toBe(wrongType);
  });

  it('a lost connection or a timeout is an outage too, counted as down or timeout', () => {
    expect((toStoreError('op', new Error('Connection is closed.')) as StoreUnavailableError).reason).toBe('down');
    expect((toStoreError('op', new Error('Command timed out')) as StoreUnavailableError).reason).toBe('timeout');
  });
});
