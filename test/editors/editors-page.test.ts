// The Editors page and its API on the real server with Redis: editors see tables, charts and
// CSV; staff accounts get 403; no session goes to the console login. Checked in headless Chromium too.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestServer, type StartedServer } from '../support/test-server.ts';
import { EDITOR, STAFF, addStaffAccount, ask, login } from './support.ts';
import { WebCitizen } from '../support/web-citizen.ts';

const FALLBACK = 'con mèo bay lên trời';
const FALLBACK_NORMALISED = 'con meo bay len troi';

let s: StartedServer;
let browser: Browser;
let editor: string;
let staff: string;

beforeAll(async () => {
  s = await startTestServer({ REDIS_URL: inject('redisUrl') });
  expect(s.server.stores.kind).toBe('redis');
  await addStaffAccount(s, true);
  editor = await login(s, EDITOR);
  staff = await login(s, STAFF);
  await ask(s, 'làm căn cước cho con');
  await ask(s, FALLBACK);
  await ask(s, FALLBACK);
  await ask(s, 'gọi 0912345678 giúp tôi làm hộ chiếu');
  // A citizen asks for a person, and a staff member takes the conversation from the console.
  const citizen = new WebCitizen();
  await citizen.post(s.server.app, { text: 'tôi muốn gặp người thật' });
  const claim = await s.server.app.inject({ method: 'POST', url: `/api/staff/handoffs/${citizen.id}/claim`, headers: { cookie: staff } });
  expect(claim.statusCode).toBe(200);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

const get = (url: string, cookie?: string) => s.server.app.inject({ url, headers: cookie ? { cookie } : {} });

describe('Editors API and page access', () => {
  it('sends a visitor without a session to the console login', async () => {
    const page = await get('/console/editors');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/console');
    for (const url of ['/api/editor/report', '/api/editor/report.csv', '/api/editor/content-status']) expect((await get(url)).statusCode, url).toBe(401);
  });

  it('refuses a staff account the page and every editor route (403)', async () => {
    expect((await get('/console/editors', staff)).statusCode).toBe(403);
    for (const url of ['/api/editor/report?since=7d', '/api/editor/report.csv?table=guides', '/api/editor/content-status']) {
      expect((await get(url, staff)).statusCode, url).toBe(403);
    }
    // …while the staff console itself still works for them.
    expect((await get('/api/staff/me', staff)).statusCode).toBe(200);
  });

  it('serves the page to an editor with the console CSP', async () => {
    const page = await get('/console/editors', editor);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.body).toContain('<script type="module" src="/console/editors.js"></script>');
    expect(page.body).not.toMatch(/<script>|style="/);
    expect((await get('/console/editors.js', editor)).statusCode).toBe(200);
  });

  it('reports what citizens asked, masked, as JSON and CSV', async () => {
    const res = await get('/api/editor/report?since=1d', editor);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.totals).toMatchObject({ messages: 5, questions: 5, answered: 1, unanswered: 3, handoffs: 1, claims: 1 });
    expect(report.totals.medianWaitMs).toBeGreaterThanOrEqual(0);
    expect(report.unanswered[0]).toMatchObject({ kind: 'fallback', query: FALLBACK_NORMALISED, count: 2 });
    expect(res.body).not.toContain('0912345678');

    const csv = await get('/api/editor/report.csv?since=1d&table=unanswered', editor);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="report-unanswered-1d.csv"');
    const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('kind,query,count,guide_id,guide_title,last_seen');
    expect(lines[1]).toMatch(new RegExp(`^fallback,${FALLBACK_NORMALISED},2,`));
    expect((await get('/api/editor/report?since=forever', editor)).statusCode).toBe(400);
    expect((await get('/api/editor/report.csv?table=secrets', editor)).statusCode).toBe(400);
  });
});

describe('Editors page in a browser', () => {
  const cookieFor = (header: string) => {
    const [name, value] = header.split('=');
    return { name: name!, value: value!, url: s.url };
  };

  it('shows an editor the totals, the backlog table, the charts and CSV links, with no CSP violation', async () => {
    const context = await browser.newContext();
    await context.addCookies([cookieFor(editor)]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${s.url}/console/editors`);
    await expect.poll(() => page.locator('#table-unanswered tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#table-unanswered tbody tr').first().textContent()).toContain(FALLBACK_NORMALISED);
    expect(await page.locator('#totals .total').count()).toBeGreaterThan(4);
    expect(await page.locator('#table-guides tbody tr').count()).toBe(s.server.content.current().content.guideList.length);
    expect(await page.locator('#chart-days svg rect.bar').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-channels svg rect.bar').count()).toBe(2);
    expect(await page.locator('#content-version').textContent()).toContain(s.server.content.current().version);
    expect(await page.locator('#me').textContent()).toContain(EDITOR.username);
    expect(await page.locator('a.csv[data-table="unanswered"]').getAttribute('href')).toBe('/api/editor/report.csv?since=7d&table=unanswered');

    await page.selectOption('#period', '24h');
    await expect.poll(() => page.locator('a.csv[data-table="guides"]').getAttribute('href')).toBe('/api/editor/report.csv?since=24h&table=guides');
    await page.getByRole('button', { name: 'Tải lại nội dung' }).click();
    await expect.poll(() => page.locator('#reload-result').textContent()).toContain('thành công');
    expect(problems).toEqual([]);
    await page.screenshot({ path: 'test-results/editors-page.png', fullPage: true }).catch(() => undefined);
    await context.close();
  });

  it('shows a staff account a 403 page, not the reports', async () => {
    const context = await browser.newContext();
    await context.addCookies([cookieFor(staff)]);
    const page = await context.newPage();
    const res = await page.goto(`${s.url}/console/editors`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('body').textContent()).toContain('chỉ dành cho biên tập viên');
    await context.close();
  });
});
