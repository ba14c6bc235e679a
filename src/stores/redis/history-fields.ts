/**
 * How a hand-off case is kept in a Redis hash (strings; lists as JSON) and its lines in a list
 * (one JSON object each), and how both are read back. Damaged values read as null, never throw.
 */
import { CASE_STATUSES, type CaseChange, type CaseLine, type CaseRecord, type CaseStatus } from '../../core/ports.ts';
import type { ChannelName, ConversationId, Lang, TranscriptRole } from '../../core/types.ts';

const ROLES: ReadonlySet<string> = new Set<TranscriptRole>(['citizen', 'bot', 'staff', 'system', 'note']);

/** The case as HSET field/value pairs. */
export function caseFields(r: CaseRecord): string[] {
  const out = [
    'caseId', r.caseId,
    'conversationId', r.conversationId,
    'channel', r.channel,
    'startedAtMs', String(r.startedAtMs),
    'status', r.status,
    'reason', r.reason,
    'title', r.title,
    'lang', r.lang,
    'staff', JSON.stringify(r.staff),
    'labels', JSON.stringify(r.labels),
  ];
  const optional: [string, string | number | undefined][] = [
    ['displayName', r.displayName],
    ['guideId', r.guideId],
    ['owner', r.owner],
    ['lastCitizenAtMs', r.lastCitizenAtMs],
    ['lastStaffAtMs', r.lastStaffAtMs],
    ['closedAtMs', r.closedAtMs],
    ['closedBy', r.closedBy],
  ];
  for (const [k, v] of optional) if (v !== undefined) out.push(k, String(v));
  return out;
}

/** A change as fields to set and fields to delete (`staff` is added by the script). */
export function changeFields(c: CaseChange): { set: string[]; del: string[] } {
  const set: string[] = [];
  const del: string[] = [];
  if (c.status !== undefined) set.push('status', c.status);
  if (c.owner === null) del.push('owner');
  else if (c.owner !== undefined) set.push('owner', c.owner);
  for (const k of ['lastCitizenAtMs', 'lastStaffAtMs', 'closedAtMs'] as const) if (c[k] !== undefined) set.push(k, String(c[k]));
  if (c.closedBy !== undefined) set.push('closedBy', c.closedBy);
  return { set, del };
}

function stringList(json: string | undefined): string[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    // cjson writes an empty Lua table as {}: read it as an empty list.
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

const num = (v: string | undefined): number | undefined => (v === undefined || !Number.isFinite(Number(v)) ? undefined : Number(v));

/** The case from its hash, or null when the hash is empty or damaged. */
export function parseCase(f: Record<string, string>): CaseRecord | null {
  const startedAtMs = num(f.startedAtMs);
  if (!f.caseId || !f.conversationId || !f.channel || startedAtMs === undefined) return null;
  if (!CASE_STATUSES.includes(f.status as CaseStatus)) return null;
  const optional = {
    ...(f.displayName !== undefined && { displayName: f.displayName }),
    ...(f.guideId !== undefined && { guideId: f.guideId }),
    ...(f.owner !== undefined && { owner: f.owner }),
    ...(num(f.lastCitizenAtMs) !== undefined && { lastCitizenAtMs: num(f.lastCitizenAtMs) }),
    ...(num(f.lastStaffAtMs) !== undefined && { lastStaffAtMs: num(f.lastStaffAtMs) }),
    ...(num(f.closedAtMs) !== undefined && { closedAtMs: num(f.closedAtMs) }),
    ...(f.closedBy !== undefined && { closedBy: f.closedBy }),
  };
  return {
    caseId: f.caseId,
    conversationId: f.conversationId as ConversationId,
    channel: f.channel as ChannelName,
    startedAtMs,
    status: f.status as CaseStatus,
    reason: f.reason ?? '',
    title: f.title ?? '',
    lang: (f.lang === 'en' ? 'en' : 'vi') as Lang,
    staff: stringList(f.staff),
    labels: stringList(f.labels),
    ...optional,
  };
}

/** One stored line, or null when damaged. */
export function parseLine(json: string): CaseLine | null {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    if (typeof v.atMs !== 'number' || typeof v.text !== 'string' || !ROLES.has(String(v.role))) return null;
    return { atMs: v.atMs, role: v.role as TranscriptRole, text: v.text, ...(typeof v.by === 'string' && { by: v.by }) };
  } catch {
    return null;
  }
}
