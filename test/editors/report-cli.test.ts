// `npm run report` against a Redis the test fills: the exact CSV, the other formats, and usage errors.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/core/ports.ts';
import { Writable } from 'node:stream';
import { runReportCli } from '../../src/cli/report.ts';
import { loadContent } from '../../src/content/load.ts';
import { reportGuidesOf } from '../../src/reports/format.ts';
import { localDay } from '../../src/reports/report.ts';
import { closeRedisClient, createRedisClient, waitForRedisReady } from '../../src/stores/redis/client.ts';
import { RedisAnalyticsStore } from '../../src/stores/redis/redis-analytics-store.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const keyPrefix = `t:${randomUUID()}:`;
const redisUrl = inject('redisUrl');
const redis = createRedisClient(redisUrl, { keyPrefix });
const env = { ...process.env, REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix, CONTENT_DIR: join(ROOT, 'test', 'fixtures', 'content-min'), NODE_ENV: 'test' };

/** Noon in Cần Thơ, `k` local days ago (always inside a 7-day window for k ≤ 5). */
const noon = (k: number) => Date.parse(`${localDay(Date.now() - k * DAY_MS)}T12:00:00+07:00`);
const d2 = localDay(noon(2));
const d3 = localDay(noon(3));

beforeAll(async () => {
  await waitForRedisReady(redis, 5_000);
  const t3 = noon(3);
  const t2 = noon(2);
  const events: AnalyticsEvent[] = [
    { kind: 'question', atMs: t3, channel: 'telegram', decision: 'answer', query: 'lam can cuoc cho con', guides: ['alpha-guide'], confidence: 0.9 },
    { kind: 'feedback', atMs: t3 + MIN_MS, channel: 'telegram', guideId: 'alpha-guide', helpful: false },
    { kind: 'handoff', atMs: t3 + 2 * MIN_MS, channel: 'telegram', reason: 'feedback', guideId: 'alpha-guide' },
    { kind: 'claimed', atMs: t3 + 4 * MIN_MS, channel: 'telegram', waitMs: 2 * MIN_MS },
    { kind: 'rating', atMs: t3 + 20 * MIN_MS, channel: 'telegram', score: 4 },
    { kind: 'question', atMs: t2, channel: 'web', decision: 'fallback', query: 'lam ho chieu o dau', guides: ['beta-guide', 'alpha-guide'], confidence: 0.4 },
    { kind: 'question', atMs: t2 + MIN_MS, channel: 'web', decision: 'fallback', query: 'lam ho chieu o dau', guides: ['beta-guide'], confidence: 0.4 },
    { kind: 'question', atMs: t2 + 2 * MIN_MS, channel: 'web', decision: 'greeting', query: '', guides: [], confidence: 0.95 },
    { kind: 'question', atMs: t2 + 3 * MIN_MS, channel: 'web', decision: 'answer', query: 'dang ki ket hon', guides: ['beta-guide'], confidence: 0.9 },
    { kind: 'feedback', atMs: t2 + 4 * MIN_MS, channel: 'web', guideId: 'beta-guide', helpful: true },
    { kind: 'question', atMs: t2 + 5 * MIN_MS, channel: 'zalo-bot', decision: 'clarify', query: 'dang ki', guides: ['alpha-guide', 'beta-guide'], confidence: 0.6 },
    // Older than the 7 days asked for: left out.
    { kind: 'question', atMs: Date.now() - 8 * DAY_MS, channel: 'web', decision: 'fallback', query: 'cau hoi cu', guides: [], confidence: 0.1 },
  ];
  await new RedisAnalyticsStore({ redis }).record(events);
});
afterAll(async () => {
  const admin = createRedisClient(redisUrl);
  await waitForRedisReady(admin, 5_000);
  const keys = await admin.keys(`${keyPrefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  await closeRedisClient(admin);
  await closeRedisClient(redis);
});

function expectedCsv(daysSinceReview: number): string {
  const activity = 'messages,questions,answered,answered_share,clarified,unanswered,handoffs,handoff_share,claims,median_wait_s,ratings,rating_avg,thumbs_up,thumbs_down';
  const telegram = '1,1,1,1,0,0,1,1,1,120,1,4,0,1';
  const web = '4,3,1,0.333,0,2,0,0,0,,0,,1,0';
  const zalo = '1,1,0,0,1,0,0,0,0,,0,,0,0';
  const table = (title: string, lines: string[]) => `# ${title}\n${lines.map((l) => `${l}\r\n`).join('')}`;
  return [
    table('unanswered', [
      'kind,query,count,guide_id,guide_title,last_seen',
      `fallback,lam ho chieu o dau,2,beta-guide,Hướng dẫn thử beta,${d2}`,
      `thumbs-down,lam can cuoc cho con,1,alpha-guide,Hướng dẫn thử alpha,${d3}`,
    ]),
    table('guides', [
      'guide_id,title,shown,offered,thumbs_up,thumbs_down,handoffs,reviewed,days_since_review,stale',
      `alpha-guide,Hướng dẫn thử alpha,1,1,0,1,1,2026-11-01,${daysSinceReview},false`,
      `beta-guide,Hướng dẫn thử beta,1,1,1,0,0,2026-11-01,${daysSinceReview},false`,
    ]),
    table('channels', [`channel,${activity}`, `telegram,${telegram}`, `web,${web}`, `zalo-bot,${zalo}`]),
    table('days', [`day,channel,${activity}`, `${d3},telegram,${telegram}`, `${d2},web,${web}`, `${d2},zalo-bot,${zalo}`]),
  ].join('\n');
}

const daysSince = () => Math.floor((Date.now() - Date.parse('2026-11-01T00:00:00Z')) / DAY_MS);

describe('npm run report', () => {
  it('prints the expected CSV for --since 7d --format csv', async () => {
    const before = daysSince();
    const { stdout } = await run('npm', ['run', 'report', '--', '--since', '7d', '--format', 'csv'], { cwd: ROOT, env });
    const csv = stdout.slice(stdout.indexOf('# unanswered')); // after npm's "> report" banner
    expect([expectedCsv(before), expectedCsv(daysSince())]).toContain(csv);
  }, 60_000);

  it('prints JSON and one table on request, and explains bad arguments', async () => {
    const content = await loadContent(env.CONTENT_DIR);
    const io = () => {
      const out = { stdout: '', stderr: '' };
      const sink = (key: 'stdout' | 'stderr') => new Writable({ write: (c: Buffer, _e, cb) => ((out[key] += c.toString('utf8')), cb()) });
      return { out, deps: { store: new RedisAnalyticsStore({ redis }), guides: reportGuidesOf(content.bundle!), nowMs: Date.now(), stdout: sink('stdout'), stderr: sink('stderr') } };
    };
    const json = io();
    expect(await runReportCli(['--since', '7d', '--format', 'json'], json.deps)).toBe(0);
    expect(JSON.parse(json.out.stdout).totals).toMatchObject({ messages: 6, questions: 5, answered: 2, handoffs: 1, claims: 1, medianWaitMs: 120_000 });
    const table = io();
    expect(await runReportCli(['--since=7d', '--table', 'unanswered'], table.deps)).toBe(0);
    expect(table.out.stdout.split('\n')[0]).toMatch(/^kind\s+query\s+count\s+guide_id/);
    expect(table.out.stdout).toContain('lam ho chieu o dau');
    const past = io();
    expect(await runReportCli(['--since', '7d', '--until', `${localDay(Date.now() - 30 * DAY_MS)}T00:00:00+07:00`, '--format', 'csv', '--table', 'channels'], past.deps)).toBe(0);
    expect(past.out.stdout.trim().split('\r\n')).toHaveLength(1); // header only: nothing that week
    for (const bad of [['--since', '1w'], ['--format', 'xml'], ['--table', 'secrets'], ['--until', 'someday'], ['--verbose']]) {
      const r = io();
      expect(await runReportCli(bad, r.deps), bad.join(' ')).toBe(2);
      expect(r.out.stderr).toContain('usage: npm run report');
    }
  });
});
