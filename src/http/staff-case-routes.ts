/**
 * The console's case tools (a plugin beside staff-routes.ts, registered after it):
 *
 * - GET  /api/staff/replies → [{id, title, text: {vi, en}, guide?}] canned replies, by title
 * - GET  /api/staff/colleagues → [{username, displayName, role}]
 * - GET  /api/staff/labels → labels used lately
 * - GET  /api/staff/settings → {waitAmberMs, waitRedMs, office: {open, nextOpeningMs}, noteLimit}
 * - GET  /api/staff/conversations?q=&status=&label=&channel=&staff=&from=&to=&cursor=&limit=
 *        → {items: [case], total, next?} newest first (from/to: epoch ms, to exclusive)
 * - GET  /api/staff/conversations/:caseId → {record, lines, canReopen}
 * - POST /api/staff/handoffs/:id/notes {text} → {entry}   private note, never sent
 * - POST /api/staff/handoffs/:id/transfer {to: username | null, note?} → {owner} | {position}
 * - POST /api/staff/handoffs/:id/labels {labels, caseId?} → {record}
 * - POST /api/staff/handoffs/:id/reopen → {ticket} | 409 not_reopenable
 *
 * Every route answers 401 without a valid session and writes an audit line (reads too: who
 * searched or opened what, never the words). State-changing routes refuse cross-site requests.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, HandoffStateError, NotFoundError } from '../core/errors.ts';
import { isCaseId } from '../core/handoff/cases.ts';
import { NOTE_TEXT_LIMIT, type CaseDesk } from '../core/handoff/case-desk.ts';
import { CASE_STATUSES, type CaseQuery } from '../core/ports.ts';
import { parseConversationId, type ChannelName, type ConversationId } from '../core/types.ts';
import { sameOriginGuard, staffOf, type StaffAuth } from './staff-auth.ts';
import { installBodyParser } from './staff-routes.ts';

/** Largest JSON body these routes accept, bytes. */
export const CASE_BODY_LIMIT_BYTES = 32 * 1024;
/** Cases per page when the query does not say, and at most. */
export const CASES_PAGE_DEFAULT = 20;
export const CASES_PAGE_MAX = 50;
/** Waiting tickets the console reads at a time, by default and at most. */
export const QUEUE_PAGE_DEFAULT = 50;
export const QUEUE_PAGE_MAX = 200;

/** What the plugin needs. */
export interface StaffCaseRoutesOptions {
  readonly auth: StaffAuth;
  readonly desk: CaseDesk;
  /** Office-hours waits past which the console shows amber and red, ms. */
  readonly waitAmberMs: number;
  readonly waitRedMs: number;
  /** PUBLIC_URL, accepted as an origin besides the request's own. */
  readonly publicUrl?: string;
}

const CHANNELS = ['telegram', 'zalo-bot', 'zalo-oa', 'web', 'cli'] as const satisfies readonly ChannelName[];
const epochMs = z.coerce.number().int().min(0).max(8.64e15);
const SearchQuery = z.object({
  q: z.string().max(200).optional(),
  status: z.enum(CASE_STATUSES as [string, ...string[]]).optional(),
  label: z.string().max(60).optional(),
  channel: z.enum(CHANNELS).optional(),
  staff: z.string().max(32).optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(CASES_PAGE_MAX).optional(),
});
const QueueQuery = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(QUEUE_PAGE_MAX).default(QUEUE_PAGE_DEFAULT),
});
const NoteBody = z.object({ text: z.string().min(1).max(NOTE_TEXT_LIMIT) });
const TransferBody = z.object({ to: z.string().min(1).max(32).nullable(), note: z.string().max(NOTE_TEXT_LIMIT).optional() });
const LabelsBody = z.object({ labels: z.array(z.string().max(60)).max(20), caseId: z.string().max(30).optional() });

/** The `:id` conversation id, or null when it is not one. */
function conversationParam(req: FastifyRequest): ConversationId | null {
  const raw = (req.params as { id?: string }).id ?? '';
  return raw.length <= 200 && parseConversationId(raw) !== null ? (raw as ConversationId) : null;
}

/** The signed-in staff member as the desk records them. */
function who(req: FastifyRequest) {
  const s = staffOf(req);
  return { username: s.username, ...(s.displayName ? { displayName: s.displayName } : {}) };
}

