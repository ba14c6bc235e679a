/**
 * `npm run report -- [--since 7d] [--until <date-time>] [--format table|csv|json] [--table <name>]`:
 * editors' reports from the analytics kept in Redis (REDIS_URL, REDIS_KEY_PREFIX of the app).
 *
 * - `--since`: the period before `--until`, `Nd` or `Nh` (default 7d).
 * - `--until`: end of the period, ISO 8601 (e.g. `2026-11-30` or `2026-11-30T00:00:00+07:00`); default now.
 * - `--format`: `table` (default, for a terminal), `csv`, or `json` (the whole report).
 * - `--table`: only one table: unanswered, guides, channels or days. Without it, table and csv
 *   print every table, each after a `# <name>` title line and separated by an empty line.
 *
 * Guide titles and review dates come from CONTENT_DIR (errors there only cost the titles).
 */
import type { Writable } from 'node:stream';
import { loadConfig } from '../config.ts';
import { runIfMain, withAppRedis } from './app-redis.ts';
import { loadContent } from '../content/load.ts';
import type { AnalyticsStore } from '../core/ports.ts';
import { RedisAnalyticsStore } from '../stores/redis/redis-analytics-store.ts';
import { PeriodError, REPORT_TABLES, parsePeriod, reportCsv, reportGuidesOf, reportText, type ReportTable } from '../reports/format.ts';
import { REPORT_TIME_ZONE, streamReport, type ReportGuide } from '../reports/report.ts';

const USAGE = `usage: npm run report -- [--since 7d|24h] [--until 2026-11-30T00:00:00+07:00] [--format table|csv|json] [--table ${REPORT_TABLES.join('|')}]`;

/** What the report command reads from and writes to. */
export interface ReportCliDeps {
  readonly store: AnalyticsStore;
  readonly guides: readonly ReportGuide[];
  readonly timeZone?: string;
  readonly nowMs: number;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Runs the report command; resolves the exit code (0 ok, 2 usage). */
export async function runReportCli(argv: readonly string[], deps: ReportCliDeps): Promise<number> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (!['--since', '--until', '--format', '--table'].includes(name) || flags.has(name)) return usage(deps, `unexpected ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined) return usage(deps, `${name} needs a value`);
    flags.set(name, value);
  }
  const format = flags.get('--format') ?? 'table';
  if (!['table', 'csv', 'json'].includes(format)) return usage(deps, '--format must be table, csv or json');
  const table = flags.get('--table');
  if (table !== undefined && !(REPORT_TABLES as readonly string[]).includes(table)) return usage(deps, `--table must be one of ${REPORT_TABLES.join(', ')}`);
  let periodMs: number;
  try {
    periodMs = parsePeriod(flags.get('--since') ?? '7d');
  } catch (err) {
    if (err instanceof PeriodError) return usage(deps, err.message);
    throw err;
  }
  const untilText = flags.get('--until');
  const untilMs = untilText === undefined ? deps.nowMs : Date.parse(untilText);
  if (Number.isNaN(untilMs)) return usage(deps, `--until is not a date: ${untilText}`);

  const sinceMs = untilMs - periodMs;
  // Read a chunk at a time and tallied as it comes: a busy week never sits in memory at once.
  const report = await streamReport(deps.store, { sinceMs, untilMs, nowMs: deps.nowMs, timeZone: deps.timeZone ?? REPORT_TIME_ZONE, guides: deps.guides }, 10_000);
  if (format === 'json') {
    deps.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const render = format === 'csv' ? reportCsv : reportText;
  const tables = table === undefined ? REPORT_TABLES : [table as ReportTable];
  const parts = tables.map((t) => (table === undefined ? `# ${t}\n${render(report, t)}` : render(report, t)));
  deps.stdout.write(parts.join('\n'));
  return 0;
}

function usage(deps: Pick<ReportCliDeps, 'stderr'>, problem: string): number {
  deps.stderr.write(`✖ ${problem}\n${USAGE}\n`);
  return 2;
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (!config.redisTopology) {
    process.stderr.write('✖ REDIS_URL is not set (nor REDIS_SENTINELS or REDIS_CLUSTER_NODES): reports read the analytics the app keeps in Redis (set REDIS_URL and REDIS_KEY_PREFIX as for the app).\n');
    return 2;
  }
  const content = await loadContent(config.CONTENT_DIR);
  if (!content.bundle) process.stderr.write(`! content in ${config.CONTENT_DIR} has errors: guide titles and review dates are left out\n`);
  const target = { topology: config.redisTopology, keyPrefix: config.REDIS_KEY_PREFIX, connectionName: 'dvcbot-report-cli' };
  return withAppRedis(target, (redis) =>
    runReportCli(process.argv.slice(2), {
      store: new RedisAnalyticsStore({ redis, retentionMs: config.ANALYTICS_RETENTION_DAYS * 86_400_000 }),
      guides: content.bundle ? reportGuidesOf(content.bundle) : [],
      timeZone: content.bundle?.officeHours.time_zone ?? REPORT_TIME_ZONE,
      nowMs: Date.now(),
      stdout: process.stdout,
      stderr: process.stderr,
    }),
  );
}

runIfMain(import.meta.url, main);
