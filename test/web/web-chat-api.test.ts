// The web chat's HTTP API and page through the real server (in-memory store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type StartedServer } from '../support/test-server.ts';
import { WebCitizen } from '../support/web-citizen.ts';

let s: StartedServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.stop();
});

const post = (body: unknown) => s.server.app.inject({ method: 'POST', url: '/api/web/messages', payload: body as object });

describe('start without REDIS_URL', () => {
  it('warns once, naming REDIS_URL, that conversations are kept in memory', () => {
    const warnings = s.logs.filter((l) => /in-memory/i.test(l));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('REDIS_URL is not set');
  });
});

describe('web chat API', () => {
  it('serves the page, its script and Vietnamese strings', async () => {
    const page = await s.server.app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<html lang="vi">');
    expect((await s.server.app.inject({ url: '/web/chat.js' })).statusCode).toBe(200);
    const strings = (await s.server.app.inject({ url: '/api/web/strings?lang=vi' })).json();
    expect(strings.send).toBe('Gửi');
  });

  it('start → welcome with buttons; a question → the guide; a button → the next step', async () => {
    const citizen = new WebCitizen();
    const say = async (body: object) => (await citizen.post(s.server.app, body)).json();
    const welcome = await say({ start: true });
    expect(welcome.items[0].text).toContain('Xin chào');
    expect(welcome.items[0].buttons.length).toBeGreaterThan(3);
    const answer = await say({ text: 'làm căn cước cho con dưới 14 tuổi', after: welcome.cursor });
    const texts = answer.items.map((i: { text: string }) => i.text).join('\n');
    expect(texts).toContain('Bước 1/');
    const last = answer.items.at(-1);
    const next = last.buttons.find((b: { label: string }) => b.label.startsWith('Tiếp'));
    const step2 = await say({ option: { index: next.index, menuSeq: last.menuSeq }, after: answer.cursor });
    expect(step2.items[0].text).toContain('Bước 2/');
    expect(citizen.sessions).toBe(1);
  });

  it('the same message id twice is handled once', async () => {
    const citizen = new WebCitizen();
    const first = (await citizen.post(s.server.app, { messageId: 'dup-1', text: 'menu' })).json();
    const again = (await citizen.post(s.server.app, { messageId: 'dup-1', text: 'menu', after: first.cursor })).json();
    expect(first.items).toHaveLength(1);
    expect(again.items).toHaveLength(0);
  });

  it('rejects malformed bodies with 400, never 5xx', async () => {
    for (const body of [{}, { text: '  ' }, { sessionId: 'x'.repeat(65), start: true }, { text: 'x'.repeat(3000) }, { option: { index: 'a' } }, { start: true, extra: 1 }]) {
      const res = await post(body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined(); // refused before any session is issued
    }
    const bad = await s.server.app.inject({ method: 'POST', url: '/api/web/messages', headers: { 'content-type': 'application/json' }, payload: '{not json' });
    expect(bad.statusCode).toBe(400);
  });

  it('a long-poll returns messages sent later (e.g. by staff)', async () => {
    const citizen = new WebCitizen();
    const first = (await citizen.post(s.server.app, { start: true })).json();
    const pending = citizen.poll(s.server.app, first.cursor);
    await s.server.web.send(citizen.chatId!, { text: 'Cán bộ: xin chào', buttons: [], menuSeq: 0 });
    const res = (await pending).json();
    expect(res.items.map((i: { text: string }) => i.text)).toEqual(['Cán bộ: xin chào']);
  });
});
