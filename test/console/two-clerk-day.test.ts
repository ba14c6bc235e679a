// A two-clerk day in headless Chromium, on Redis: citizen A waits on the web chat; clerk 1 is
// alerted (chime + desktop notification), claims, inserts a canned reply with "/", writes a
// private note (the citizen never receives it) and transfers to clerk 2; clerk 2 is alerted,
// replies (the citizen sees a person's bubble "👤 Cán bộ Hoa: …"), is alerted again when the
// citizen writes, labels and resolves; clerk 1 finds the conversation by a word and by the label.
// The desktop notification and the audio are stubbed in the page to record what was asked of them.
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { PASSWORD, addStaff, testServer } from './helpers.ts';

const NOTE = 'Anh này đã thử đặt lại mật khẩu hai lần';
const HANDOVER = 'Nhờ chị Hoa xử lý tiếp, em đi họp';
const HOA_REPLY = 'Chào anh, anh mang căn cước ra công an phường để mở khóa nhé.';

/** Records desktop notifications and chimes instead of making them. */
const ALERT_STUBS = `
  window.__notifications = [];
  window.__chimes = 0;
  window.__asked = 0;
  class FakeNotification {
    constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }
    close() {}
  }
  FakeNotification.permission = 'default';
  FakeNotification.requestPermission = () => { window.__asked += 1; FakeNotification.permission = 'granted'; return Promise.resolve('granted'); };
  window.Notification = FakeNotification;
  class FakeAudioContext {
    constructor() { this.state = 'running'; this.currentTime = 0; this.destination = {}; }
    resume() { return Promise.resolve(); }
    createOscillator() { return { type: '', frequency: { value: 0 }, connect() {}, start() { window.__chimes += 1; }, stop() {} }; }
    createGain() { return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect() {} }; }
  }
  window.AudioContext = FakeAudioContext;
`;

