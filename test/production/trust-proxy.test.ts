// M1: X-Forwarded-For is believed only from proxies named in TRUST_PROXY (off by default), so a
// forged header changes nothing: not the login limits, not the web chat budgets.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, trustProxyOf } from '../../src/config.ts';
import type { Server } from '../../src/server.ts';
import { PASSWORD, addStaff, testServer } from '../console/helpers.ts';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function serverWith(env: Record<string, string>): Promise<Server> {
  const s = await testServer(env);
  servers.push(s);
  await addStaff(s, 'lan');
  return s;
}

/** A login from the socket address `from`, claiming `forwarded` in X-Forwarded-For. */
function login(s: Server, password: string, from: string, forwarded: string) {
  return s.app.inject({ method: 'POST', url: '/api/staff/login', remoteAddress: from, headers: { 'x-forwarded-for': forwarded }, payload: { username: 'lan', password } });
}

describe('TRUST_PROXY', () => {
  it('is off by default; takes a hop count or addresses and CIDR ranges; refuses "true" and nonsense, naming the variable', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8, loopback' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'loopback']);
    for (const bad of ['true', 'yes', '10.0.0.0/33', 'proxy.example.vn', '11']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
    expect(trustProxyOf('true')).toMatchObject({ problem: expect.stringContaining('any X-Forwarded-For') });
  });

  it('by default, a forged X-Forwarded-For changes nothing: the socket address is the one limited', async () => {
    const s = await serverWith({});
    for (let i = 0; i < 5; i++) expect((await login(s, `wrong-${i}`, '10.9.0.1', `198.51.100.${i}`)).statusCode).toBe(401);
    // A sixth "address" is the same client: limited, even with the right password.
    expect((await login(s, PASSWORD, '10.9.0.1', '198.51.100.77')).statusCode).toBe(429);
    // …and claiming to be someone else's address frees nothing, nor blocks them: the real other client still logs in.
    expect((await login(s, PASSWORD, '10.9.0.2', '10.9.0.1')).statusCode).toBe(200);
  }, 120_000);

  it('with a hop count, the address the proxy forwarded is the client', async () => {
    const s = await serverWith({ TRUST_PROXY: '1' });
    for (let i = 0; i < 5; i++) expect((await login(s, `wrong-${i}`, '127.0.0.1', '198.51.100.1')).statusCode).toBe(401);
    expect((await login(s, PASSWORD, '127.0.0.1', '198.51.100.1')).statusCode).toBe(429);
    expect((await login(s, PASSWORD, '127.0.0.1', '198.51.100.2')).statusCode).toBe(200);
  }, 120_000);

  it('with proxy addresses, only those proxies are believed', async () => {
    const s = await serverWith({ TRUST_PROXY: '10.0.0.0/8' });
    // From a trusted proxy: the forwarded client counts.
    for (let i = 0; i < 5; i++) await login(s, `wrong-${i}`, '10.1.1.1', '198.51.100.1');
    expect((await login(s, PASSWORD, '10.1.1.1', '198.51.100.2')).statusCode).toBe(200);
    // From anyone else: the header is ignored.
    for (let i = 0; i < 5; i++) await login(s, `wrong-${i}`, '192.0.2.5', `203.0.113.${i}`);
    expect((await login(s, PASSWORD, '192.0.2.5', '203.0.113.99')).statusCode).toBe(429);
  }, 120_000);
});
