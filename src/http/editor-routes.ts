/**
 * The Editors page and its API (editor role only; staff get 403, no session 401):
 *
 * - GET  /console/editors (+ editors.js, editors.css): the page; without a session it sends the
 *   browser to /console to log in; a staff account gets 403.
 * - GET  /api/editor/report?since=7d → the report as JSON (period `Nd` or `Nh`, default 7d)
 * - GET  /api/editor/report.csv?since=7d&table=unanswered|guides|channels|days → one table as CSV
 * - GET  /api/editor/content-status → the live content version and the last reload's outcome,
 *   problems as `file:line:col` (paths relative to the content directory)
 * - POST /api/admin/reload → reloads the content now: 200 with the outcome, 422 when the new
 *   content was rejected (the old content keeps serving)
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ContentSnapshot } from '../core/content.ts';
import type { AnalyticsStore, Clock, Logger } from '../core/ports.ts';
import type { ReloadOutcome } from '../content/manager.ts';
import { formatProblem, sortProblems } from '../content/problems.ts';
import { PeriodError, REPORT_TABLES, parsePeriod, reportCsv, reportGuidesOf, type ReportTable } from '../reports/format.ts';
import { streamReport, type EditorReport } from '../reports/report.ts';
import { CONSOLE_CSP } from './console-routes.ts';
import { sameOriginGuard, staffOf, type StaffAuth } from './staff-auth.ts';

const PAGE_DIR = fileURLToPath(new URL('../console/', import.meta.url));
/** Most problems listed by the content status (the log has them all). */
const PROBLEMS_SHOWN = 200;

/** The content manager, as the editor routes use it. */
export interface EditableContent {
  readonly loaded: boolean;
  current(): ContentSnapshot;
  lastOutcome(): ReloadOutcome | null;
  reload(): Promise<ReloadOutcome>;
}

/** What the editor routes need. */
export interface EditorRoutesOptions {
  readonly auth: StaffAuth;
  readonly content: EditableContent;
  /** CONTENT_DIR, to show problem paths relative to it. */
  readonly contentDir: string;
  readonly analytics: AnalyticsStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Writes queued analytics before a report is read (so it includes the last minutes). */
  readonly flush?: () => Promise<void>;
  /** PUBLIC_URL, accepted as an origin besides the request's own. */
  readonly publicUrl?: string;
}

const PAGE_FILES: Record<string, { file: string; type: string }> = {
  '/console/editors': { file: 'editors.html', type: 'text/html; charset=utf-8' },
  '/console/editors.js': { file: 'editors.js', type: 'text/javascript; charset=utf-8' },
  '/console/editors.css': { file: 'editors.css', type: 'text/css; charset=utf-8' },
};

const FORBIDDEN_PAGE =
  '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>403</title></head>' +
  '<body><p>Trang này chỉ dành cho biên tập viên (editor). This page is for editors only.</p><p><a href="/console">← /console</a></p></body></html>';

/** The outcome with problem paths relative to the content directory and a ready-made `text`. */
function describeOutcome(outcome: ReloadOutcome | null, contentDir: string) {
  if (!outcome) return null;
  const root = resolve(contentDir);
  const problems = sortProblems(outcome.problems).slice(0, PROBLEMS_SHOWN).map((p) => {
    const rel = relative(root, resolve(p.file));
    const file = rel.startsWith('..') || isAbsolute(rel) ? p.file : rel;
    return { ...p, file, text: formatProblem({ ...p, file }) };
  });
  return {
    ok: outcome.ok,
    version: outcome.version,
    atMs: outcome.atMs,
    errors: outcome.problems.filter((p) => p.severity === 'error').length,
    warnings: outcome.problems.filter((p) => p.severity === 'warning').length,
    problems,
  };
}

/** A preHandler that lets only editors through. */
type EditorGuard = ReturnType<StaffAuth['requireRole']>;

/** The Editors page and API plugin. */
export const editorRoutes: FastifyPluginAsync<EditorRoutesOptions> = async (app, opts) => {
  const editor = opts.auth.requireRole('editor');
  const files = await readPageFiles();

  // The reload takes no body; accept an empty one with or without a JSON content type.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 }, (_req, _body, done) => done(null, {}));
  app.addHook('onRequest', sameOriginGuard(opts.publicUrl));

  registerPageRoutes(app, opts, files);
  registerReportRoutes(app, opts, editor);
  registerContentRoutes(app, opts, editor);
};

/** The page's files, read once at registration, by route. */
async function readPageFiles(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const [route, { file }] of Object.entries(PAGE_FILES)) files.set(route, await readFile(`${PAGE_DIR}${file}`));
  return files;
}

