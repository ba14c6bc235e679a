// The web chat channel and its routes over an outbox store: the normal path, and an outbox
// that is down (as Redis would be) — the POST still returns the bot's reply, the long-poll
// answers with nothing once its wait is over, and no route answers 500.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelNetworkError, StoreUnavailableError } from '../../../src/core/errors.ts';
import type { InboundHandler, WebOutboxPage, WebOutboxStore } from '../../../src/core/ports.ts';
import type { InboundMessage } from '../../../src/core/types.ts';
import { webChatRoutes } from '../../../src/channels/web/routes.ts';
import { WebChannel } from '../../../src/channels/web/web-channel.ts';
import { WebSessions } from '../../../src/channels/web/sessions.ts';
import { silentLogger } from '../../../src/core/ports.ts';
import type { ConversationState } from '../../../src/core/types.ts';
import { MemoryRateBudget } from '../../../src/stores/memory/memory-rate-budget.ts';
import { MemoryWebOutbox } from '../../../src/stores/memory/memory-web-outbox.ts';
import { realSnapshot } from '../../support/test-content.ts';
import { WebCitizen } from '../../support/web-citizen.ts';

/** An outbox whose every call fails like a Redis store with Redis down. */
class DownOutbox implements WebOutboxStore {
  waits = 0;
  async append(): Promise<number> {
    throw new StoreUnavailableError('redis web outbox append failed: Connection is closed.');
  }
  async read(): Promise<WebOutboxPage> {
    throw new StoreUnavailableError('redis web outbox read failed: Connection is closed.');
  }
  async cursor(): Promise<number> {
    throw new StoreUnavailableError('redis web outbox cursor failed: Connection is closed.');
  }
  async clear(): Promise<void> {
    throw new StoreUnavailableError('redis web outbox clear failed: Connection is closed.');
  }
  async close(): Promise<void> {}
  async wait(_sessionId: string, _afterSeq: number, timeoutMs: number): Promise<void> {
    this.waits += 1;
    await new Promise((r) => setTimeout(r, timeoutMs));
  }
}

