/**
 * HTTP routes of the web chat: the page itself at `/`, its script and styles, its strings
 * (from content/messages), and a small JSON API the page talks to. The session travels in an
 * HttpOnly cookie the server issues ({@link WebSessions}), never in the body or the URL.
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
import type { WebSessions } from './sessions.ts';

/** Longest message a citizen may type in the web chat. */
export const WEB_INPUT_LIMIT = 2000;
/** How long a long-poll waits for a new message, by default. */
const LONG_POLL_MS = 25_000;

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PostBody = z.strictObject({
  /** Sent by pages from before server-issued sessions: ignored (the cookie is the session). */
  sessionId: z.string().max(64).optional(),
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
  /** Issues and recognises sessions, and budgets new conversations. */
  readonly sessions: WebSessions;
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
    const kind = b.start ? 'start' : b.option ? 'option' : b.text !== undefined && b.text.trim().length > 0 ? 'text' : null;
    if (kind === null) return reply.code(400).send({ error: 'bad_request', detail: 'text, option or start is required' });
    const session = await opts.sessions.forMessage(req.headers.cookie, req.ip);
    if (session.kind === 'refused') {
      const retryAfterS = Math.max(1, Math.ceil(session.retryAfterMs / 1000));
      return reply.code(429).header('retry-after', String(retryAfterS)).send({ error: 'too_many_new_chats', retryAfterS });
    }
    if (session.kind === 'new') reply.header('set-cookie', session.setCookie);
    const base = { id: `msg:${b.messageId ?? randomUUID()}`, channel: 'web' as const, chatId: session.chatId, sentAtMs: Date.now() };
    let message: InboundMessage;
    if (kind === 'start') message = { ...base, kind: 'start' };
    else if (kind === 'option') message = { ...base, kind: 'option', optionIndex: b.option!.index, menuSeq: b.option!.menuSeq };
    else message = { ...base, kind: 'text', text: b.text! };
    // A conversation still at its greeting keeps its outbox for hours only.
    const greeting = kind === 'start' && (session.kind === 'new' || session.greeting);
    // A new session's numbering starts at 0, whatever the page had (its cursor belonged to another session).
    const after = session.kind === 'new' ? 0 : b.after;
    // The outbox may live on Redis: the channel answers even when it is down (never a 500).
    const page = await opts.channel.exchange(session.chatId, after, () => opts.inbound.handleInbound(message), { greeting });
    return session.kind === 'new' ? { ...page, session: 'new' } : page;
  });

  app.get('/api/web/messages', async (req, reply) => {
    const after = Number((req.query as { after?: string }).after ?? 0);
    if (!Number.isInteger(after) || after < 0) return reply.code(400).send({ error: 'bad_request' });
    const abort = new AbortController();
    req.raw.on('close', () => abort.abort());
    const chatId = opts.sessions.chatIdOf(req.headers.cookie);
    // No session yet (or cookies refused): wait like an idle poll, so a page cannot spin on it.
    if (chatId === null) return opts.channel.idle(opts.longPollMs ?? LONG_POLL_MS, abort.signal);
    // Woken by a message appended through any instance; reads the outbox again either way.
    return opts.channel.poll(chatId, after, opts.longPollMs ?? LONG_POLL_MS, abort.signal);
  });
};
