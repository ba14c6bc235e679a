// Request body size limits on every route that takes a body: each POST route of the fully
// configured server (all three chat apps, the web chat, the staff console) refuses a 1 MiB
// body with 413 (or refuses the caller before reading it), never 2xx or 5xx.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../src/http/app.ts';
import { OA_APP_ID, OA_SECRET_KEY, TG_SECRET, ZB_SECRET, ZB_TOKEN, startProdServer, type ProdServer } from './support.ts';

let s: ProdServer;

beforeAll(async () => {
  s = await startProdServer({
    env: { ZALO_BOT_TOKEN: ZB_TOKEN, ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET, ZALO_OA_APP_ID: OA_APP_ID, ZALO_OA_SECRET_KEY: OA_SECRET_KEY },
  });
});
afterAll(async () => {
  await s?.close();
});

/** Full paths and methods from Fastify's route tree (`printRoutes({ commonPrefix: false })`). */
function routesOf(tree: string): { path: string; methods: string[] }[] {
  const stack: string[] = [];
  const out: { path: string; methods: string[] }[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = Math.round(m[1]!.length / 4);
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path = `${parent}${parent.endsWith('/') && m[2]!.startsWith('/') ? m[2]!.slice(1) : m[2]}`;
    stack[depth] = path;
    out.push({ path, methods: m[3]!.split(',').map((x) => x.trim()) });
  }
  return out;
}

/** Headers that get a request past each route's authentication to the body parser. */
function credentials(path: string): Record<string, string> {
  if (path === '/webhooks/telegram') return { 'x-telegram-bot-api-secret-token': TG_SECRET };
  if (path === '/webhooks/zalo-bot') return { 'x-bot-api-secret-token': ZB_SECRET };
  return {};
}

it('every POST route refuses a body over its limit', async () => {
  const routes = routesOf(s.server.app.printRoutes({ commonPrefix: false })).filter((r) => r.methods.includes('POST'));
  const paths = routes.map((r) => r.path);
  expect(paths).toEqual(expect.arrayContaining(['/webhooks/telegram', '/webhooks/zalo-bot', '/webhooks/zalo-oa', '/api/web/messages']));
  const huge = JSON.stringify({ update_id: 1, text: 'a'.repeat(4 * DEFAULT_BODY_LIMIT_BYTES) });
  for (const path of paths) {
    const url = path.replace(/:(\w+)/g, 'telegram:1');
    const res = await s.server.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...credentials(path) }, payload: huge });
    const mustRead = path.startsWith('/webhooks/') || path.startsWith('/api/web/') || path === '/api/staff/login';
    if (mustRead) expect({ path, status: res.statusCode }).toEqual({ path, status: 413 });
    else expect({ path, ok: [401, 403, 413].includes(res.statusCode) }).toEqual({ path, ok: true });
  }
});

it('the web chat takes at most 16 KiB, a webhook at most 256 KiB', async () => {
  const web = await s.server.app.inject({
    method: 'POST',
    url: '/api/web/messages',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ text: 'x'.repeat(17 * 1024) }),
  });
  expect(web.statusCode).toBe(413);
  const justUnder = JSON.stringify({ update_id: 5, padding: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES - 100) });
  const ok = await s.server.app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
    payload: justUnder,
  });
  expect(ok.statusCode).toBe(200);
});