/** An engine stand-in: answers every message with two replies through the channel. */
function echoEngine(channel: WebChannel): InboundHandler & { readonly seen: InboundMessage[] } {
  const seen: InboundMessage[] = [];
  return {
    seen,
    async handleInbound(msg) {
      seen.push(msg);
      await channel.send(msg.chatId, { text: 'Không lưu được chỗ đang hỏi.', buttons: [], menuSeq: 0 });
      await channel.send(msg.chatId, { text: `Trả lời: ${msg.text ?? msg.kind}`, buttons: [{ kind: 'option', label: 'Tiếp', index: 1 }], menuSeq: 2 });
    },
  };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function appWith(outbox: WebOutboxStore): Promise<{ app: FastifyInstance; channel: WebChannel; engine: ReturnType<typeof echoEngine> }> {
  const snapshot = await realSnapshot();
  const channel = new WebChannel({ outbox, nowMs: () => 1_750_000_000_000 });
  const engine = echoEngine(channel);
  // The echo engine keeps no state: every session the page holds counts as live.
  const sessions = new WebSessions({
    budget: new MemoryRateBudget(),
    limits: { perIpPerMinute: 0, perIpPerDay: 0, perMinute: 0, perDay: 0 },
    conversations: { get: async () => ({ greetingOnly: undefined }) as unknown as ConversationState },
    clock: { nowMs: () => 1_750_000_000_000 },
    logger: silentLogger,
    cookieSecure: false,
    cookieMaxAgeS: 3600,
  });
  const app = Fastify();
  await app.register(webChatRoutes, { channel, inbound: engine, snapshot: () => snapshot, sessions, longPollMs: 20 });
  await app.ready();
  apps.push(app);
  return { app, channel, engine };
}

/** A browser whose session the server issued earlier (its cookie is already set). */
function returningCitizen(): WebCitizen {
  const citizen = new WebCitizen();
  citizen.take('dvc_chat=web-channel-test-token-0123456789abcdefghij; Path=/');
  return citizen;
}

describe('web channel over a working outbox', () => {
  it('the POST returns what the message produced; the long-poll returns later ones', async () => {
    const outbox = new MemoryWebOutbox();
    const { app, channel } = await appWith(outbox);
    const citizen = returningCitizen();
    const SID = citizen.chatId!;
    const first = await citizen.post(app, { text: 'xin chào' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      items: [
        { seq: 1, text: 'Không lưu được chỗ đang hỏi.', buttons: [], menuSeq: 0, atMs: 1_750_000_000_000 },
        { seq: 2, text: 'Trả lời: xin chào', buttons: [{ kind: 'option', label: 'Tiếp', index: 1 }], menuSeq: 2, atMs: 1_750_000_000_000 },
      ],
      cursor: 2,
    });
    const pending = citizen.poll(app, 2);
    await channel.send(SID, { text: 'Cán bộ: chào anh', buttons: [], menuSeq: 0 });
    const later = await pending;
    expect(later.statusCode).toBe(200);
    expect(later.json()).toMatchObject({ items: [{ seq: 3, text: 'Cán bộ: chào anh' }], cursor: 3 });
    // Nothing new: the long-poll ends with its timeout and an empty page.
    expect((await citizen.poll(app, 3)).json()).toEqual({ items: [], cursor: 3 });
  });
});

const SID = 'web-channel-test-0001';

describe('web channel with the outbox down', () => {
  it('the POST still returns the replies (numbered after the cursor it was given), never a 500', async () => {
    const { app, engine } = await appWith(new DownOutbox());
    const citizen = returningCitizen();
    const res = await citizen.post(app, { text: 'đăng ký khai sinh', after: 7 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        { seq: 8, text: 'Không lưu được chỗ đang hỏi.', buttons: [], menuSeq: 0, atMs: 1_750_000_000_000 },
        { seq: 9, text: 'Trả lời: đăng ký khai sinh', buttons: [{ kind: 'option', label: 'Tiếp', index: 1 }], menuSeq: 2, atMs: 1_750_000_000_000 },
      ],
      // Not moved: once the store is back the page fetches its messages as usual.
      cursor: 7,
    });
    // Without `after` (the store cannot say the cursor) it counts from 0.
    const start = await citizen.post(app, { start: true });
    expect(start.statusCode).toBe(200);
    expect(start.json()).toMatchObject({ items: [{ seq: 1 }, { seq: 2, text: 'Trả lời: start' }], cursor: 0 });
    expect(engine.seen).toHaveLength(2);
  });

  it('the long-poll waits, then answers 200 with nothing', async () => {
    const outbox = new DownOutbox();
    const { app } = await appWith(outbox);
    const res = await returningCitizen().poll(app, 4);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], cursor: 4 });
    expect(outbox.waits).toBe(1);
  });

  it('a long-poll without a session cookie waits like an idle one and answers nothing', async () => {
    const outbox = new MemoryWebOutbox();
    const { app } = await appWith(outbox);
    const res = await new WebCitizen().poll(app, 0);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], cursor: 0 });
  });

  it('a message outside any POST (e.g. from staff) fails as a channel error', async () => {
    const channel = new WebChannel({ outbox: new DownOutbox() });
    await expect(channel.send(SID, { text: 'Cán bộ: chào anh', buttons: [], menuSeq: 0 })).rejects.toBeInstanceOf(ChannelNetworkError);
  });

  it('replies go only to the POSTs of their own session', async () => {
    const channel = new WebChannel({ outbox: new DownOutbox() });
    const page = await channel.exchange(SID, 0, async () => {
      await channel.send(SID, { text: 'mine', buttons: [], menuSeq: 0 });
      await expect(channel.send('web-channel-test-0002', { text: 'theirs', buttons: [], menuSeq: 0 })).rejects.toBeInstanceOf(ChannelNetworkError);
    });
    expect(page.items.map((i) => i.text)).toEqual(['mine']);
  });
});
