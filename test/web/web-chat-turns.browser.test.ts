// Issue 20, the web chat on a phone (real Chromium, 390×844): every reply shown once, a typing
// indicator and a send button that waits, one step per rapid triple tap, a failed send that
// keeps its text and offers to send again, long answers opening at their top, tappable links,
// and labels in the conversation's language (issue 18, item 6).
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 } as const;
const TOUCH_PHONE = { ...PHONE, hasTouch: true, isMobile: true } as const;

let s: StartedServer;
let browser: Browser;
beforeAll(async () => {
  s = await startTestServer({ RATE_LIMIT_PER_MINUTE: '0' });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

const lastBot = (page: Page) => page.locator('.msg.bot:not(.typing)').last();

async function open(options: BrowserContextOptions = PHONE): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(s.url);
  await expect.poll(() => lastBot(page).textContent()).toContain('Xin chào');
  return page;
}

/** Waits until no message is on its way (send button enabled, no typing indicator). */
async function idle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#send').isEnabled()).toBe(true);
  await expect.poll(() => page.locator('.typing').count()).toBe(0);
}

async function ask(page: Page, text: string): Promise<void> {
  await page.locator('#input').fill(text);
  await page.locator('#send').click();
}

/** Waits until the newest menu can be pressed (new buttons ignore taps for a moment). */
async function armed(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.buttons[aria-disabled="true"]').count()).toBe(0);
}