/** Desk errors as answers; the rest is rethrown (the app's error handler hides 5xx). */
function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof HandoffStateError) {
    if (err.problem === 'missing') return reply.code(404).send({ error: 'not_found' });
    return reply.code(409).send({ error: err.problem === 'taken' ? 'taken' : 'not_owner', ...(err.owner ? { owner: err.owner } : {}) });
  }
  if (err instanceof NotFoundError) return reply.code(404).send({ error: 'not_found' });
  if (err instanceof AppError && err.code === 'NOT_REOPENABLE') return reply.code(409).send({ error: 'not_reopenable' });
  if (err instanceof AppError && ['BAD_TEXT', 'BAD_LABELS', 'BAD_TARGET'].includes(err.code)) return reply.code(400).send({ error: 'bad_request' });
  throw err;
}

/** A handler that runs `fn` and maps desk errors. */
function handle(fn: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    try {
      const out = await fn(req, reply);
      return reply.sent ? reply : reply.send(out);
    } catch (err) {
      return sendError(reply, err);
    }
  };
}

/** The plugin (its own JSON parser, same-origin guard and no caching, like the staff API's). */
export const staffCaseRoutes: FastifyPluginAsync<StaffCaseRoutesOptions> = async (app, opts) => {
  installBodyParser(app, CASE_BODY_LIMIT_BYTES);
  app.addHook('onRequest', sameOriginGuard(opts.publicUrl));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  const staff = opts.auth.requireRole('staff');
  registerReads(app, opts, staff);
  registerActions(app, opts.desk, staff);
};


type Guard = ReturnType<StaffAuth['requireRole']>;

/** Replies, colleagues, labels, settings, the history and one case. */
function registerReads(app: FastifyInstance, opts: StaffCaseRoutesOptions, staff: Guard): void {
  const { desk } = opts;
  app.get('/api/staff/replies', { preHandler: staff }, handle(async (req) => desk.replies(who(req))));
  // The console's queue: a page of the waiting (oldest first), every active one, the totals.
  app.get('/api/staff/queue', { preHandler: staff }, handle(async (req, reply) => {
    const q = QueueQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'bad_request' });
    return desk.queuePage(q.data.offset, q.data.limit);
  }));
  app.get('/api/staff/colleagues', { preHandler: staff }, handle(async (req) => desk.colleagues(who(req))));
  app.get('/api/staff/labels', { preHandler: staff }, handle(async (req) => desk.knownLabels(who(req))));
  app.get('/api/staff/settings', { preHandler: staff }, handle(async (req) => ({
    waitAmberMs: opts.waitAmberMs,
    waitRedMs: opts.waitRedMs,
    office: await desk.officeNow(who(req)),
    noteLimit: NOTE_TEXT_LIMIT,
  })));
  app.get('/api/staff/conversations', { preHandler: staff }, handle(async (req, reply) => {
    const q = SearchQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'bad_request' });
    const { q: text, from, to, limit, ...rest } = q.data;
    const query: CaseQuery = {
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== '')),
      ...(text?.trim() ? { text: text.trim() } : {}),
      ...(from !== undefined ? { fromMs: from } : {}),
      ...(to !== undefined ? { toMs: to } : {}),
      limit: limit ?? CASES_PAGE_DEFAULT,
    } as CaseQuery;
    return desk.searchCases(who(req), query);
  }));
  app.get('/api/staff/conversations/:caseId', { preHandler: staff }, handle(async (req, reply) => {
    const caseId = (req.params as { caseId?: string }).caseId ?? '';
    if (!isCaseId(caseId)) return reply.code(404).send({ error: 'not_found' });
    return desk.readCase(who(req), caseId);
  }));
}

/** Notes, transfer, labels and reopening on the `:id` conversation. */
function registerActions(app: FastifyInstance, desk: CaseDesk, staff: Guard): void {
  const on = (fn: (id: ConversationId, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) =>
    handle(async (req, reply) => {
      const id = conversationParam(req);
      if (!id) return reply.code(404).send({ error: 'not_found' });
      return fn(id, req, reply);
    });
  app.post('/api/staff/handoffs/:id/notes', { preHandler: staff }, on(async (id, req, reply) => {
    const body = NoteBody.safeParse(req.body);
    if (!body.success || body.data.text.trim() === '') return reply.code(400).send({ error: 'bad_request' });
    return { entry: await desk.note(id, who(req), body.data.text) };
  }));
  app.post('/api/staff/handoffs/:id/transfer', { preHandler: staff }, on(async (id, req, reply) => {
    const body = TransferBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'bad_request' });
    return desk.transfer(id, who(req), body.data.to, body.data.note);
  }));
  app.post('/api/staff/handoffs/:id/labels', { preHandler: staff }, on(async (id, req, reply) => {
    const body = LabelsBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'bad_request' });
    return { record: await desk.setLabels(id, who(req), body.data.labels, body.data.caseId) };
  }));
  app.post('/api/staff/handoffs/:id/reopen', { preHandler: staff }, on(async (id, req) => ({ ticket: await desk.reopen(id, who(req)) })));
}
