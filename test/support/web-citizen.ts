/**
 * A web chat citizen as tests drive one: a browser's cookie jar for the session cookie the
 * server issues, over `inject()` or real HTTP. The session (and so the conversation id) is
 * known after the first POST.
 */
import type { FastifyInstance } from 'fastify';
import { webChatIdOf } from '../../src/channels/web/sessions.ts';
import type { ConversationId } from '../../src/core/types.ts';

type SetCookie = string | string[] | number | undefined | null;

/** One browser of the web chat. */
export class WebCitizen {
  /** `name=value` of the session cookie, once the server issued one. */
  cookie: string | undefined;
  /** The session's chat id (the conversation is `web:<chatId>`). */
  chatId: string | undefined;
  /** Sessions the server issued to this browser so far. */
  sessions = 0;

  /** The conversation id; throws before the first answer. */
  get id(): ConversationId {
    if (this.chatId === undefined) throw new Error('no web chat session yet');
    return `web:${this.chatId}`;
  }

  /** Keeps the session cookie of an answer, as a browser would. */
  take(setCookie: SetCookie): void {
    for (const line of [setCookie].flat()) {
      if (typeof line !== 'string') continue;
      const pair = line.split(';')[0]!;
      const [name, value = ''] = pair.split('=');
      if (!name?.endsWith('dvc_chat') || value === '') continue;
      this.cookie = pair;
      this.chatId = webChatIdOf(value);
      this.sessions++;
    }
  }

  /** The Cookie header to send (none before the first answer). */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.cookie ? { ...extra, cookie: this.cookie } : extra;
  }

  /** POST /api/web/messages through `inject()`; resolves the response (cookie kept). */
  async post(app: FastifyInstance, body: object, headers: Record<string, string> = {}) {
    const res = await app.inject({ method: 'POST', url: '/api/web/messages', headers: this.headers(headers), payload: body });
    this.take(res.headers['set-cookie']);
    return res;
  }

  /** POST over HTTP to `base`; resolves the JSON answer (cookie kept). Throws on a non-2xx. */
  async fetchPost<T = { items: { seq: number; text: string; buttons: { kind: string; label: string; index?: number }[]; menuSeq: number }[]; cursor: number }>(
    base: string,
    body: object,
  ): Promise<T> {
    const res = await fetch(`${base}/api/web/messages`, { method: 'POST', headers: this.headers({ 'content-type': 'application/json' }), body: JSON.stringify(body) });
    this.take(res.headers.getSetCookie());
    if (!res.ok) throw new Error(`POST /api/web/messages: ${res.status}`);
    return (await res.json()) as T;
  }

  /** A long-poll through `inject()` (the session in the cookie, never the URL). */
  poll(app: FastifyInstance, after: number) {
    return app.inject({ url: `/api/web/messages?after=${after}`, headers: this.headers() });
  }

  /** A long-poll over HTTP. */
  fetchPoll(base: string, after: number, init: RequestInit = {}): Promise<Response> {
    return fetch(`${base}/api/web/messages?after=${after}`, { ...init, headers: this.headers() });
  }
}
