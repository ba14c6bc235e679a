// The web chat's session in Chromium: an HttpOnly cookie the page never sees, no session id in
// any URL the page requests, the same conversation after a reload, and the "too many new chats"
// message when a budget refuses a new one.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';

let s: StartedServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer({ WEB_NEW_CHATS_PER_IP_PER_MINUTE: '1' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('web chat session in a browser', () => {
  it('keeps the session in an HttpOnly cookie, out of every URL, across a reload; a refused new chat says why', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(s.url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    await page.getByLabel('Câu hỏi của bạn').fill('làm căn cước cho con');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.bot').last().textContent()).toContain('Bước 1/');

    const cookie = (await context.cookies()).find((c) => c.name === 'dvc_chat');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('dvc_chat');
    expect(await page.evaluate(() => localStorage.getItem('dvcbot.session'))).toBeNull();
    expect(urls.some((u) => u.includes('/api/web/messages?after='))).toBe(true); // it did poll
    for (const url of urls) {
      expect(url).not.toContain(cookie!.value);
      expect(url).not.toContain('sessionId');
    }

    // A reload is the same conversation (the budget of 1 a minute would refuse a new one).
    await page.reload();
    await expect.poll(() => page.locator('.msg.bot').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Bước 1/')]));
    expect((await context.cookies()).find((c) => c.name === 'dvc_chat')?.value).toBe(cookie!.value);
    await expect.poll(() => page.locator('#error').isHidden()).toBe(true);

    // Another browser from the same address is over the budget: told to come back later.
    const other = await browser.newPage();
    await other.goto(s.url);
    await expect.poll(() => other.locator('#error').textContent()).toContain('quá nhiều cuộc trò chuyện mới');
    await other.close();
    await context.close();
  });
});
