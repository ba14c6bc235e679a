// M2: no e-mail address, password, passcode, OTP or call-back phone number reaches a report.
// Messages are masked BEFORE they are normalised (normalising strips the "@" and "." an address
// is recognised by), and what earlier versions kept is purged once (real Redis).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maskForReport, scrubNormalizedQuery } from '../../src/core/privacy.ts';
import { purgeReportQueries } from '../../src/server-steps.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';
import { WebCitizen } from '../support/web-citizen.ts';
import { eventually } from '../support/eventually.ts';
import { addStaffAccount, EDITOR, login } from './support.ts';

/** What citizens typed (the attack report's examples among them), and the parts that must not be kept. */
const MESSAGES = [
  'email nguyenvana@pii.example.com',
  'mat khau hoa 12345xyz',
  'mật khẩu của tôi là Matkhau#2026 mà không vào được',
  'passcode 482913 bị sai',
  'mã OTP 778812 không nhận được',
  'gọi lại cho tui số 0901 234 567',
  'Email: tran.thi.b @ gmail . com, làm hộ chiếu ở đâu',
];
const SECRETS = ['nguyenvana', 'pii', 'exampl', '12345xyz', 'hoa 12345', 'matkhau#2026', 'matkhau 2026', '482913', '778812', '0901', '234 567', 'tran', 'thi b'];

describe('maskForReport (before normalising)', () => {
  it('masks addresses, secrets given with their value and long numbers; leaves questions about them alone', () => {
    expect(maskForReport('email nguyenvana@pii.example.com')).toBe('email [email]');
    expect(maskForReport('Email: tran.thi.b @ gmail . com nha')).toBe('Email: [email] nha');
    expect(maskForReport('mat khau hoa 12345xyz')).toBe('mat khau [mật khẩu]');
    expect(maskForReport('mật khẩu của tôi là Abc12345')).toBe('mật khẩu của tôi là [mật khẩu]');
    expect(maskForReport('mk la hoamai')).toBe('mk la [mật khẩu]');
    expect(maskForReport('my password is Secret!23')).toBe('my password is [mật khẩu]');
    expect(maskForReport('passcode 4821')).toBe('passcode [mật khẩu]');
    expect(maskForReport('mã OTP 123456 không nhận được')).toBe('mã OTP [otp] không nhận được');
    expect(maskForReport('gọi lại cho tui số 0901 234 567')).toBe('gọi lại cho tui số [sđt]');
    expect(maskForReport('gọi (0292) 3821 234')).toBe('gọi [sđt]');
    expect(maskForReport('cccd 079123456789')).toBe('cccd [cccd]');
    for (const plain of ['quên mật khẩu vneid', 'mật khẩu là gì', 'mã otp 6 số', 'đổi mật khẩu VNeID mức 2', 'làm căn cước cho con dưới 14 tuổi']) {
      expect(maskForReport(plain)).toBe(plain);
    }
  });

  it('scrubs queries normalised before masking (what earlier versions kept)', () => {
    expect(scrubNormalizedQuery('email nguyenvana pii exampl com')).toBe('email [email]');
    expect(scrubNormalizedQuery('email la nguyen van gmail nha')).toBe('email [email] nha');
    expect(scrubNormalizedQuery('mat khau hoa 12345xyz')).toBe('mat khau [mật khẩu]');
    expect(scrubNormalizedQuery('so tai khoan 0123456789')).toBe('so tai khoan [số]');
    for (const plain of ['quen mat khau vneid', 'quen email dang nhap', 'lam can cuoc cho con duoi 14 tuoi']) expect(scrubNormalizedQuery(plain)).toBe(plain);
  });
});

describe('reports kept in Redis', () => {
  let s: StartedServer;
  let editor: string;
  const prefix = `t:${randomUUID()}:`;
  beforeAll(async () => {
    s = await startTestServer({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: prefix });
    await addStaffAccount(s, true);
    editor = await login(s, EDITOR);
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('keeps no e-mail, password, code or call-back number: not in the store, the Editors page report or its CSV', async () => {
    const since = Date.now() - 1_000;
    for (const text of MESSAGES) expect((await new WebCitizen().post(s.server.app, { text })).statusCode).toBe(200);
    await s.server.analytics.flush();
    const questions = (await s.server.stores.analytics.range(since, Date.now() + 1_000)).filter((e) => e.kind === 'question');
    expect(questions).toHaveLength(MESSAGES.length);
    expect(questions.map((q) => (q.kind === 'question' ? q.query : ''))).toEqual(
      expect.arrayContaining(['email [email]', 'mat khau [mật khẩu]', 'cho so [sđt]', 'ma otp [otp] khong nhan duoc']),
    );
    const report = (await s.server.app.inject({ url: '/api/editor/report?since=1d', headers: { cookie: editor } })).body;
    const csvs = await Promise.all(['unanswered', 'guides', 'channels', 'days'].map(async (table) => (await s.server.app.inject({ url: `/api/editor/report.csv?since=1d&table=${table}`, headers: { cookie: editor } })).body));
    for (const kept of [JSON.stringify(questions), report, ...csvs]) {
      for (const secret of SECRETS) expect({ secret, kept: kept.toLowerCase().includes(secret) }).toEqual({ secret, kept: false });
    }
  });

  it('purges what earlier versions kept, once', async () => {
    const now = Date.now();
    await s.server.stores.analytics.record([
      { kind: 'question', atMs: now - 86_400_000, channel: 'web', decision: 'fallback', query: 'email nguyenvana pii exampl com', guides: [], confidence: 0 },
      { kind: 'question', atMs: now - 2 * 86_400_000, channel: 'telegram', decision: 'fallback', query: 'mat khau hoa 12345xyz', guides: [], confidence: 0 },
      { kind: 'question', atMs: now - 3_000, channel: 'web', decision: 'answer', query: 'lam ho chieu', guides: ['passport'], confidence: 0.9 },
    ]);
    // The purge at start (nothing to do on a fresh prefix) is over; then as if it never ran here.
    await eventually(async () => expect(await s.server.stores.kv.get('privacy:report-purge')).toBe('1'));
    await s.server.stores.kv.delete('privacy:report-purge');
    expect(await purgeReportQueries(s.server.stores, silent)).toBe(2);
    const kept = await s.server.stores.analytics.range(now - 3 * 86_400_000, now + 1_000);
    const queries = kept.map((e) => (e.kind === 'question' ? e.query : ''));
    expect(queries).toEqual(expect.arrayContaining(['email [email]', 'mat khau [mật khẩu]', 'lam ho chieu']));
    for (const secret of SECRETS) expect(JSON.stringify(kept).includes(secret)).toBe(false);
    expect(await purgeReportQueries(s.server.stores, silent)).toBe(0); // done: never again for this version
  });
});

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
