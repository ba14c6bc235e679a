// The web chat in headless Chromium: ask, walk the steps with buttons, give 👍; HTML shows as text.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';

let s: StartedServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer();
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

const lastBot = (page: Page) => page.locator('.msg.bot').last();

describe('web chat in a browser', () => {
  it('answers "kich hoat dinh danh muc 2", walks the steps with buttons, and takes a 👍', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(s.url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    await expect.poll(() => lastBot(page).textContent()).toContain('Xin chào');
    // Accessible basics: a labelled input, a real button, the log announced politely.
    expect(await page.getByLabel('Câu hỏi của bạn').count()).toBe(1);
    expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');

    await page.getByLabel('Câu hỏi của bạn').fill('kich hoat dinh danh muc 2');
    await page.getByRole('button', { name: 'Gửi' }).click();
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
    const total = Number(/Bước 1\/(\d+)/.exec((await lastBot(page).textContent()) ?? '')?.[1]);
    expect(total).toBeGreaterThan(2);
    for (let k = 2; k < total; k++) {
      await lastBot(page).getByRole('button', { name: /Tiếp/ }).click();
      await expect.poll(() => lastBot(page).textContent()).toContain(`Bước ${k}/${total}`);
    }
    // The last step ends the guide: 👍/👎 under "hữu ích không?", the related guides in the next message.
    await lastBot(page).getByRole('button', { name: /Tiếp/ }).click();
    const end = page.locator('.msg.bot', { hasText: `Bước ${total}/${total}` });
    await expect.poll(() => end.textContent()).toContain('Hướng dẫn này có hữu ích không?');
    await expect.poll(() => lastBot(page).textContent()).toContain('Có thể bạn cũng cần:');
    expect(await lastBot(page).getByRole('button', { name: /👍|👎/ }).count()).toBe(0);
    await end.getByRole('button', { name: /👍/ }).click();
    await expect.poll(() => lastBot(page).textContent()).toContain('Cảm ơn');
    await page.screenshot({ path: 'test-results/web-chat.png', fullPage: false }).catch(() => undefined);
    await page.close();
  });

  it('goes on answering after the server restarts without its store (numbering starts again), and says it restarted', async () => {
    const first = await startTestServer(); // memory store: a restart forgets every session
    const page = await browser.newPage();
    let second: StartedServer | undefined;
    try {
      await page.goto(first.url);
      await expect.poll(() => lastBot(page).textContent()).toContain('Xin chào');
      await page.getByLabel('Câu hỏi của bạn').fill('kich hoat dinh danh muc 2');
      await page.keyboard.press('Enter');
      await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
      await first.stop();
      second = await startTestServer({ PORT: new URL(first.url).port });
      // The page's cursor is past the new server's numbers: it must start over, not wait for them.
      await page.getByLabel('Câu hỏi của bạn').fill('lam the can cuoc cho con');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('.msg.bot').allTextContents().then((t) => t.join(' '))).toContain('dưới 14 tuổi');
      // The open guide is not forgotten silently: the page says the server restarted, before the answer.
      const notice = page.locator('.msg.notice');
      expect(await notice.count()).toBe(1);
      expect(await notice.textContent()).toContain('Hệ thống vừa khởi động lại');
      const order = await page.locator('.msg').evaluateAll((els) => els.map((e) => e.className));
      expect(order.indexOf('msg notice')).toBeLessThan(order.lastIndexOf('msg bot'));
    } finally {
      await page.close();
      await second?.stop();
      await first.stop().catch(() => undefined);
    }
  });

  it('shows a typed <script> as text and runs nothing', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(s.url);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(0);
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await page.getByLabel('Câu hỏi của bạn').fill(evil);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.me .text').last().textContent()).toBe(evil);
    await expect.poll(() => page.locator('.msg.bot').count()).toBeGreaterThan(1);
    expect(await page.locator('.log script, .log img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
