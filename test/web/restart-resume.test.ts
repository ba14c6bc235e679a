// A restart in the middle of a walkthrough resumes at the same step (state in a real Redis).
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import { WebCitizen } from '../support/web-citizen.ts';

describe('restart in the middle of a walkthrough', () => {
  it('resumes at the same step after the server is replaced', async () => {
    const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `t:${randomUUID()}:` };
    const citizen = new WebCitizen();
    const first = await startTestServer(env);
    const post = (s: typeof first, body: object) => citizen.post(s.server.app, body).then((r) => r.json());
    const a = await post(first, { text: 'làm căn cước cho con dưới 14 tuổi' });
    expect(a.items.map((i: { text: string }) => i.text).join('\n')).toContain('Bước 1/');
    const b = await post(first, { text: 'tiếp', after: a.cursor });
    expect(b.items[0].text).toContain('Bước 2/');
    await first.stop();

    const second = await startTestServer(env);
    try {
      const c = await post(second, { text: 'tiếp' });
      expect(c.items[0].text).toContain('Bước 3/');
      // A button pressed on the old page (menu of the previous process) still resolves.
      const last = b.items.at(-1);
      const back = last.buttons.find((x: { label: string }) => x.label.includes('Quay lại'));
      const d = await post(second, { option: { index: back.index, menuSeq: last.menuSeq }, after: c.cursor });
      expect(d.items[0].text).toContain('Bước 1/');
      expect(citizen.sessions).toBe(1); // the session cookie outlived the process
    } finally {
      await second.stop();
    }
  });
});
