/** Shared helpers for the staff console tests: a composed server, accounts, logins, citizens. */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Clock, StaffRole } from '../../src/core/ports.ts';
import { putStaffAccount } from '../../src/http/staff-accounts.ts';
import { createLogger } from '../../src/log/logger.ts';
import { createServer, type Server } from '../../src/server.ts';
import { WebCitizen } from '../support/web-citizen.ts';
import { NO_LAG_SHEDDING, NO_WEB_BUDGETS } from '../support/test-server.ts';

/** The password every test account gets. */
export const PASSWORD = 'mật-khẩu-thử-nghiệm-42';

/** A server on the repository's content; memory stores unless `env.REDIS_URL` is set; `clock` to move time. */
export async function testServer(env: Record<string, string> = {}, clock?: Clock): Promise<Server> {
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    CONTENT_DIR: join(import.meta.dirname, '../../content'),
    CONTENT_WATCH: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
    ...NO_WEB_BUDGETS,
    ...NO_LAG_SHEDDING,
    ...env,
  });
  return createServer(config, { logger: createLogger('silent'), ...(clock ? { clock } : {}) });
}

/** Creates a staff account with {@link PASSWORD}. */
export async function addStaff(server: Server, username: string, role: StaffRole = 'staff', displayName?: string): Promise<void> {
  await putStaffAccount(server.stores.staff, { username, password: PASSWORD, role, ...(displayName ? { displayName } : {}) }, Date.now());
}

/** Logs in through the API and returns the `name=value` cookie to send back. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password } });
  expect(res.statusCode, res.body).toBe(200);
  const setCookie = String(res.headers['set-cookie']);
  return setCookie.split(';')[0]!;
}

/** A fresh web chat browser (its session is issued by the server with the first answer). */
export const sessionId = (): WebCitizen => new WebCitizen();

/** The citizen types `text` in the web chat; resolves the texts of the bot's replies. */
export async function citizenSays(app: FastifyInstance, citizen: WebCitizen, text: string): Promise<string[]> {
  const res = await citizen.post(app, { text });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { text: string }[] }).items.map((i) => i.text);
}

/** Every message the web chat holds for the session (what the page would show). */
export async function outbox(server: Server, citizen: WebCitizen): Promise<string[]> {
  return (await server.web.read(citizen.chatId!, 0)).items.map((i) => i.text);
}

export { WebCitizen };

export { eventually } from '../support/eventually.ts';