let server: Server;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function open(width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  await context.addInitScript(ALERT_STUBS);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('response', (res) => {
    // The web chat page has no icon: Chromium may ask for /favicon.ico (404) on its own.
    if (res.status() >= 400 && res.status() !== 401 && !res.url().endsWith('/favicon.ico')) pageErrors.push(`${res.status()} ${res.url()}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });
  return page;
}

async function logIn(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/console`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#live-status.on').waitFor({ timeout: 10_000 });
}

const notifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications);
const chimes = (page: Page) => page.evaluate(() => (window as unknown as { __chimes: number }).__chimes);
const asked = (page: Page) => page.evaluate(() => (window as unknown as { __asked: number }).__asked);

async function citizenSays(page: Page, text: string): Promise<void> {
  await page.getByLabel('Câu hỏi của bạn').fill(text);
  await page.getByRole('button', { name: 'Gửi' }).click();
}

beforeAll(async () => {
  server = await testServer({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `test:${randomUUID()}:` });
  base = await server.start();
  await addStaff(server, 'lan', 'staff', 'Lan');
  await addStaff(server, 'hoa', 'staff', 'Hoa');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('a two-clerk day', () => {
  it('alert → claim → "/" reply → private note → transfer → alert → reply → label → resolve → found in the history', async () => {
    const clerk1 = await open();
    const clerk2 = await open();
    await logIn(clerk1, 'lan');
    await logIn(clerk2, 'hoa');
    expect(await asked(clerk1)).toBe(1); // asked once, on the login click

    // Citizen A writes on the web chat and asks for a person.
    const citizen = await open(390, 844);
    await citizen.goto(base);
    await citizen.locator('.msg.bot').first().waitFor();
    await citizenSays(citizen, 'quên mật khẩu VNeID thì làm sao');
    await citizen.locator('.msg.bot', { hasText: 'Bước 1/' }).waitFor();
    await citizenSays(citizen, 'cho tôi gặp cán bộ');
    await citizen.locator('.msg.bot', { hasText: 'vị trí số' }).waitFor();

    // Clerk 1 is alerted: a chime, a desktop notification, a note on the page.
    await expect.poll(async () => (await notifications(clerk1)).map((n) => n.title), { timeout: 10_000 }).toContain('Người dân đang chờ');
    expect((await notifications(clerk1)).find((n) => n.title === 'Người dân đang chờ')?.body).toContain('quên mật khẩu VNeID thì làm sao');
    expect(await chimes(clerk1)).toBeGreaterThan(0);
    await clerk1.locator('.toast', { hasText: 'Người dân đang chờ' }).waitFor();

    // The card: the web chat icon, no name (the web chat gives none), the first question.
    const card = clerk1.locator('#queue-waiting .ticket', { hasText: 'quên mật khẩu VNeID' });
    await card.locator('.ch-icon.ch-web').waitFor();
    await card.click();
    await clerk1.click('#claim');
    await citizen.locator('.msg', { hasText: 'Cán bộ Lan đã tiếp nhận' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => clerk1.locator('#reply-text').isEnabled()).toBe(true);
    expect(await clerk1.locator('#queue-count').textContent()).toBe('1'); // the badge counts the conversation held

    // A canned reply with "/": filter, Enter inserts it (with the guide's link), Gửi sends it.
    await clerk1.locator('#reply-text').pressSequentially('/quen');
    await clerk1.locator('#slash-menu li', { hasText: '/vneid-quen-mat-khau' }).waitFor();
    await clerk1.keyboard.press('Enter');
    const inserted = await clerk1.locator('#reply-text').inputValue();
    expect(inserted).toContain('ứng dụng VNeID bằng mã OTP');
    expect(inserted).toMatch(/https:\/\//);
    await clerk1.click('#reply-send');
    await citizen.locator('.msg.staff', { hasText: 'ứng dụng VNeID bằng mã OTP' }).waitFor({ timeout: 10_000 });
    expect(await citizen.locator('.msg.staff .text').last().textContent()).toMatch(/^👤 Cán bộ Lan: Anh\/chị tự lấy lại mật khẩu/);

    // A private note: staff see it, the citizen never does.
    await clerk1.check('#mode-note');
    await clerk1.fill('#reply-text', NOTE);
    await clerk1.click('#reply-send');
    await clerk1.locator('#transcript .entry.note', { hasText: NOTE }).waitFor();

    // Transfer to clerk 2 with a hand-over note.
    await clerk1.click('#transfer-open');
    await clerk1.selectOption('#transfer-to', 'hoa');
    await clerk1.fill('#transfer-note', HANDOVER);
    await clerk1.click('#transfer-send');
    await citizen.locator('.msg', { hasText: 'Cán bộ Hoa sẽ tiếp tục hỗ trợ bạn' }).waitFor({ timeout: 10_000 });

    // Clerk 2 is alerted and finds it under "Của tôi".
    await expect.poll(async () => (await notifications(clerk2)).map((n) => n.title), { timeout: 10_000 }).toContain('Cuộc trò chuyện được chuyển cho bạn');
    await clerk2.locator('.toast', { hasText: 'được chuyển cho bạn' }).click();
    await clerk2.locator('#transcript .entry.note', { hasText: HANDOVER }).waitFor();
    expect(await clerk2.locator('#queue-mine .ticket').count()).toBe(1);
    await expect.poll(() => clerk2.locator('#reply-text').isEnabled()).toBe(true);
    expect(await clerk2.isChecked('#mode-reply')).toBe(true);
    await clerk2.fill('#reply-text', HOA_REPLY);
    await clerk2.click('#reply-send');
    const bubble = citizen.locator('.msg.staff', { hasText: HOA_REPLY });
    await bubble.waitFor({ timeout: 10_000 });
    expect(await bubble.locator('.text').textContent()).toBe(`👤 Cán bộ Hoa: ${HOA_REPLY}`); // beside the screen readers' hidden "who says it"
    expect(await bubble.evaluate((n) => getComputedStyle(n).backgroundColor)).not.toBe(
      await citizen.locator('.msg.bot:not(.staff)').first().evaluate((n) => getComputedStyle(n).backgroundColor),
    );

    // The citizen writes: clerk 2, who holds the conversation, is alerted.
    const before = (await notifications(clerk2)).length;
    await citizenSays(citizen, 'Tôi mang theo sổ hộ khẩu cũ được không?');
    await expect.poll(async () => (await notifications(clerk2)).slice(before).map((n) => n.title), { timeout: 10_000 }).toContain('Tin nhắn mới');
    await clerk2.locator('#transcript .entry.citizen', { hasText: 'sổ hộ khẩu cũ' }).waitFor();

    // Labels, then resolve.
    await clerk2.click('#labels-open');
    await clerk2.fill('#labels-input', 'VNeID, khiếu nại');
    await clerk2.click('#labels-save');
    await clerk2.locator('#conv-labels .label', { hasText: 'khiếu nại' }).waitFor();
    await clerk2.click('#resolve');
    await clerk2.click('#resolve');
    await citizen.locator('.msg', { hasText: 'chấm mấy điểm' }).waitFor({ timeout: 10_000 });

    // Clerk 1 finds it in the history by a word from it, then by the label.
    await clerk1.click('#tab-history');
    await clerk1.fill('#h-q', 'sổ hộ khẩu');
    await clerk1.click('#h-search');
    const found = clerk1.locator('#history-list .ticket', { hasText: 'quên mật khẩu VNeID' });
    await found.waitFor();
    expect(await clerk1.locator('#history-list .ticket').count()).toBe(1);
    await found.locator('.status.resolved').waitFor();
    await clerk1.fill('#h-q', '');
    await clerk1.fill('#h-label', 'vneid');
    await clerk1.click('#h-search');
    await clerk1.locator('#history-list .ticket .label', { hasText: 'VNeID' }).waitFor();
    expect(await clerk1.locator('#history-list .ticket').count()).toBe(1);
    await clerk1.locator('#history-list .ticket').click();
    await clerk1.locator('#transcript .entry.note', { hasText: NOTE }).waitFor();
    await clerk1.locator('#transcript .entry.staff', { hasText: HOA_REPLY }).waitFor();

    // The citizen never saw a note.
    const seen = (await citizen.locator('#log').textContent()) ?? '';
    expect(seen).not.toContain(NOTE);
    expect(seen).not.toContain(HANDOVER);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('asks for desktop notifications once per browser, not at every visit', async () => {
    const page = await open();
    await logIn(page, 'lan');
    expect(await asked(page)).toBe(1);
    await page.reload();
    await page.locator('#live-status.on').waitFor({ timeout: 10_000 });
    await page.click('#tab-queue');
    expect(await asked(page)).toBe(0); // the stub counts per page load: no second question
  }, 60_000);
});
