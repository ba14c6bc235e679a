/**
 * Headless Chromium for browser tests (playwright-core, the system's Chromium, no downloads).
 *
 * ```ts
 * const browser = await launchBrowser();
 * const page = await browser.newPage();
 * await page.goto(`${base}/console`);
 * await browser.close();
 * ```
 * The network here is closed: the flags switch off everything Chromium would fetch by itself.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Where Chromium is looked for: CHROMIUM_PATH, else /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a sandbox-less container with no network beyond loopback. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium. Throws with a clear message when the binary is missing.
 * `options` are passed to playwright (extra `args` are appended to {@link CHROMIUM_ARGS}).
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    headless: true,
    timeout: 30_000,
    ...options,
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
}
