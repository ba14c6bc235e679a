import { afterAll, beforeAll, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Server } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { PASSWORD, addStaff, testServer } from './helpers.ts';

let server: Server; let base: string; let browser: Browser;
let n = 0;
async function say(channel: 'telegram' | 'zalo-bot' | 'web', chatId: string, text: string, displayName?: string) {
  await server.engine.handleInbound({ id: `s${++n}`, channel, chatId, kind: 'text', text, sentAtMs: Date.now(), ...(displayName ? { displayName } : {}) });
}
beforeAll(async () => {
  server = await testServer();
  base = await server.start();
  await addStaff(server, 'lan', 'staff', 'Lan');
  await addStaff(server, 'hoa', 'staff', 'Hoa');
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => { await browser?.close(); await server?.stop(); });

it('looks', async () => {
  await say('telegram', '5512345678', 'quên mật khẩu VNeID thì làm sao', 'Lan Nguyễn');
  await say('telegram', '5512345678', 'gặp cán bộ', 'Lan Nguyễn');
  await say('zalo-bot', 'z1', 'đóng học phí cho con không dùng tiền mặt', 'Trần Văn Bình');
  await say('zalo-bot', 'z1', 'cho tôi gặp nhân viên', 'Trần Văn Bình');
  await say('zalo-bot', 'z1', 'Trường của con tôi chưa có mã QR, tôi phải làm sao ạ? Tôi đã hỏi cô giáo nhưng chưa được trả lời', 'Trần Văn Bình');
  await say('web', 'w1', 'làm căn cước cho con dưới 14 tuổi ở đâu');
  await say('web', 'w1', 'gặp cán bộ');
  const p = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  p.on('console', (m) => { if (m.type() === 'error') console.log('PAGE', m.text()); });
  p.on('pageerror', (e) => console.log('PAGEERR', e.message));
  await p.goto(`${base}/console`);
  await p.fill('#username', 'lan'); await p.fill('#password', PASSWORD); await p.click('#login-submit');
  await p.locator('.ticket').first().waitFor();
  await p.locator('.ticket', { hasText: 'Trần Văn Bình' }).click();
  await p.click('#claim');
  await p.locator('#reply-text:not([disabled])').waitFor();
  await p.locator('#reply-text').pressSequentially('/vne');
  await p.waitForTimeout(300);
  await p.screenshot({ path: 'test-results/look-desktop.png' });
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await phone.goto(`${base}/console`);
  await phone.fill('#username', 'hoa'); await phone.fill('#password', PASSWORD); await phone.click('#login-submit');
  await phone.locator('.ticket').first().waitFor();
  await phone.screenshot({ path: 'test-results/look-phone-queue.png' });
  await phone.locator('.ticket', { hasText: 'Lan Nguyễn' }).click();
  await phone.waitForTimeout(500);
  await phone.screenshot({ path: 'test-results/look-phone-conv.png' });
  await p.click('#tab-history');
  await p.waitForTimeout(500);
  await p.screenshot({ path: 'test-results/look-history.png' });
}, 60_000);
