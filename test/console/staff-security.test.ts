// M3 and M4: staff read only conversations that are or were handed off, every read audited;
// login floods never run more password checks than allowed, at once or in all, and failures
// from outside cannot lock a staff member out of the browser they use; a password change ends
// the account's sessions; old scrypt hashes are upgraded at login; names shown never carry
// bidirectional overrides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SCRYPT_COST, putStaffAccount, verifyPassword } from '../../src/http/staff-accounts.ts';
import { staffRefOf } from '../../src/channels/telegram/staff-inbox.ts';
import type { Server } from '../../src/server.ts';
import { PASSWORD, addStaff, citizenSays, login, sessionId, testServer } from './helpers.ts';

const RLO = '\u202e';

/** POST /api/staff/login from `ip` (with TRUST_PROXY=1, through a forwarded address). */
function attempt(app: FastifyInstance, username: string, password: string, ip: string, cookie?: string) {
  return app.inject({
    method: 'POST',
    url: '/api/staff/login',
    remoteAddress: '127.0.0.1',
    headers: { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) },
    payload: { username, password },
  });
}

describe('reading conversations (M3)', () => {
  let server: Server;
  let lan: string;
  let minh: string;
  beforeAll(async () => {
    server = await testServer();
    await addStaff(server, 'lan');
    await addStaff(server, 'minh', 'editor');
    lan = await login(server.app, 'lan');
    minh = await login(server.app, 'minh');
  });
  afterAll(async () => {
    await server?.stop();
  });
  const read = (id: string, cookie: string) => server.app.inject({ url: `/api/staff/handoffs/${encodeURIComponent(id)}`, headers: { cookie } });
  const audit = async () => (await server.app.inject({ url: '/api/staff/audit?limit=200', headers: { cookie: minh } })).json() as { actor: string; action: string; conversationId?: string; detail?: string }[];

  it('a bot-only transcript gives 403 to staff (the refusal is audited); an unknown one 404', async () => {
    const citizen = sessionId();
    await citizenSays(server.app, citizen, 'làm căn cước cho con, số 079123456789, sđt 0912345678');
    const res = await read(citizen.id, lan);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'not_handed_off' });
    expect(res.body).not.toContain('0912345678');
    expect((await read(citizen.id, minh)).statusCode).toBe(403); // editors too
    expect(await audit()).toContainEqual(expect.objectContaining({ actor: 'lan', action: 'read', conversationId: citizen.id, detail: 'refused' }));
    expect((await read('web:0123456789abcdef0123456789abcdef', lan)).statusCode).toBe(404);
  });

  it('a handed-off conversation is readable while and after it is handed off, and every read is audited', async () => {
    const citizen = sessionId();
    await citizenSays(server.app, citizen, 'cho tôi gặp cán bộ');
    const before = (await audit()).filter((e) => e.action === 'read' && e.conversationId === citizen.id).length;
    const first = await read(citizen.id, lan);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ handedOff: true, ticket: { status: 'waiting' } });
    await read(citizen.id, lan); // the console reloading on a live event: the same line
    await read(citizen.id, minh);
    const reads = (await audit()).filter((e) => e.action === 'read' && e.conversationId === citizen.id);
    expect(reads.length - before).toBe(2);
    expect(reads.map((e) => e.actor).sort()).toEqual(['lan', 'minh']);
    // Resolved: no longer in the queue, still readable (it was handed off), still audited.
    const path = `/api/staff/handoffs/${encodeURIComponent(citizen.id)}`;
    for (const step of ['claim', 'resolve']) expect((await server.app.inject({ method: 'POST', url: `${path}/${step}`, headers: { cookie: lan } })).statusCode).toBe(200);
    const after = await read(citizen.id, minh);
    expect(after.statusCode).toBe(200);
    expect(after.json()).toMatchObject({ ticket: null, handedOff: true });
  });
});

