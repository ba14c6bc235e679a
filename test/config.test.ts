import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  it('has working defaults on a bare machine', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.CONTENT_DIR).toBe('./content');
    expect(c.telegramMode).toBe('polling');
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:x', TELEGRAM_MODE: 'webhook' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
  });
  it('switches Telegram to webhooks when a public URL is set', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.vn' }).telegramMode).toBe('webhook');
    expect(loadConfig({ PUBLIC_URL: 'https://bot.example.vn' }).cookieSecure).toBe(true);
  });
  it('has the abuse and privacy defaults docs/operations.md states', () => {
    const c = loadConfig({});
    expect([c.WEB_NEW_CHATS_PER_IP_PER_MINUTE, c.WEB_NEW_CHATS_PER_IP_PER_DAY, c.WEB_NEW_CHATS_PER_MINUTE, c.WEB_NEW_CHATS_PER_DAY]).toEqual([10, 300, 120, 10_000]);
    expect(c.CONVERSATION_GREETING_TTL_HOURS).toBe(2);
    expect(c.STAFF_LOGIN_MAX_CHECKS).toBe(2);
    expect(c.AUDIT_RETENTION_DAYS).toBe(180);
    expect(c.trustProxy).toBe(false);
    expect(() => loadConfig({ STAFF_LOGIN_MAX_CHECKS: '0' })).toThrow(/STAFF_LOGIN_MAX_CHECKS/);
  });
  it('takes the console\'s wait limits in minutes, red above amber', () => {
    expect(loadConfig({})).toMatchObject({ STAFF_WAIT_AMBER_MINUTES: 5, STAFF_WAIT_RED_MINUTES: 15 });
    expect(loadConfig({ STAFF_WAIT_AMBER_MINUTES: '2', STAFF_WAIT_RED_MINUTES: '4.5' })).toMatchObject({ STAFF_WAIT_AMBER_MINUTES: 2, STAFF_WAIT_RED_MINUTES: 4.5 });
    expect(() => loadConfig({ STAFF_WAIT_AMBER_MINUTES: '10', STAFF_WAIT_RED_MINUTES: '10' })).toThrow(/STAFF_WAIT_RED_MINUTES: must be more than STAFF_WAIT_AMBER_MINUTES/);
    expect(() => loadConfig({ STAFF_WAIT_AMBER_MINUTES: '-1' })).toThrow(/STAFF_WAIT_AMBER_MINUTES/);
  });
  it('refuses the deaf Telegram setup: PUBLIC_URL picks webhook mode, and without TELEGRAM_WEBHOOK_SECRET every update would be refused', () => {
    const deaf = { TELEGRAM_BOT_TOKEN: '1:x', PUBLIC_URL: 'https://bot.example.vn' };
    expect(() => loadConfig(deaf)).toThrow(ConfigError);
    expect(() => loadConfig(deaf)).toThrow(/TELEGRAM_WEBHOOK_SECRET: required in webhook mode \(PUBLIC_URL is set/);
    expect(loadConfig({ ...deaf, TELEGRAM_WEBHOOK_SECRET: 's3cret_value' }).telegramMode).toBe('webhook');
    expect(loadConfig({ ...deaf, TELEGRAM_MODE: 'polling' }).telegramMode).toBe('polling');
  });
  it('refuses a Zalo Bot webhook without its secret, and a secret outside 8-256 characters', () => {
    expect(() => loadConfig({ ZALO_BOT_TOKEN: '1:x', PUBLIC_URL: 'https://bot.example.vn' })).toThrow(/ZALO_BOT_WEBHOOK_SECRET: required in webhook mode/);
    expect(() => loadConfig({ ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'short' })).toThrow(/ZALO_BOT_WEBHOOK_SECRET: 8-256 characters/);
    expect(() => loadConfig({ ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'x'.repeat(257) })).toThrow(/ZALO_BOT_WEBHOOK_SECRET: 8-256/);
    expect(loadConfig({ ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: '12345678' }).zaloBotMode).toBe('webhook');
    expect(loadConfig({ ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'x'.repeat(256) }).zaloBotMode).toBe('webhook');
    // The message names the variable but never repeats the secret.
    expect(() => loadConfig({ ZALO_BOT_TOKEN: '1:x', ZALO_BOT_WEBHOOK_SECRET: 'short' })).not.toThrow(/short/);
  });
  it('accepts signed Zalo OA events for a day by default, at most a week', () => {
    expect(loadConfig({}).ZALO_OA_MAX_EVENT_AGE_S).toBe(86_400);
    expect(() => loadConfig({ ZALO_OA_MAX_EVENT_AGE_S: String(8 * 86_400) })).toThrow(/ZALO_OA_MAX_EVENT_AGE_S/);
  });
  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
