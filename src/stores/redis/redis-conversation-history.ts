/**
 * The hand-off history in Redis, indexed for search: shared by every instance, fast at tens of
 * thousands of cases (a page is one Lua call and one pipelined read, whatever the size).
 *
 * Keys (after the client's prefix; the `{hist}` hash tag keeps them on one slot):
 * - `hist:{hist}:all`             ZSET case → start (ms); sweeps go by it (age, then the cap)
 * - `hist:{hist}:rec:<case>`      HASH of the case's fields, and `ix`: the indexes it is in
 *                                 (TTL: the retention from its start)
 * - `hist:{hist}:lines:<case>`    LIST of JSON lines, capped             (same TTL)
 * - `hist:{hist}:conv:<conv id>`  ZSET the conversation's cases          (TTL refreshed on use)
 * - `hist:{hist}:st:<status>`, `:c:<channel>`, `:s:<user>`, `:l:<label>`
 *                                 ZSETs case → start                     (TTL refreshed on use)
 * - `hist:{hist}:t:<word>`        SETs of cases                          (TTL refreshed on use)
 * - `hist:{hist}:labels`          ZSET label → last used (ms), the 200 latest
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client-type.ts';
import { labelKey, queryTokens, searchTokens } from '../../core/handoff/cases.ts';
import {
  CASE_STATUSES,
  systemClock,
  type CaseChange,
  type CaseLine,
  type CasePage,
  type CaseQuery,
  type CaseRecord,
  type Clock,
  type ConversationHistory,
} from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import { DEFAULT_CASE_LINES_MAX, DEFAULT_CONVERSATION_TTL_MS, DEFAULT_HISTORY_MAX_CASES } from '../defaults.ts';
import { caseTokensOf, decodeCursor, encodeCursor, lineTokens } from '../history-shared.ts';
import { LABEL_CASE, OPEN_CASE, RECORD_CASE, REMOVE_CASE, SEARCH_CASES } from './history-scripts.ts';
import { caseFields, changeFields, parseCase, parseLine } from './history-fields.ts';
import { redisCall, toStoreError } from './redis-call.ts';

const P = 'hist:{hist}:';
/** Key names, before the client's prefix. */
export const historyKeys = {
  all: `${P}all`,
  labels: `${P}labels`,
  rec: (id: string) => `${P}rec:${id}`,
  lines: (id: string) => `${P}lines:${id}`,
  conv: (cid: string) => `${P}conv:${cid}`,
} as const;

/** Short names of the indexes (as a case's `ix` field lists them); the key is `hist:{hist}:` + name. */
const ix = {
  token: (t: string) => `t:${t}`,
  label: (label: string) => `l:${labelKey(label)}`,
  staff: (u: string) => `s:${u}`,
  channel: (c: string) => `c:${c}`,
  status: (st: string) => `st:${st}`,
} as const;
const keyOf = (name: string): string => `${P}${name}`;

/** Options of {@link RedisConversationHistory}. */
export interface RedisConversationHistoryOptions {
  /** A client from `createRedisClient` (its key prefix applies). */
  readonly redis: RedisClient;
  /** How long a case is kept from its start, ms. Default 30 days. */
  readonly retentionMs?: number;
  /** Cases kept at most. Default {@link DEFAULT_HISTORY_MAX_CASES}. */
  readonly maxCases?: number;
  /** Lines kept per case. Default {@link DEFAULT_CASE_LINES_MAX}. */
  readonly maxLines?: number;
  readonly clock?: Clock;
}

/** {@link ConversationHistory} on Redis. Fails with `StoreUnavailableError` while Redis is unreachable. */
export class RedisConversationHistory implements ConversationHistory {
  readonly #redis: RedisClient;
  readonly #retentionMs: number;
  readonly #maxCases: number;
  readonly #maxLines: number;
  readonly #clock: Clock;

  constructor(options: RedisConversationHistoryOptions) {
    this.#redis = options.redis;
    this.#retentionMs = options.retentionMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#maxCases = options.maxCases ?? DEFAULT_HISTORY_MAX_CASES;
    this.#maxLines = options.maxLines ?? DEFAULT_CASE_LINES_MAX;
    this.#clock = options.clock ?? systemClock;
  }

