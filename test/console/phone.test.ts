// The console on a phone (390×844, touch) in headless Chromium: one pane at a time, nothing wider
// than the screen, buttons big enough for a thumb; a clerk at the counter opens a waiting
// citizen, claims, replies, goes back to the list and searches the history. The same morning is
// also shot on a desktop; with DOCS_SCREENSHOTS=1 the pictures go to docs/img/ (else test-results/).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { SCENE_NOW_MS, morningScene, type Scene } from './console-scene.ts';
import { PASSWORD } from './helpers.ts';

const SHOTS = process.env.DOCS_SCREENSHOTS === '1' ? join(import.meta.dirname, '../../docs/img') : join(import.meta.dirname, '../../test-results');

let scene: Scene;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

async function clerk(username: string, viewport: { width: number; height: number }, phone: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport, isMobile: phone, hasTouch: phone, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.clock.setFixedTime(SCENE_NOW_MS);
  await page.goto(`${base}/console`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#live-status.on').waitFor({ state: 'attached', timeout: 10_000 }); // hidden on a phone
  return page;
}

/** Elements wider than the screen, or sticking out of it (none should). */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const node of Array.from(document.querySelectorAll<HTMLElement>('button, input, select, textarea, .ticket, h2'))) {
      const r = node.getBoundingClientRect();
      if (r.width > 0 && (r.right > width + 1 || r.left < -1)) out.push(`${node.id || node.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
    }
    return out;
  });

/** Visible buttons shorter than `min` px (too small for a thumb). */
const smallButtons = (page: Page, min: number) =>
  page.evaluate((m) => {
    return Array.from(document.querySelectorAll<HTMLElement>('button'))
      .filter((b) => b.offsetParent !== null && !b.closest('#slash-menu'))
      .filter((b) => b.getBoundingClientRect().height < m)
      .map((b) => `${b.id || b.className || b.textContent} ${Math.round(b.getBoundingClientRect().height)}px`);
  }, min);

beforeAll(async () => {
  scene = await morningScene();
  base = await scene.server.start();
  browser = await launchBrowser();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await scene?.server.stop();
});

describe('the console on a desktop, then at 390 px', () => {
  it('shows the same morning on a desktop: three lists, the held conversation with its note, "/" replies', async () => {
    const page = await clerk('lan', { width: 1280, height: 800 }, false);
    await page.locator('#queue-mine .ticket', { hasText: 'kích hoạt định danh mức 2' }).click();
    await page.locator('#transcript .entry.note', { hasText: 'Cần đổi số điện thoại' }).waitFor();
    await page.locator('#conv-labels .label', { hasText: 'VNeID' }).waitFor();
    await page.locator('#reply-text').pressSequentially('/vneid');
    await page.locator('#slash-menu li').first().waitFor();
    expect(await page.locator('#slash-menu li').count()).toBeGreaterThanOrEqual(2);
    expect(await overflowing(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'console-desktop.png') });
    expect(pageErrors).toEqual([]);
  }, 90_000);

  it('shows one pane at a time, fits the screen, and lets a clerk answer from the counter', async () => {
    const page = await clerk('hoa', { width: 390, height: 844 }, true);
    const waiting = page.locator('#queue-waiting .ticket');
    await expect.poll(() => waiting.count()).toBe(3); // the desktop test before claimed none
    // Oldest first, coloured by the office-hours wait: red (26 min), amber (9 min), fine (1 min).
    expect(await waiting.evaluateAll((nodes) => nodes.map((n) => Array.from(n.classList).find((c) => c.startsWith('wait-'))))).toEqual(['wait-red', 'wait-amber', 'wait-ok']);
    expect(await page.locator('#queue-count').textContent()).toBe('4'); // 3 waiting + 1 held by Hoa
    expect(await overflowing(page)).toEqual([]);
    expect(await smallButtons(page, 40)).toEqual([]);
    expect(await page.locator('#conversation').isVisible()).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'console-phone.png') });

    await waiting.filter({ hasText: 'Lan Nguyễn' }).click();
    await page.locator('#conv-title', { hasText: 'Lan Nguyễn · “quên mật khẩu VNeID thì làm sao”' }).waitFor();
    expect(await page.locator('#queue-pane').isVisible()).toBe(false);
    await page.click('#claim');
    await expect.poll(() => page.locator('#reply-text').isEnabled()).toBe(true);
    await page.fill('#reply-text', 'Chào chị, chị mở VNeID và chọn Quên mật khẩu nhé.');
    await page.click('#reply-send');
    await page.locator('#transcript .entry.staff', { hasText: 'Quên mật khẩu nhé' }).waitFor();
    expect(await overflowing(page)).toEqual([]);
    expect(await smallButtons(page, 40)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'console-phone-conversation.png') });

    await page.click('#back');
    await page.locator('#queue-mine .ticket', { hasText: 'Lan Nguyễn' }).waitFor();
    await page.click('#tab-history');
    await page.fill('#h-q', 'tạm trú');
    await page.click('#h-search');
    await page.locator('#history-list .ticket', { hasText: 'Võ Minh Khoa' }).waitFor();
    expect(await overflowing(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
