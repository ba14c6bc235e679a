/**
 * The behaviour every StaffDirectory must show (memory and Redis alike).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StaffAccount, StaffDirectory, StaffSession } from '../../src/core/ports.ts';
import { advance, type Fresh } from './contract-support.ts';

const lan: StaffAccount = { username: 'lan', role: 'staff', displayName: 'Chị Lan', passwordHash: 'scrypt$1$1$1$c2FsdA==$a2V5', createdAtMs: 1 };
const minh: StaffAccount = { username: 'minh', role: 'editor', passwordHash: 'scrypt$1$1$1$c2FsdA==$a2V5', createdAtMs: 2 };
const session = (username: string, role: StaffSession['role'] = 'staff'): StaffSession => ({ username, role, createdAtMs: 10, expiresAtMs: 10 + 60_000 });

/** Runs the StaffDirectory contract against `makeFresh` (`advance` lets TTLs run out). */
export function describeStaffDirectoryContract(name: string, makeFresh: () => Promise<Fresh<StaffDirectory>>): void {
  describe(`StaffDirectory contract: ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0)) await c();
    });
    async function fresh(): Promise<Fresh<StaffDirectory>> {
      const f = await makeFresh();
      cleanups.push(() => f.cleanup());
      return f;
    }

    it('stores, lists, replaces and removes accounts', async () => {
      const { impl } = await fresh();
      expect(await impl.getAccount('lan')).toBeNull();
      await impl.putAccount(minh);
      await impl.putAccount(lan);
      expect(await impl.getAccount('lan')).toEqual(lan);
      expect((await impl.listAccounts()).map((a) => a.username)).toEqual(['lan', 'minh']);
      await impl.putAccount({ ...lan, role: 'editor' });
      expect((await impl.getAccount('lan'))?.role).toBe('editor');
      expect(await impl.removeAccount('lan')).toBe(true);
      expect(await impl.removeAccount('lan')).toBe(false);
      expect(await impl.getAccount('lan')).toBeNull();
      expect(await impl.listAccounts()).toEqual([minh]);
    });

    it('keeps sessions until they expire or are deleted', async () => {
      const f = await fresh();
      await f.impl.createSession('s-short', session('lan'), 200);
      await f.impl.createSession('s-long', session('lan'), 60_000);
      await f.impl.createSession('s-gone', session('lan'), 60_000);
      expect(await f.impl.getSession('s-short')).toEqual(session('lan'));
      await f.impl.deleteSession('s-gone');
      await f.impl.deleteSession('never-existed');
      await advance(f, 350);
      expect(await f.impl.getSession('s-short')).toBeNull();
      expect(await f.impl.getSession('s-gone')).toBeNull();
      expect(await f.impl.getSession('s-long')).toEqual(session('lan'));
    });

    it('ends the sessions of a removed account, and only those', async () => {
      const { impl } = await fresh();
      await impl.putAccount(lan);
      await impl.putAccount(minh);
      await impl.createSession('lan-1', session('lan'), 60_000);
      await impl.createSession('lan-2', session('lan'), 60_000);
      await impl.createSession('minh-1', session('minh', 'editor'), 60_000);
      await impl.removeAccount('lan');
      expect(await impl.getSession('lan-1')).toBeNull();
      expect(await impl.getSession('lan-2')).toBeNull();
      expect(await impl.getSession('minh-1')).toEqual(session('minh', 'editor'));
    });

    it('counts login failures in a window fixed at the first failure, and clears them', async () => {
      const f = await fresh();
      expect(await f.impl.loginFailures('u:1.2.3.4:lan')).toBe(0);
      expect(await f.impl.recordLoginFailure('u:1.2.3.4:lan', 300)).toBe(1);
      await advance(f, 150);
      expect(await f.impl.recordLoginFailure('u:1.2.3.4:lan', 300)).toBe(2);
      expect(await f.impl.loginFailures('u:1.2.3.4:lan')).toBe(2);
      expect(await f.impl.loginFailures('u:1.2.3.4:minh')).toBe(0);
      await advance(f, 300); // 450 ms after the first failure: the window is over
      expect(await f.impl.loginFailures('u:1.2.3.4:lan')).toBe(0);
      await f.impl.recordLoginFailure('ip:1.2.3.4', 60_000);
      await f.impl.clearLoginFailures('ip:1.2.3.4');
      expect(await f.impl.loginFailures('ip:1.2.3.4')).toBe(0);
    });

    it('counts every one of many concurrent failures', async () => {
      const { impl } = await fresh();
      const counts = await Promise.all(Array.from({ length: 20 }, () => impl.recordLoginFailure('ip:9.9.9.9', 60_000)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('shares accounts and sessions with another instance', async () => {
      const f = await fresh();
      const other = f.sibling ? await f.sibling() : f.impl;
      await f.impl.putAccount(lan);
      await f.impl.createSession('shared', session('lan'), 60_000);
      expect(await other.getAccount('lan')).toEqual(lan);
      expect(await other.getSession('shared')).toEqual(session('lan'));
    });
  });
}