describe('every reply shown once', () => {
  it('no duplicated message over 50 turns with two-message replies; the page labels follow the language', async () => {
    const page = await open();
    for (let turn = 0; turn < 50; turn++) {
      const english = turn % 2 === 0;
      await ask(page, english ? 'English' : 'tiếng việt');
      await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(english ? 'en' : 'vi');
      await idle(page);
    }
    // Messages the poll may still bring: none is shown twice however late it comes.
    await page.waitForTimeout(500);
    const seqs = await page.locator('.msg.bot[data-seq]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.length).toBe(1 + 50 * 2); // the welcome, then "switched" + the topics per turn
    expect(await page.locator('#send').textContent()).toBe('Gửi');
    await ask(page, 'English');
    await expect.poll(() => page.locator('#send').textContent()).toBe('Send');
    expect(await page.locator('#input').getAttribute('placeholder')).toBe('Type your question…');
    expect(await page.locator('#privacy').textContent()).toContain('Never send passwords');
    expect(await page.locator('#title').textContent()).toBe('Cần Thơ public services assistant');
    expect(await page.getByLabel('Your question').count()).toBe(1);
    await page.context().close();
  }, 180_000);
});

describe('while the bot is working', () => {
  it('shows a typing indicator; the send button and the choices wait', async () => {
    const page = await open();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/web/messages', async (route) => {
      if (route.request().method() === 'POST') await gate;
      await route.continue();
    });
    await ask(page, 'kich hoat dinh danh muc 2');
    await expect.poll(() => page.locator('.typing').count()).toBe(1);
    expect(await page.locator('.typing').isVisible()).toBe(true);
    expect(await page.locator('#send').isDisabled()).toBe(true);
    expect(await page.locator('#status').textContent()).toBe('Trợ lý đang trả lời…');
    const choices = page.locator('.buttons button');
    expect(await choices.count()).toBeGreaterThan(0);
    expect(await choices.evaluateAll((els) => els.every((e) => (e as HTMLButtonElement).disabled))).toBe(true);
    await page.screenshot({ path: 'test-results/web-chat-typing.png' }).catch(() => undefined);
    release();
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
    await idle(page);
    expect(await page.locator('#status').textContent()).toBe('');
    await page.context().close();
  });

  it('a rapid triple tap on "Tiếp" moves one step', async () => {
    const page = await open(TOUCH_PHONE);
    await ask(page, 'kich hoat dinh danh muc 2');
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
    await idle(page);
    await armed(page);
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/web/messages')) posts++;
    });
    const next = lastBot(page).getByRole('button', { name: /Tiếp/ });
    await next.scrollIntoViewIfNeeded(); // the answer opened at its top: the buttons are further down
    const box = (await next.boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await page.touchscreen.tap(x, y);
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 2/');
    await idle(page);
    await page.waitForTimeout(800); // any tap that got through would have been sent by now
    expect(posts).toBe(1);
    expect(await page.locator('.msg.bot', { hasText: 'Bước 3/' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('when the server is down', () => {
  it('a failed send keeps the text and offers to send it again; the retry is answered once', async () => {
    const page = await open();
    await page.route('**/api/web/messages', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await ask(page, 'lam cccd o dau');
    await expect.poll(() => page.locator('.msg.me.failed').count()).toBe(1);
    expect(await page.locator('#input').inputValue()).toBe('lam cccd o dau');
    expect(await page.locator('#error').isVisible()).toBe(true);
    expect(await page.locator('.msg.me.failed').textContent()).toContain('Chưa gửi được.');
    await page.screenshot({ path: 'test-results/web-chat-failed.png' }).catch(() => undefined);
    await page.unroute('**/api/web/messages');
    await page.locator('.msg.me.failed').getByRole('button', { name: 'Gửi lại' }).click();
    await expect.poll(() => page.locator('.msg.me.failed').count()).toBe(0);
    await expect.poll(() => lastBot(page).textContent()).toMatch(/căn cước/i);
    await idle(page);
    expect(await page.locator('#input').inputValue()).toBe('');
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('.msg.me', { hasText: 'lam cccd o dau' }).count()).toBe(1);
    await page.context().close();
  });
});

describe('reading on a phone', () => {
  it('a long answer opens at its top, with its title visible under the header', async () => {
    const page = await open();
    await ask(page, 'kich hoat dinh danh muc 2');
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
    await idle(page);
    await armed(page);
    await lastBot(page).getByRole('button', { name: /Xem tất cả các bước/ }).click();
    const all = page.locator('.msg.bot', { hasText: 'Các bước –' });
    await expect.poll(() => all.count()).toBe(1);
    await idle(page);
    const { newHeight, viewHeight } = await all.evaluate((el) => {
      const log = el.parentElement!;
      return { newHeight: log.scrollHeight - (el as HTMLElement).offsetTop, viewHeight: log.clientHeight };
    });
    expect(newHeight).toBeGreaterThan(viewHeight); // the answer is longer than the screen
    const logBox = (await page.locator('#log').boundingBox())!;
    const top = (await all.boundingBox())!.y;
    expect(top).toBeGreaterThanOrEqual(logBox.y - 1);
    expect(top).toBeLessThan(logBox.y + 40);
    await page.context().close();
  });

  it('web addresses and phone numbers in a message can be tapped', async () => {
    const page = await open();
    await ask(page, 'kich hoat dinh danh muc 2');
    await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
    await idle(page);
    await armed(page);
    await lastBot(page).getByRole('button', { name: /Xem tất cả các bước/ }).click();
    const end = page.locator('.msg.bot', { hasText: 'Trang chính thức:' });
    await expect.poll(() => end.count()).toBe(1);
    const link = end.locator('.text a[href^="https://"]').first();
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toContain('noopener');
    expect(await end.locator('.text').textContent()).toContain(await link.getAttribute('href'));
    // The linking itself, on addresses written without https:// and on phone numbers (the page's own module).
    const html = (await page.evaluate(`(async () => {
      const view = await import('/web/chat-view.js');
      const div = document.createElement('div');
      view.appendLinkified(div, 'Vào dichvucong.gov.vn, https://vneid.gov.vn/tra-cuu. Gọi 1900 0368 hoặc email a@b.vn.');
      return [...div.querySelectorAll('a')].map((a) => a.getAttribute('href') + '|' + a.textContent);
    })()`)) as string[];
    expect(html).toEqual(['https://dichvucong.gov.vn|dichvucong.gov.vn', 'https://vneid.gov.vn/tra-cuu|https://vneid.gov.vn/tra-cuu', 'tel:19000368|1900 0368']);
    await page.context().close();
  });
});
