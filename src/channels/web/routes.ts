/**
 * HTTP routes of the web chat: the page itself at `/`, its script and styles, its strings
 * (from content/messages), and a small JSON API the page talks to.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { ContentSnapshot } from '../../core/content.ts';
import type { InboundHandler } from '../../core/ports.ts';
import type { InboundMessage, Lang } from '../../core/types.ts';
import type { WebChannel } from './web-channel.ts';

/** Longest message a citizen may type in the web chat. */
export const WEB_INPUT_LIMIT = 2000;
/** How long a long-poll waits for a new message, by default. */
const LONG_POLL_MS = 25_000;

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const SessionId = z.string().regex(/^[A-Za-z0-9-]{16,64}$/, 'sessionId must be 16-64 letters, digits or dashes');
const PostBody = z.strictObject({
  sessionId: SessionId,
  messageId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/).optional(),
  text: z.string().max(WEB_INPUT_LIMIT).optional(),
  option: z.strictObject({ index: z.number().int().min(1).max(99), menuSeq: z.number().int().min(0).optional() }).optional(),
  start: z.boolean().optional(),
  after: z.number().int().min(0).optional(),
});

/** What the web chat routes need. */
export interface WebRoutesOptions {
  readonly channel: WebChannel;
  readonly inbound: InboundHandler;
  readonly snapshot: () => ContentSnapshot;
  /** How long a long-poll GET waits for a new message, ms. Default 25 000. */
  readonly longPollMs?: number;
}

const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/web/chat.js': 'chat.js',
  '/web/chat-api.js': 'chat-api.js',
  '/web/chat-strings.js': 'chat-strings.js',
  '/web/chat-view.js': 'chat-view.js',
  '/web/chat.css': 'chat.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The web chat plugin. */
export const webChatRoutes: FastifyPluginAsync<WebRoutesOptions> = async (app, opts) => {
  const files = new Map<string, Buffer>();
  for (const [route, file] of Object.entries(STATIC)) {
    files.set(route, await readFile(`${PAGE_DIR}${file}`));
    app.get(route, async (_req, reply) => {
      const ext = file.split('.').pop() ?? 'html';
      return reply
        .header('content-type', TYPES[ext] ?? 'application/octet-stream')
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        .send(files.get(route));
    });
  }

  app.get('/api/web/strings', async (req) => {
    const lang: Lang = (req.query as { lang?: string }).lang === 'en' ? 'en' : 'vi';
    const messages = opts.snapshot().content.messages[lang];
    return Object.fromEntries(Object.entries(messages).filter(([k]) => k.startsWith('web.')).map(([k, v]) => [k.slice(4), v]));
  });

  app.post('/api/web/messages', { bodyLimit: 16 * 1024 }, async (req, reply) => {
    const parsed = PostBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request', detail: parsed.error.issues[0]?.message });
    const b = parsed.data;
    const base = { id: `msg:${b.messageId ?? randomUUID()}`, channel: 'web' as const, chatId: b.sessionId, sentAtMs: Date.now() };
    let message: InboundMessage;
    if (b.start) message = { ...base, kind: 'start' };
    else if (b.option) message = { ...base, kind: 'option', optionIndex: b.option.index, menuSeq: b.option.menuSeq };
    else if (b.text !== undefined && b.text.trim().length > 0) message = { ...base, kind: 'text', text: b.text };
    else return reply.code(400).send({ error: 'bad_request', detail: 'text, option or start is required' });
    // The outbox may live on Redis: the channel answers even when it is down (never a 500).
    return opts.channel.exchange(b.sessionId, b.after, () => opts.inbound.handleInbound(message));
  });

  app.get('/api/web/messages', async (req, reply) => {
    const q = req.query as { sessionId?: string; after?: string };
    const sid = SessionId.safeParse(q.sessionId);
    const after = Number(q.after ?? 0);
    if (!sid.success || !Number.isInteger(after) || after < 0) return reply.code(400).send({ error: 'bad_request' });
    const abort = new AbortController();
    req.raw.on('close', () => abort.abort());
    // Woken by a message appended through any instance; reads the outbox again either way.
    return opts.channel.poll(sid.data, after, opts.longPollMs ?? LONG_POLL_MS, abort.signal);
  });
};
