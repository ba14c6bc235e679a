// Issue 20, the web chat for an old phone and a screen reader (real Chromium, 390×844): an
// automated accessibility check (axe-core: no serious or critical issue), 200 % text size,
// roles, labels and the live region, buttons of at least 44 px, and no "selected" look left
// on a tapped button.
import { createRequire } from 'node:module';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 } as const;

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
  // bypassCSP only so the test can inject axe-core; the page itself runs under its own CSP.
  const context = await browser.newContext({ ...options, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(s.url);
  await expect.poll(() => lastBot(page).textContent()).toContain('Xin chào');
  return page;
}

async function idle(page: Page): Promise<void> {
  await expect.poll(() => page.locator('#send').isEnabled()).toBe(true);
  await expect.poll(() => page.locator('.buttons[aria-disabled="true"]').count()).toBe(0);
}

/** A page in the middle of a guide: text, step buttons, a link button, the citizen's own bubble. */
async function withGuide(page: Page): Promise<void> {
  await page.locator('#input').fill('kich hoat dinh danh muc 2');
  await page.locator('#send').click();
  await expect.poll(() => lastBot(page).textContent()).toContain('Bước 1/');
  await idle(page);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH });
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Buttons and link buttons smaller than 44×44 CSS px. */
async function smallTargets(page: Page): Promise<string[]> {
  return page.locator('button:visible, a.link-button:visible').evaluateAll((els) =>
    els.flatMap((e) => {
      const r = e.getBoundingClientRect();
      return r.width < 44 || r.height < 44 ? [`${e.textContent} ${Math.round(r.width)}×${Math.round(r.height)}`] : [];
    }),
  );
}

describe('accessibility', () => {
  it('axe-core finds no serious or critical issue: the welcome, a guide, a failed send, the typing indicator', async () => {
    const page = await open();
    expect(await axeProblems(page)).toEqual([]);
    await withGuide(page);
    expect(await axeProblems(page)).toEqual([]);
    await page.route('**/api/web/messages', (route) => (route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue()));
    await page.locator('#input').fill('lam cccd o dau');
    await page.locator('#send').click();
    await expect.poll(() => page.locator('.msg.me.failed').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    await page.unroute('**/api/web/messages');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/web/messages', async (route) => {
      if (route.request().method() === 'POST') await gate;
      await route.continue();
    });
    await page.locator('.msg.me.failed').getByRole('button', { name: 'Gửi lại' }).click();
    await expect.poll(() => page.locator('.typing').count()).toBe(1);
    expect(await axeProblems(page)).toEqual([]);
    release();
    await page.context().close();
  });

  it('works at 200 % text size: nothing cut off or wider than the phone, controls in view, still no axe issue', async () => {
    const page = await open();
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    await withGuide(page);
    const sizes = await page.evaluate(() => ({
      body: parseFloat(getComputedStyle(document.body).fontSize),
      pageWidth: document.documentElement.scrollWidth,
      clipped: Array.from(document.querySelectorAll('.msg, .buttons button, #send, #title, #privacy')).filter((e) => e.scrollWidth > e.clientWidth + 1).length,
    }));
    expect(sizes.body).toBeGreaterThanOrEqual(36); // 18 px × 2
    expect(sizes.pageWidth).toBeLessThanOrEqual(390);
    expect(sizes.clipped).toBe(0);
    for (const id of ['#input', '#send']) {
      const box = (await page.locator(id).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(box.y + box.height).toBeLessThanOrEqual(844);
    }
    expect(await page.locator('#log').evaluate((el) => el.clientHeight)).toBeGreaterThan(200); // room left to read
    expect(await page.locator('#subtitle').isHidden()).toBe(true); // the header gives up its subtitle
    expect(await page.locator('#title').isVisible()).toBe(true);
    expect(await smallTargets(page)).toEqual([]);
    expect(await axeProblems(page)).toEqual([]);
    await page.screenshot({ path: 'test-results/web-chat-200.png' }).catch(() => undefined);
    await page.context().close();
  });

  it('a screen reader hears who speaks, the new messages, the choices as a group, and that the bot is replying', async () => {
    const page = await open();
    const log = page.locator('#log');
    expect(await log.getAttribute('role')).toBe('log');
    expect(await log.getAttribute('aria-live')).toBe('polite');
    expect(await log.getAttribute('aria-label')).toBe('Cuộc trò chuyện');
    expect(await page.getByRole('textbox', { name: 'Câu hỏi của bạn' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Gửi' }).count()).toBe(1);
    expect(await page.getByRole('status').count()).toBe(1);
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    await withGuide(page);
    expect(await page.locator('.msg.me').last().textContent()).toBe('Bạn: kich hoat dinh danh muc 2');
    expect(await lastBot(page).textContent()).toMatch(/^Trợ lý: /);
    expect(await lastBot(page).getByRole('group', { name: 'Các lựa chọn' }).count()).toBe(1);
    expect(await page.locator('.typing').count()).toBe(0);
    await page.context().close();
  });

  it('every button and link button is at least 44 × 44 px', async () => {
    const page = await open();
    expect(await smallTargets(page)).toEqual([]);
    await withGuide(page);
    expect(await smallTargets(page)).toEqual([]);
    await page.context().close();
  });

  it('a tapped button does not stay filled like a selected one', async () => {
    const page = await open({ ...PHONE, hasTouch: true, isMobile: true });
    const topic = lastBot(page).getByRole('button').nth(1);
    await idle(page);
    const before = await topic.evaluate((b) => getComputedStyle(b).backgroundColor);
    await topic.tap();
    await expect.poll(() => page.locator('.msg.bot:not(.typing)').count()).toBeGreaterThan(1);
    await idle(page);
    const styles = await topic.evaluate((b) => {
      const row = Array.from(b.parentElement!.querySelectorAll('button'));
      return { tapped: getComputedStyle(b).backgroundColor, others: row.filter((x) => x !== b).map((x) => getComputedStyle(x).backgroundColor) };
    });
    expect(before).toBe('rgb(255, 255, 255)');
    expect(styles.tapped).not.toBe('rgb(11, 92, 173)'); // never the filled blue of a selected button
    expect(new Set(styles.others)).toEqual(new Set([styles.tapped])); // looks like its neighbours
    await page.context().close();
  });
});