/** Sets `type` and the console's security headers (no caching, no sniffing, no framing, its CSP). */
function secure(reply: FastifyReply, type: string): FastifyReply {
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', CONSOLE_CSP);
}

/** GET of the page, its script and its styles: editors only; no session → login (page) or 401. */
function registerPageRoutes(app: FastifyInstance, opts: EditorRoutesOptions, files: ReadonlyMap<string, Buffer>): void {
  for (const [route, { type }] of Object.entries(PAGE_FILES)) {
    app.get(route, async (req, reply) => {
      const who = await opts.auth.identify(req);
      if (!who) return route === '/console/editors' ? reply.redirect('/console', 303) : reply.code(401).send({ error: 'unauthorized' });
      if (who.role !== 'editor') return secure(reply.code(403), 'text/html; charset=utf-8').send(FORBIDDEN_PAGE);
      return secure(reply, type).send(files.get(route));
    });
  }
}

/** The report for `?since=` (400 on a bad period). */
async function readReport(opts: EditorRoutesOptions, req: FastifyRequest, reply: FastifyReply): Promise<EditorReport | null> {
  const since = (req.query as { since?: string }).since ?? '7d';
  let periodMs: number;
  try {
    periodMs = parsePeriod(since);
  } catch (err) {
    if (err instanceof PeriodError) {
      await reply.code(400).send({ error: 'bad_period', message: err.message });
      return null;
    }
    throw err;
  }
  await opts.flush?.().catch(() => undefined);
  const untilMs = opts.clock.nowMs() + 1;
  const sinceMs = untilMs - periodMs;
  const bundle = opts.content.current().content;
  // Tallied a chunk at a time, with the event loop free between chunks: citizens' turns on
  // this instance never wait for a report. Requests for the same period share one reading.
  const key = `${since}|${bundle.officeHours.time_zone}`;
  let byPeriod = reportsRunning.get(opts.analytics);
  if (byPeriod === undefined) reportsRunning.set(opts.analytics, (byPeriod = new Map()));
  let running = byPeriod.get(key);
  if (running === undefined) {
    const building = streamReport(opts.analytics, { sinceMs, untilMs, nowMs: untilMs, timeZone: bundle.officeHours.time_zone, guides: reportGuidesOf(bundle) });
    byPeriod.set(key, (running = building));
    void building.finally(() => byPeriod.delete(key)).catch(() => undefined);
  }
  return running;
}

/** Reports being built now, per store and period: a second request for one waits for the same reading. */
const reportsRunning = new WeakMap<AnalyticsStore, Map<string, Promise<EditorReport>>>();

/** GET /api/editor/report (JSON) and /api/editor/report.csv (one table). */
function registerReportRoutes(app: FastifyInstance, opts: EditorRoutesOptions, editor: EditorGuard): void {
  app.get('/api/editor/report', { preHandler: editor }, async (req, reply) => {
    const r = await readReport(opts, req, reply);
    if (r) return reply.header('cache-control', 'no-store').send(r);
    return reply;
  });

  app.get('/api/editor/report.csv', { preHandler: editor }, async (req, reply) => {
    const table = (req.query as { table?: string }).table ?? 'unanswered';
    if (!(REPORT_TABLES as readonly string[]).includes(table)) return reply.code(400).send({ error: 'bad_table', tables: REPORT_TABLES });
    const r = await readReport(opts, req, reply);
    if (!r) return reply;
    const since = ((req.query as { since?: string }).since ?? '7d').replace(/[^0-9a-z]/g, '');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="report-${table}-${since}.csv"`)
      .header('cache-control', 'no-store')
      .send(`\ufeff${reportCsv(r, table as ReportTable)}`);
  });
}

/** GET /api/editor/content-status and POST /api/admin/reload. */
function registerContentRoutes(app: FastifyInstance, opts: EditorRoutesOptions, editor: EditorGuard): void {
  app.get('/api/editor/content-status', { preHandler: editor }, async (_req, reply) => {
    const snap = opts.content.loaded ? opts.content.current() : null;
    return reply.header('cache-control', 'no-store').send({
      loaded: snap !== null,
      version: snap?.version ?? null,
      loadedAtMs: snap?.loadedAtMs ?? null,
      guides: snap?.content.guideList.length ?? 0,
      lastReload: describeOutcome(opts.content.lastOutcome(), opts.contentDir),
    });
  });

  app.post('/api/admin/reload', { preHandler: editor }, async (req, reply) => {
    const who = staffOf(req);
    opts.logger.info({ by: who.username }, 'content reload requested from the console');
    const outcome = await opts.content.reload();
    return reply
      .code(outcome.ok ? 200 : 422)
      .header('cache-control', 'no-store')
      .send(describeOutcome(outcome, opts.contentDir));
  });
}
