// The whole staff path in headless Chromium: a citizen on Telegram (real webhook route, fake
// Bot API) asks for a person; a staff member logs in to /console, sees them in the live queue,
// claims, replies (the fake Bot API gets the reply for the citizen's chat), resolves (the
// citizen gets the rating question). A citizen message that looks like HTML stays text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { FakeTelegramServer } from '../support/fake-telegram.ts';
import { PASSWORD, addStaff, eventually, testServer } from './helpers.ts';

const TOKEN = '123456789:TEST-token_abcdefghijklmnopqrstuvwxyz';
const SECRET = 'test-secret_0123456789';
const LAN = 5512345678;
const XSS = '<img src=x onerror=alert(1)>';
const BASE_UPDATE = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/telegram/message-text.json'), 'utf8')) as {
  update_id: number;
  message: Record<string, unknown>;
};

let fake: FakeTelegramServer;
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let updateId = 905_000_000;
const dialogs: string[] = [];
const pageErrors: string[] = [];

/** The citizen types `text` in Telegram (an update posted to the webhook). */
async function citizen(text: string): Promise<void> {
  updateId += 1;
  const update = { ...BASE_UPDATE, update_id: updateId, message: { ...BASE_UPDATE.message, message_id: updateId, text, date: Math.floor(Date.now() / 1000) } };
  const res = await fetch(`${base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(update),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
}

/** Resolves once the fake Bot API got a message for the citizen containing `part`. */
async function citizenReceives(part: string): Promise<void> {
  await eventually(() => {
    const texts = fake.callsTo('sendMessage').filter((c) => c.body.chat_id === LAN).map((c) => String(c.body.text));
    expect(texts.some((t) => t.includes(part)), `no message with "${part}" in:\n${texts.join('\n---\n')}`).toBe(true);
  }, 10_000);
}

beforeAll(async () => {
  fake = await FakeTelegramServer.start({ token: TOKEN });
  server = await testServer({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
  });
  base = await server.start();
  await addStaff(server, 'lan', 'staff', 'Chị Lan');
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    // The page's first /api/staff/me before login is a 401 by design; anything else (CSP
    // violations, script errors, missing files) is a failure.
    if (msg.type() === 'error' && !msg.text().includes('status of 401')) pageErrors.push(msg.text());
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
});

describe('staff console in Chromium', () => {
  it('citizen asks for a person → staff log in, claim, reply, resolve → citizen is asked for a rating', async () => {
    await citizen('cho tôi gặp cán bộ');
    await citizenReceives('vị trí số');
    await citizen(XSS);

    await page.goto(`${base}/console`);
    await page.fill('#username', 'lan');
    await page.fill('#password', PASSWORD);
    await page.click('#login-submit');
    await page.locator('#me').getByText('Chị Lan').waitFor();

    // The live queue shows the Telegram citizen, with the last message as plain text.
    const ticket = page.locator('.ticket', { hasText: 'Telegram' });
    await ticket.locator('.last', { hasText: XSS }).waitFor({ timeout: 10_000 });
    await ticket.click();
    await page.locator('#transcript .entry.citizen .text', { hasText: XSS }).waitFor();
    expect(await page.locator('#transcript img, #queue img').count()).toBe(0);

    // A message arriving while the conversation is open appears without reload.
    await citizen('Tôi cần làm lại căn cước bị mất');
    await page.locator('#transcript .entry.citizen', { hasText: 'Tôi cần làm lại căn cước bị mất' }).waitFor({ timeout: 10_000 });

    await page.click('#claim');
    await citizenReceives('Chị Lan');
    await expect.poll(() => page.locator('#reply-text').isEnabled(), { timeout: 10_000 }).toBe(true);

    await page.fill('#reply-text', 'Chào anh, anh mang theo giấy khai sinh nhé.');
    await page.click('#reply-send');
    await citizenReceives('Chào anh, anh mang theo giấy khai sinh nhé.');
    const reply = fake.callsTo('sendMessage').find((c) => String(c.body.text).includes('giấy khai sinh nhé'));
    expect(reply?.body.chat_id).toBe(LAN);
    expect(reply?.body.text).toBe('👤 Cán bộ Chị Lan: Chào anh, anh mang theo giấy khai sinh nhé.'); // marked as a person on Telegram
    await page.locator('#transcript .entry.staff', { hasText: 'giấy khai sinh nhé' }).waitFor();

    await page.click('#resolve'); // arms
    await page.click('#resolve'); // confirms
    await citizenReceives('chấm mấy điểm');
    await page.locator('#queue-empty').waitFor();

    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
