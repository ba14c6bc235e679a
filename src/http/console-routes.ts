/**
 * Serves the staff console's static page at `/console` (HTML, script and styles from
 * src/console/), with a strict Content-Security-Policy: scripts and styles from this origin
 * only, no inline code, no framing. Citizen text is put on the page with textContent only.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';

const PAGE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

/** The console's Content-Security-Policy. */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const FILES: Record<string, { file: string; type: string }> = {
  '/console': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  // The page's modules (imported by console.js).
  '/console/state.js': { file: 'state.js', type: 'text/javascript; charset=utf-8' },
  '/console/util.js': { file: 'util.js', type: 'text/javascript; charset=utf-8' },
  '/console/alerts.js': { file: 'alerts.js', type: 'text/javascript; charset=utf-8' },
  '/console/queue.js': { file: 'queue.js', type: 'text/javascript; charset=utf-8' },
  '/console/conversation.js': { file: 'conversation.js', type: 'text/javascript; charset=utf-8' },
  '/console/composer.js': { file: 'composer.js', type: 'text/javascript; charset=utf-8' },
  '/console/history.js': { file: 'history.js', type: 'text/javascript; charset=utf-8' },
};

/** The console page plugin (no options). */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const body = await readFile(`${PAGE_DIR}${file}`);
    app.get(route, async (_req, reply) =>
      reply
        .header('content-type', type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('x-frame-options', 'DENY')
        .header('content-security-policy', CONSOLE_CSP)
        .send(body),
    );
  }
};
