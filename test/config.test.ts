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
  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });
});
