// STAFF_DEV_USER / STAFF_DEV_PASSWORD: an editor account in memory for local trials, never
// with Redis or in production.
import { describe, expect, inject, it } from 'vitest';
import { testServer } from './helpers.ts';

const DEV = { STAFF_DEV_USER: 'dev', STAFF_DEV_PASSWORD: 'dev-password-123' };

async function devLogin(env: Record<string, string>): Promise<number> {
  const server = await testServer({ ...DEV, ...env });
  try {
    const res = await server.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'dev', password: DEV.STAFF_DEV_PASSWORD } });
    return res.statusCode;
  } finally {
    await server.stop();
  }
}

describe('development staff account', () => {
  it('is created with in-memory stores outside production', async () => {
    expect(await devLogin({})).toBe(200);
  });

  it('is not created in production or with Redis', async () => {
    expect(await devLogin({ NODE_ENV: 'production' })).toBe(401);
    expect(await devLogin({ REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `test:devseed:${Date.now()}:` })).toBe(401);
  });
});
