/**
 * The staff console's JSON API (the console page and the end-to-end checks use it):
 *
 * - POST /api/staff/login {username, password} → 200 + session cookie | 400 | 401 | 429
 * - POST /api/staff/logout → 200 (cookie cleared)
 * - GET  /api/staff/me → {username, role, displayName}
 * - GET  /api/staff/handoffs → [{id, channel, status, waitingSinceMs, lastMessage, owner?, guideTitle?, …}]
 * - GET  /api/staff/handoffs/:id → {ticket, transcript, lang, mode, unreachable, handedOff} | 403 (never handed off) | 404; audited
 * - POST /api/staff/handoffs/:id/claim → 200 {ticket} | 409 {error: "taken", owner} | 404
 * - POST /api/staff/handoffs/:id/messages {text} → 200 {entry} | 409 not_owner | 404
 * - POST /api/staff/handoffs/:id/guide {guideId} → 200 {entry}
 * - POST /api/staff/handoffs/:id/release → 200 {position}
 * - POST /api/staff/handoffs/:id/resolve → 200 {ok}
 * - GET  /api/staff/guides → [{id, title, category}]
 * - GET  /api/staff/events → text/event-stream of live events
 * - GET  /api/staff/audit?limit=100 → newest first (editors only)
 *
 * Every route but login/logout answers 401 without a valid session. State-changing routes
 * refuse cross-site browser requests (403).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, HandoffStateError, NotFoundError } from '../core/errors.ts';
import { STAFF_TEXT_LIMIT, type HandoffDesk } from '../core/handoff/desk.ts';
import type { AuditLog } from '../core/ports.ts';
import type { StaffReads } from '../core/handoff/staff-reads.ts';
import { parseConversationId, type ConversationId } from '../core/types.ts';
import { sameOriginGuard, staffOf, type StaffAuth } from './staff-auth.ts';
import type { LiveHub } from './staff-events.ts';

/** Largest JSON body the staff API accepts, bytes. */
export const STAFF_BODY_LIMIT_BYTES = 32 * 1024;

/** What the staff API plugin needs. */
export interface StaffRoutesOptions {
  readonly auth: StaffAuth;
  readonly desk: HandoffDesk;
  readonly hub: LiveHub;
  readonly audit: AuditLog;
  /** Opens transcripts (handed-off conversations only), auditing each read. */
  readonly reads: StaffReads;
  /** PUBLIC_URL, accepted as an origin besides the request's own. */
  readonly publicUrl?: string;
}

const MessageBody = z.object({ text: z.string().min(1).max(STAFF_TEXT_LIMIT) });
const GuideBody = z.object({ guideId: z.string().min(1).max(120) });

/** The conversation id of the `:id` parameter, or null when it is not one. */
function idParam(req: FastifyRequest): ConversationId | null {
  const raw = (req.params as { id?: string }).id ?? '';
  if (raw.length > 200 || parseConversationId(raw) === null) return null;
  return raw as ConversationId;
}

/** Maps desk errors to answers; rethrows the rest (the app's error handler hides 5xx). */
function sendDeskError(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof HandoffStateError) {
    if (err.problem === 'missing') return reply.code(404).send({ error: 'not_found' });
    return reply.code(409).send({ error: err.problem === 'taken' ? 'taken' : 'not_owner', ...(err.owner ? { owner: err.owner } : {}) });
  }
  if (err instanceof NotFoundError) return reply.code(404).send({ error: 'not_found' });
  if (err instanceof AppError && err.code === 'BAD_TEXT') return reply.code(400).send({ error: 'bad_request' });
  throw err;
}

/** The staff API plugin (register once; it owns its JSON parser, hooks and the live hub's lifetime). */
export const staffRoutes: FastifyPluginAsync<StaffRoutesOptions> = async (app, opts) => {
  const staff = opts.auth.requireRole('staff');
  const editor = opts.auth.requireRole('editor');
  installBodyParser(app);
  installHooks(app, opts);
  registerSessionRoutes(app, opts.auth, staff);
  registerHandoffRoutes(app, opts.desk, staff, opts.reads);
  registerLiveAndAuditRoutes(app, opts, { staff, editor });
};

/** A preHandler that lets only a given role (or above) through. */
type RoleGuard = ReturnType<StaffAuth['requireRole']>;

/**
 * JSON bodies up to `limitBytes` (default {@link STAFF_BODY_LIMIT_BYTES}); action routes are often
 * posted with no body, with or without a JSON content type: an empty body reads as `{}`.
 * Shared by the staff routes and the case routes.
 */
