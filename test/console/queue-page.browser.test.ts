// The console's queue in headless Chromium with more citizens waiting than it shows: the first 50
// and the totals, "show more" reads the next page only, and live events (a citizen queued, a
// ticket claimed by a colleague, a citizen's new message) change the pane from their deltas
// without reading the queue again. When a shown ticket leaves and more wait, one page is read.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConversationId } from '../../src/core/types.ts';
import type { Server } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { PASSWORD, addStaff, testServer } from './helpers.ts';

const SEEDED = 120;
const idOf = (i: number): ConversationId => `telegram:${7_000_000_000 + i}`;

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
/** Every queue read the page made (path and query). */
const reads: string[] = [];
const pageErrors: string[] = [];

const cards = (list: string) => page.locator(`#${list} .ticket`);
const text = (id: string) => page.locator(`#${id}`).textContent();
const publish = (type: 'queue' | 'status' | 'message', id: ConversationId, extra: object = {}) =>
  server.stores.events.publish({ type, conversationId: id, atMs: Date.now(), ...extra });

beforeAll(async () => {
  server = await testServer();
  base = await server.start();
  await addStaff(server, 'lan', 'staff', 'Chị Lan');
  await addStaff(server, 'hoa', 'staff', 'Chị Hoa');
  const t0 = Date.now() - SEEDED * 60_000;
  for (let i = 0; i < SEEDED; i += 1) {
    await server.stores.handoffs.enqueue({ id: idOf(i), channel: 'telegram', waitingSinceMs: t0 + i * 1_000, reason: 'asked', title: `câu hỏi số ${i}` });
  }
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.pathname === '/api/staff/queue' || url.pathname === '/api/staff/handoffs') reads.push(url.pathname + url.search);
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().includes('status of 401')) pageErrors.push(msg.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows a page of the waiting with the totals, pages on, and applies live deltas without reading the queue', async () => {
  await page.goto(`${base}/console`);
  await page.fill('#username', 'lan');
  await page.fill('#password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#live-status.on').waitFor({ timeout: 10_000 });

  await expect.poll(() => cards('queue-waiting').count(), { timeout: 10_000 }).toBe(50);
  expect(await text('waiting-count')).toBe(String(SEEDED));
  expect(await page.locator('#queue-more').textContent()).toContain('còn 70');
  expect(await cards('queue-waiting').first().textContent()).toContain('câu hỏi số 0'); // the longest waiting first
  expect(reads.every((r) => r.startsWith('/api/staff/queue'))).toBe(true); // never the whole queue

  // "Show more" twice: 100, then all 120; the button goes.
  await page.click('#queue-more');
  await expect.poll(() => cards('queue-waiting').count()).toBe(100);
  expect(reads.at(-1)).toBe('/api/staff/queue?offset=50&limit=50');
  await page.click('#queue-more');
  await expect.poll(() => cards('queue-waiting').count()).toBe(SEEDED);
  expect(await page.locator('#queue-more').isHidden()).toBe(true);
  const readsBefore = reads.length;

  // A citizen queued: at the end of the list, counted — from the event alone.
  const fresh = idOf(500);
  await server.stores.handoffs.enqueue({ id: fresh, channel: 'telegram', waitingSinceMs: Date.now(), reason: 'asked', title: 'người mới đến' });
  await publish('queue', fresh);
  await expect.poll(() => text('waiting-count')).toBe(String(SEEDED + 1));
  expect(await cards('queue-waiting').last().textContent()).toContain('người mới đến');

  // A colleague claims the longest waiting: it moves to their list.
  expect((await server.stores.handoffs.claim(idOf(0), 'hoa', Date.now())).ok).toBe(true);
  await publish('status', idOf(0), { by: 'hoa' });
  await expect.poll(() => text('others-count')).toBe('1');
  expect(await text('waiting-count')).toBe(String(SEEDED));
  expect(await cards('queue-others').first().textContent()).toContain('câu hỏi số 0');
  expect(await cards('queue-waiting').first().textContent()).toContain('câu hỏi số 1');

  // A waiting citizen writes again: their card shows the new message.
  await server.stores.handoffs.touch(idOf(5), 'tôi vẫn đang chờ ạ', Date.now());
  await publish('message', idOf(5), { entry: { role: 'citizen', text: 'tôi vẫn đang chờ ạ', atMs: Date.now() } });
  await page.locator('#queue-waiting .ticket .last', { hasText: 'tôi vẫn đang chờ ạ' }).waitFor({ timeout: 10_000 });
  expect(reads.length).toBe(readsBefore); // no read of the queue for any of it
  expect(pageErrors).toEqual([]);
});

it('reads one page again when a shown ticket leaves and more wait', async () => {
  await page.reload();
  await expect.poll(() => cards('queue-waiting').count(), { timeout: 10_000 }).toBe(50);
  await page.locator('#live-status.on').waitFor({ timeout: 10_000 });
  const readsBefore = reads.length;
  await server.stores.handoffs.remove(idOf(1));
  await publish('status', idOf(1), { by: 'hoa' });
  await expect.poll(() => text('waiting-count')).toBe(String(SEEDED - 1));
  await expect.poll(() => cards('queue-waiting').count()).toBe(50); // refilled
  expect(reads.slice(readsBefore)).toEqual(['/api/staff/queue?offset=0&limit=50']);
  expect(await cards('queue-waiting').first().textContent()).toContain('câu hỏi số 2');
  expect(pageErrors).toEqual([]);
});
