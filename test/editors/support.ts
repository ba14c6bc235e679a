/** Helpers for the editors' end-to-end tests: a private copy of the content, logins, asking. */
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putStaffAccount } from '../../src/http/staff-accounts.ts';
import type { StartedServer } from '../support/test-server.ts';
import { CONTENT_DIR } from '../support/test-content.ts';
import { WebCitizen } from '../support/web-citizen.ts';

/** Passwords of the test accounts (test only). */
export const EDITOR = { username: 'bientap', password: 'editor-password-123' };
export const STAFF = { username: 'canbo', password: 'staff-password-123' };

/** Env for startTestServer: a dev editor account seeded at start (memory stores). */
export const EDITOR_ENV = { STAFF_DEV_USER: EDITOR.username, STAFF_DEV_PASSWORD: EDITOR.password, NODE_ENV: 'development' };

/** A fresh copy of the repository's content in a temp dir. */
export async function copyContent(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'content-'));
  await cp(CONTENT_DIR, dir, { recursive: true });
  return dir;
}

/** Adds the staff-role test account (and, with `editorToo`, the editor one) to the server's directory. */
export async function addStaffAccount(s: StartedServer, editorToo = false): Promise<void> {
  await putStaffAccount(s.server.stores.staff, { ...STAFF, role: 'staff' }, Date.now());
  if (editorToo) await putStaffAccount(s.server.stores.staff, { ...EDITOR, role: 'editor' }, Date.now());
}

/** Logs in through the API; resolves the cookie header to send back. */
export async function login(s: StartedServer, who: { username: string; password: string }): Promise<string> {
  const res = await s.server.app.inject({ method: 'POST', url: '/api/staff/login', payload: who });
  if (res.statusCode !== 200) throw new Error(`login ${who.username}: ${res.statusCode} ${res.body}`);
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0]! : String(raw);
  return first.split(';')[0]!;
}

/** Asks a question in a new web chat session; resolves the reply texts joined. */
export async function ask(s: StartedServer, text: string): Promise<string> {
  const res = await new WebCitizen().post(s.server.app, { text });
  return (res.json() as { items: { text: string }[] }).items.map((i) => i.text).join('\n');
}

/** Polls `check` every 100 ms until it resolves true, or throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