describe('login floods (M4)', () => {
  let server: Server;
  beforeAll(async () => {
    // TRUST_PROXY=1 lets the test speak from many addresses through X-Forwarded-For.
    server = await testServer({ TRUST_PROXY: '1', STAFF_LOGIN_MAX_CHECKS: '2' });
    await addStaff(server, 'lan');
    await addStaff(server, 'hoa');
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('300 parallel logins from one address never run more than the allowed checks, in all or at once', async () => {
    const guard = server.staffAuth.guard;
    const checksBefore = guard.checksRun;
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => attempt(server.app, 'lan', `wrong-password-${i}`, '198.51.100.1')));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((c) => c === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.every((c) => c === 401 || c === 429 || c === 503)).toBe(true);
    expect(guard.checksRun - checksBefore).toBeLessThanOrEqual(5); // 5 failures per address + username
    expect(guard.gate.peak).toBeLessThanOrEqual(2); // STAFF_LOGIN_MAX_CHECKS
  }, 120_000);

  it('300 parallel logins from 300 addresses: at most 2 checks at once, the rest wait in a short queue or are told to come back', async () => {
    const guard = server.staffAuth.guard;
    const checksBefore = guard.checksRun;
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => attempt(server.app, `user${i}`, 'wrong-password-x', `203.0.113.${i % 250}`)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((c) => c === 503).length).toBeGreaterThan(200);
    expect(results.find((r) => r.statusCode === 503)?.headers['retry-after']).toBe('2');
    expect(guard.checksRun - checksBefore).toBeLessThanOrEqual(2 + 2 * 4); // the running ones and the queue
    expect(guard.gate.peak).toBeLessThanOrEqual(2);
    expect((await server.app.inject({ url: '/metrics' })).body).toMatch(/^dvcbot_staff_logins_total\{outcome="busy"\} [1-9]/m);
  }, 120_000);

  it('failures from outside cannot lock a staff member out of the browser they logged in with', async () => {
    const res = await attempt(server.app, 'hoa', PASSWORD, '192.0.2.10');
    expect(res.statusCode).toBe(200);
    const cookies = [res.headers['set-cookie']].flat().map(String);
    const device = cookies.find((c) => c.startsWith('dvc_device='))!.split(';')[0]!;
    expect(cookies.find((c) => c.startsWith('dvc_device='))).toContain('HttpOnly');
    // An attacker fails 25 times from 25 addresses: the account is closed to unknown browsers…
    for (let i = 0; i < 25; i++) await attempt(server.app, 'hoa', `guess-${i}`, `100.64.0.${i}`);
    expect((await attempt(server.app, 'hoa', PASSWORD, '100.64.1.1')).statusCode).toBe(429);
    expect((await attempt(server.app, 'hoa', PASSWORD, '100.64.1.2', 'dvc_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).statusCode).toBe(429);
    // …but Hoa, in her own browser, still logs in (and from a new address too).
    expect((await attempt(server.app, 'hoa', PASSWORD, '192.0.2.10', device)).statusCode).toBe(200);
    expect((await attempt(server.app, 'hoa', PASSWORD, '192.0.2.99', device)).statusCode).toBe(200);
    // The device cookie is no pass for guessing: 5 failures lock that browser alone.
    for (let i = 0; i < 5; i++) expect((await attempt(server.app, 'hoa', `guess-d${i}`, '192.0.2.10', device)).statusCode).toBe(401);
    expect((await attempt(server.app, 'hoa', PASSWORD, '192.0.2.10', device)).statusCode).toBe(429);
  }, 120_000);
});

describe('accounts', () => {
  let server: Server;
  beforeAll(async () => {
    server = await testServer();
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });
  const me = (cookie: string) => server.app.inject({ url: '/api/staff/me', headers: { cookie } });

  it('an old session is refused after a password change', async () => {
    await addStaff(server, 'tam');
    const old = await login(server.app, 'tam');
    const other = await login(server.app, 'tam');
    expect((await me(old)).statusCode).toBe(200);
    await putStaffAccount(server.stores.staff, { username: 'tam', password: 'a-new-password-2026', role: 'staff' }, Date.now());
    expect((await me(old)).statusCode).toBe(401);
    expect((await me(other)).statusCode).toBe(401);
    expect((await server.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'tam', password: PASSWORD } })).statusCode).toBe(401);
    expect((await me(await login(server.app, 'tam', 'a-new-password-2026'))).statusCode).toBe(200);
    // A session begun before the change and missed by it (a race with another instance) is refused too.
    const account = (await server.stores.staff.getAccount('tam'))!;
    const token = 'B'.repeat(43);
    const { createHash } = await import('node:crypto');
    const started = { username: 'tam', role: 'staff' as const, createdAtMs: account.passwordChangedAtMs! - 1, expiresAtMs: Date.now() + 60_000 };
    await server.stores.staff.createSession(createHash('sha256').update(token).digest('hex'), started, 60_000);
    expect((await me(`dvc_staff=${token}`)).statusCode).toBe(401);
  });

  it('hashes with scrypt at an OWASP cost, and upgrades an older hash at the next login', async () => {
    // OWASP: N=2^17,r=8,p=1 or an equivalent (2^16/p=2, 2^15/p=3, 2^14/p=5, 2^13/p=10).
    expect(SCRYPT_COST.r).toBe(8);
    expect(SCRYPT_COST.N * SCRYPT_COST.p).toBeGreaterThanOrEqual(2 ** 15 * 3);
    await addStaff(server, 'cu');
    const account = (await server.stores.staff.getAccount('cu'))!;
    expect(account.passwordHash.startsWith(`scrypt$${SCRYPT_COST.N}$8$${SCRYPT_COST.p}$`)).toBe(true);
    // The hash an earlier version made: N=2^15, r=8, p=1.
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const weak = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64'), scryptSync(PASSWORD.normalize('NFC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 2 ** 26 }).toString('base64')].join('$');
    await server.stores.staff.putAccount({ ...account, passwordHash: weak });
    await login(server.app, 'cu');
    const upgraded = (await server.stores.staff.getAccount('cu'))!.passwordHash;
    expect(upgraded.startsWith(`scrypt$${SCRYPT_COST.N}$8$${SCRYPT_COST.p}$`)).toBe(true);
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);
    await login(server.app, 'cu'); // still works
  });

  it('neutralises bidirectional controls in every name shown: staff display names, Telegram names, citizens\' words', async () => {
    const account = await putStaffAccount(server.stores.staff, { username: 'bidi', password: PASSWORD, role: 'staff', displayName: `Lan ${RLO}gnp.exe` }, Date.now());
    expect(account.displayName).toBe('Lan gnp.exe');
    // An account stored before the fix is cleaned when shown.
    await server.stores.staff.putAccount({ ...account, displayName: `Lan ${RLO}gnp.exe` });
    const cookie = await login(server.app, 'bidi');
    expect((await me(cookie)).json().displayName).toBe('Lan gnp.exe');
    expect(staffRefOf({ id: 7, first_name: `${RLO}gnp.exe\u2066` }).displayName).toBe('gnp.exe');
    const citizen = sessionId();
    await citizenSays(server.app, citizen, `tôi muốn gặp cán bộ về tệp ${RLO}gnp.exe`);
    const transcript = await server.stores.conversations.transcript(citizen.id);
    expect(transcript[0]!.text).toBe('tôi muốn gặp cán bộ về tệp gnp.exe');
  });
});