  async open(record: CaseRecord, lines: readonly CaseLine[]): Promise<void> {
    const now = this.#clock.nowMs();
    const zsets = unique([ix.channel(record.channel), ix.status(record.status), ...record.staff.map(ix.staff), ...record.labels.map(ix.label)]);
    const sets = unique([...caseTokensOf(record), ...lines.flatMap(lineTokens)]).map(ix.token);
    const id = record.caseId;
    const keys = [historyKeys.rec(id), historyKeys.lines(id), historyKeys.all, historyKeys.conv(record.conversationId), ...[...zsets, ...sets].map(keyOf)];
    const arg = {
      id,
      score: String(record.startedAtMs),
      ttl: String(Math.max(1_000, Math.ceil(record.startedAtMs + this.#retentionMs - now))),
      setTtl: String(Math.ceil(this.#retentionMs)),
      maxLines: String(this.#maxLines),
      cutoff: String(Math.floor(now - this.#retentionMs)),
      maxCases: String(this.#maxCases),
      fields: caseFields(record),
      lines: lines.map((l) => JSON.stringify(l)),
      names: [...zsets, ...sets],
      nZ: String(zsets.length),
    };
    const sweep = await OPEN_CASE.run(this.#redis, 'history open', keys, [JSON.stringify(arg)]);
    const ids = Array.isArray(sweep) ? sweep.map(String).filter((x) => x !== id) : [];
    if (ids.length > 0) await this.#remove(ids);
  }

  async latest(conversationId: ConversationId): Promise<CaseRecord | null> {
    const [id] = await redisCall('history latest', () => this.#redis.zrevrange(historyKeys.conv(conversationId), 0, 0));
    if (id === undefined) return null;
    return this.#kept(parseCase(await redisCall('history latest', () => this.#redis.hgetall(historyKeys.rec(id)))));
  }

  async get(caseId: string): Promise<{ record: CaseRecord; lines: CaseLine[] } | null> {
    const results = await redisCall('history get', () =>
      this.#redis.pipeline().hgetall(historyKeys.rec(caseId)).lrange(historyKeys.lines(caseId), 0, -1).exec(),
    );
    const [[recErr, fields] = [null, {}], [linesErr, rows] = [null, []]] = results ?? [];
    if (recErr || linesErr) throw toStoreError('history get', recErr ?? linesErr);
    const record = this.#kept(parseCase(fields as Record<string, string>));
    if (!record) return null;
    return { record, lines: (rows as string[]).map(parseLine).filter((l): l is CaseLine => l !== null) };
  }

  async record(caseId: string, lines: readonly CaseLine[], change: CaseChange = {}): Promise<void> {
    const { set, del } = changeFields(change);
    const leave = change.status !== undefined ? CASE_STATUSES.map(ix.status) : [];
    const zsets = [...(change.status !== undefined ? [ix.status(change.status)] : []), ...(change.addStaff !== undefined ? [ix.staff(change.addStaff)] : [])];
    const sets = unique(lines.flatMap(lineTokens)).map(ix.token);
    if (lines.length === 0 && set.length === 0 && del.length === 0 && zsets.length === 0) return;
    const arg = {
      id: caseId,
      setTtl: String(Math.ceil(this.#retentionMs)),
      maxLines: String(this.#maxLines),
      lines: lines.map((l) => JSON.stringify(l)),
      set,
      del,
      ...(change.addStaff !== undefined ? { addStaff: change.addStaff } : {}),
      nLeave: String(leave.length),
      nZ: String(zsets.length),
      names: [...zsets, ...sets],
    };
    const keys = [historyKeys.rec(caseId), historyKeys.lines(caseId), ...[...leave, ...zsets, ...sets].map(keyOf)];
    await RECORD_CASE.run(this.#redis, 'history record', keys, [JSON.stringify(arg)]);
  }

  async setLabels(caseId: string, labels: readonly string[]): Promise<CaseRecord | null> {
    const before = parseCase(await redisCall('history labels', () => this.#redis.hgetall(historyKeys.rec(caseId))));
    if (!before) return null;
    const old = unique(before.labels.map(ix.label));
    const zsets = unique(labels.map(ix.label));
    const sets = unique(labels.flatMap((l) => searchTokens(l))).map(ix.token);
    const arg = {
      id: caseId,
      labels: JSON.stringify(labels),
      registry: [...labels],
      now: String(this.#clock.nowMs()),
      setTtl: String(Math.ceil(this.#retentionMs)),
      nOld: String(old.length),
      nZ: String(zsets.length),
      names: [...zsets, ...sets],
    };
    const keys = [historyKeys.rec(caseId), historyKeys.labels, ...[...old, ...zsets, ...sets].map(keyOf)];
    const done = await LABEL_CASE.run(this.#redis, 'history labels', keys, [JSON.stringify(arg)]);
    return Number(done) === 1 ? { ...before, labels: [...labels] } : null;
  }

  async knownLabels(limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    return redisCall('history known labels', () => this.#redis.zrevrange(historyKeys.labels, 0, limit - 1));
  }

  async search(query: CaseQuery): Promise<CasePage> {
    const words = query.text ? queryTokens(query.text) : [];
    if (words === null) return { items: [], total: 0 };
    const zsets = [
      ...(query.label ? [ix.label(query.label)] : []),
      ...(query.status ? [ix.status(query.status)] : []),
      ...(query.channel ? [ix.channel(query.channel)] : []),
      ...(query.staff ? [ix.staff(query.staff)] : []),
    ];
    const sets = words.map(ix.token);
    const at = decodeCursor(query.cursor);
    const oldest = Math.max(query.fromMs ?? 0, Math.floor(this.#clock.nowMs() - this.#retentionMs));
    const countMax = query.toMs !== undefined ? `(${query.toMs}` : '+inf';
    const max = at ? String(at.score) : countMax;
    const keys = [`${P}tmp:${randomUUID()}`, historyKeys.all, ...[...zsets, ...sets].map(keyOf)];
    const args = [max, String(oldest), String(at?.skip ?? 0), String(query.limit + 1), countMax, String(zsets.length)];
    const reply = (await SEARCH_CASES.run(this.#redis, 'history search', keys, args)) as [number, string[]];
    const ids: string[] = [];
    for (let i = 0; i < reply[1].length; i += 2) ids.push(reply[1][i]!);
    const page = await this.#records(ids.slice(0, query.limit));
    const more = ids.length > query.limit;
    return { items: page, total: Number(reply[0]), ...(more ? { next: encodeCursor(page, at) } : {}) };
  }

  async eraseConversation(conversationId: ConversationId): Promise<number> {
    const ids = await redisCall('history erase', () => this.#redis.zrange(historyKeys.conv(conversationId), '0', '-1'));
    if (ids.length > 0) await this.#remove(ids, conversationId);
    await redisCall('history erase', () => this.#redis.del(historyKeys.conv(conversationId)));
    return ids.length;
  }

  /** The record unless it is past the retention (its keys may outlive it by a moment). */
  #kept(record: CaseRecord | null): CaseRecord | null {
    return record && record.startedAtMs >= this.#clock.nowMs() - this.#retentionMs ? record : null;
  }

  /** The records of `ids`, in order, skipping any that expired meanwhile (one pipelined read). */
  async #records(ids: readonly string[]): Promise<CaseRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hgetall(historyKeys.rec(id));
    const results = (await redisCall('history search', () => pipeline.exec())) ?? [];
    const out: CaseRecord[] = [];
    for (const [err, fields] of results) {
      if (err) throw toStoreError('history search', err);
      const record = parseCase(fields as Record<string, string>);
      if (record) out.push(record);
    }
    return out;
  }

  /** Removes cases and their index entries (their index sets read first). */
  async #remove(ids: readonly string[], conversationId?: ConversationId): Promise<void> {
    const pipeline = this.#redis.pipeline();
    for (const id of ids) pipeline.hmget(historyKeys.rec(id), 'ix', 'conversationId');
    const results = (await redisCall('history remove', () => pipeline.exec())) ?? [];
    await Promise.all(
      ids.map((id, i) => {
        const [names, storedCid] = (results[i]?.[1] as (string | null)[] | undefined) ?? [];
        const indexes = unique((names ?? '').split(' ').filter((n) => n !== '')).map(keyOf);
        const cid = conversationId ?? storedCid ?? '';
        const keys = [historyKeys.all, historyKeys.conv(cid), historyKeys.rec(id), historyKeys.lines(id), ...indexes];
        return REMOVE_CASE.run(this.#redis, 'history remove', keys, [id]);
      }),
    );
  }
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