export function installBodyParser(app: FastifyInstance, limitBytes = STAFF_BODY_LIMIT_BYTES): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: limitBytes }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('body is not JSON'), { statusCode: 400, code: 'bad_json' }), undefined);
    }
  });
}

/** Same-origin guard, no caching of any answer, and the live hub closed with the server. */
function installHooks(app: FastifyInstance, opts: StaffRoutesOptions): void {
  app.addHook('onRequest', sameOriginGuard(opts.publicUrl));
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('preClose', async () => {
    await opts.hub.close();
  });
}

/** A handler running a desk action on the `:id` conversation, mapping its errors. */
function action(fn: (id: ConversationId, req: FastifyRequest) => Promise<unknown>) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const id = idParam(req);
    if (!id) return reply.code(404).send({ error: 'not_found' });
    try {
      return reply.send(await fn(id, req));
    } catch (err) {
      return sendDeskError(reply, err);
    }
  };
}

/** The signed-in staff member as the desk records them. */
function who(req: FastifyRequest) {
  const s = staffOf(req);
  return { username: s.username, ...(s.displayName ? { displayName: s.displayName } : {}) };
}

/** POST login and logout, GET me. */
function registerSessionRoutes(app: FastifyInstance, auth: StaffAuth, staff: RoleGuard): void {
  app.post('/api/staff/login', (req, reply) => auth.login(req, reply));
  app.post('/api/staff/logout', (req, reply) => auth.logout(req, reply));

  app.get('/api/staff/me', { preHandler: staff }, async (req) => {
    const s = staffOf(req);
    return { username: s.username, role: s.role, displayName: s.displayName ?? s.username };
  });
}

/** The queue, one conversation, and the desk's actions on it (claim, reply, guide, release, resolve). */
function registerHandoffRoutes(app: FastifyInstance, desk: HandoffDesk, staff: RoleGuard, reads: StaffReads): void {
  app.get('/api/staff/handoffs', { preHandler: staff }, async () => desk.list());

  app.get('/api/staff/handoffs/:id', { preHandler: staff }, async (req, reply) => {
    const id = idParam(req);
    const read = id ? await reads.read(id, staffOf(req).username) : { kind: 'missing' as const };
    if (read.kind === 'missing') return reply.code(404).send({ error: 'not_found' });
    if (read.kind === 'forbidden') return reply.code(403).send({ error: 'not_handed_off' });
    return read.conversation;
  });

  app.post('/api/staff/handoffs/:id/claim', { preHandler: staff }, action(async (id, req) => ({ ticket: await desk.claim(id, who(req)) })));

  app.post('/api/staff/handoffs/:id/messages', { preHandler: staff }, async (req, reply) => {
    const body = MessageBody.safeParse(req.body);
    if (!body.success || body.data.text.trim() === '') return reply.code(400).send({ error: 'bad_request' });
    return action(async (id) => ({ entry: await desk.reply(id, who(req), body.data.text) }))(req, reply);
  });

  app.post('/api/staff/handoffs/:id/guide', { preHandler: staff }, async (req, reply) => {
    const body = GuideBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'bad_request' });
    return action(async (id) => ({ entry: await desk.insertGuide(id, who(req), body.data.guideId) }))(req, reply);
  });

  app.post('/api/staff/handoffs/:id/release', { preHandler: staff }, action(async (id, req) => ({ position: await desk.release(id, who(req)) })));

  app.post('/api/staff/handoffs/:id/resolve', { preHandler: staff }, action(async (id, req) => {
    await desk.resolve(id, who(req));
    return { ok: true };
  }));
}

/** The guide list, the live event stream and (editors only) the audit log. */
function registerLiveAndAuditRoutes(app: FastifyInstance, opts: StaffRoutesOptions, guards: { staff: RoleGuard; editor: RoleGuard }): void {
  const { desk, hub } = opts;
  app.get('/api/staff/guides', { preHandler: guards.staff }, async () => desk.guides());

  app.get('/api/staff/events', { preHandler: guards.staff }, async (req, reply) => {
    reply.hijack();
    await hub.attach(reply.raw, staffOf(req).sessionExpiresAtMs);
  });

  app.get('/api/staff/audit', { preHandler: guards.editor }, async (req) => {
    const limit = Math.min(Math.max(Number((req.query as { limit?: string }).limit ?? 100) || 100, 1), 1000);
    return opts.audit.recent(limit);
  });
}
