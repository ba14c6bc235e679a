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
  it('takes the console\'s wait limits in minutes, red above amber', () => {
    expect(loadConfig({})).toMatchObject({ STAFF_WAIT_AMBER_MINUTES: 5, STAFF_WAIT_RED_MINUTES: 15 });
    expect(loadConfig({ STAFF_WAIT_AMBER_MINUTES: '2', STAFF_WAIT_RED_MINUTES: '4.5' })).toMatchObject({ STAFF_WAIT_AMBER_MINUTES: 2, STAFF_WAIT_RED_MINUTES: 4.5 });
    expect(() => loadConfig({ STAFF_WAIT_AMBER_MINUTES: '10', STAFF_WAIT_RED_MINUTES: '10' })).toThrow(/STAFF_WAIT_RED_MINUTES: must be more than STAFF_WAIT_AMBER_MINUTES/);
    expect(() => loadConfig({ STAFF_WAIT_AMBER_MINUTES: '-1' })).toThrow(/STAFF_WAIT_AMBER_MINUTES/);
  });
  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
