/**
 * `npm run screenshots`: the web chat on a phone (390×844, headless Chromium), as the docs show
 * it. Starts the real server (in memory, on a free loopback port) and writes docs/img/*.png:
 * - web-chat-phone.png: a question answered, the guide opening at its title;
 * - web-chat-typing.png: the typing indicator, the send button waiting;
 * - web-chat-retry.png: a message that could not be sent, its text kept, "Gửi lại";
 * - web-chat-end.png: the end of a guide, 👍/👎 apart from the related guides;
 * - web-chat-english.png: an English conversation, the page's own labels in English;
 * - web-chat-200.png: the same page at 200 % text size.
 * Needs /usr/bin/chromium (or CHROMIUM_PATH). Never run by the tests.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log/logger.ts';
import { createServer } from '../src/server.ts';
import { launchBrowser } from '../test/support/browser.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'img');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true } as const;

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function idle(page: Page): Promise<void> {
  await until(async () => (await page.locator('#send').isEnabled()) && (await page.locator('.buttons[aria-disabled="true"]').count()) === 0, 'the reply');
}

async function ask(page: Page, text: string): Promise<void> {
  await page.locator('#input').fill(text);
  await page.locator('#send').click();
  await idle(page);
}

async function fresh(browser: Browser, url: string): Promise<Page> {
  const page = await (await browser.newContext(PHONE)).newPage();
  await page.goto(url);
  await until(async () => (await page.locator('.msg.bot').count()) > 0, 'the welcome');
  await idle(page);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.locator('#input').blur();
  await page.screenshot({ path: join(OUT, name) });
  console.log(`wrote docs/img/${name}`);
}

async function main(): Promise<void> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', CONTENT_WATCH: 'false', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0' });
  const server = await createServer(config, { logger: createLogger('warn') });
  const url = await server.start();
  const browser = await launchBrowser();
  try {
    let page = await fresh(browser, url);
    await ask(page, 'làm căn cước công dân ở đâu');
    await shoot(page, 'web-chat-phone.png');
    await page.context().close();

    page = await fresh(browser, url);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/web/messages', async (route) => {
      if (route.request().method() === 'POST') await gate;
      await route.continue();
    });
    await page.locator('#input').fill('kich hoat dinh danh muc 2');
    await page.locator('#send').click();
    await until(async () => (await page.locator('.typing').count()) === 1, 'the typing indicator');
    await shoot(page, 'web-chat-typing.png');
    release();
    await idle(page);
    await page.unroute('**/api/web/messages');
    await page.route('**/api/web/messages', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await page.locator('#input').fill('lệ phí bao nhiêu');
    await page.locator('#send').click();
    await until(async () => (await page.locator('.msg.me.failed').count()) === 1, 'the failed send');
    await page.locator('#log').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await shoot(page, 'web-chat-retry.png');
    await page.context().close();

    page = await fresh(browser, url);
    await ask(page, 'kich hoat dinh danh muc 2');
    await page.locator('.msg.bot').last().getByRole('button', { name: /Xem tất cả các bước/ }).click();
    await idle(page);
    await page.locator('.msg.bot', { hasText: 'Hướng dẫn này có hữu ích không?' }).scrollIntoViewIfNeeded();
    await page.locator('#log').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await shoot(page, 'web-chat-end.png');
    await page.context().close();

    page = await fresh(browser, url);
    await ask(page, 'how do I activate my electronic ID level 2');
    await shoot(page, 'web-chat-english.png');
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    await page.locator('#log').evaluate((el) => (el.scrollTop = 0));
    await shoot(page, 'web-chat-200.png');
    await page.context().close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
