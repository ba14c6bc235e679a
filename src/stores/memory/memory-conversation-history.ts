/**
 * The hand-off history in process memory (one instance; gone after a restart). Searches scan
 * every kept case: fine for a laptop, which is all memory stores are for.
 */
import { labelKey, queryTokens, searchTokens } from '../../core/handoff/cases.ts';
import { systemClock, type CaseChange, type CaseLine, type CasePage, type CaseQuery, type CaseRecord, type Clock, type ConversationHistory } from '../../core/ports.ts';
import type { ConversationId } from '../../core/types.ts';
import { DEFAULT_CASE_LINES_MAX, DEFAULT_CONVERSATION_TTL_MS, DEFAULT_HISTORY_MAX_CASES, jsonCopy } from '../defaults.ts';
import { caseTokensOf, decodeCursor, encodeCursor, lineTokens, newestFirst, withChange } from '../history-shared.ts';

/** Options of {@link MemoryConversationHistory}. */
export interface MemoryConversationHistoryOptions {
  /** How long a case is kept from its start, ms. Default 30 days. */
  readonly retentionMs?: number;
  /** Cases kept at most. Default {@link DEFAULT_HISTORY_MAX_CASES}. */
  readonly maxCases?: number;
  /** Lines kept per case. Default {@link DEFAULT_CASE_LINES_MAX}. */
  readonly maxLines?: number;
  readonly clock?: Clock;
}

interface Kept {
  record: CaseRecord;
  lines: CaseLine[];
  readonly tokens: Set<string>;
}

/** In-memory {@link ConversationHistory}. */
export class MemoryConversationHistory implements ConversationHistory {
  readonly #cases = new Map<string, Kept>();
  readonly #labels = new Map<string, number>();
  readonly #retentionMs: number;
  readonly #maxCases: number;
  readonly #maxLines: number;
  readonly #clock: Clock;

  constructor(options: MemoryConversationHistoryOptions = {}) {
    this.#retentionMs = options.retentionMs ?? DEFAULT_CONVERSATION_TTL_MS;
    this.#maxCases = options.maxCases ?? DEFAULT_HISTORY_MAX_CASES;
    this.#maxLines = options.maxLines ?? DEFAULT_CASE_LINES_MAX;
    this.#clock = options.clock ?? systemClock;
  }

  async open(record: CaseRecord, lines: readonly CaseLine[]): Promise<void> {
    this.#sweep();
    const tokens = new Set([...caseTokensOf(record), ...lines.flatMap(lineTokens)]);
    this.#cases.set(record.caseId, { record: jsonCopy(record), lines: jsonCopy(lines).slice(-this.#maxLines), tokens });
    const oldest = [...this.#cases.values()].sort(newestFirst).slice(this.#maxCases);
    for (const k of oldest) this.#cases.delete(k.record.caseId);
  }

  async latest(conversationId: ConversationId): Promise<CaseRecord | null> {
    const mine = this.#live().filter((k) => k.record.conversationId === conversationId).sort(newestFirst);
    return mine[0] ? jsonCopy(mine[0].record) : null;
  }

  async get(caseId: string): Promise<{ record: CaseRecord; lines: CaseLine[] } | null> {
    const k = this.#find(caseId);
    return k ? { record: jsonCopy(k.record), lines: jsonCopy(k.lines) } : null;
  }

  async record(caseId: string, lines: readonly CaseLine[], change: CaseChange = {}): Promise<void> {
    const k = this.#find(caseId);
    if (!k) return;
    k.lines.push(...jsonCopy(lines));
    if (k.lines.length > this.#maxLines) k.lines.splice(0, k.lines.length - this.#maxLines);
    for (const t of lines.flatMap(lineTokens)) k.tokens.add(t);
    k.record = withChange(k.record, change);
  }

  async setLabels(caseId: string, labels: readonly string[]): Promise<CaseRecord | null> {
    const k = this.#find(caseId);
    if (!k) return null;
    k.record = { ...k.record, labels: [...labels] };
    for (const t of labels.flatMap((l) => searchTokens(l))) k.tokens.add(t);
    const now = this.#clock.nowMs();
    for (const l of labels) this.#labels.set(l, now);
    return jsonCopy(k.record);
  }

  async knownLabels(limit: number): Promise<string[]> {
    return [...this.#labels.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([l]) => l);
  }

  async search(query: CaseQuery): Promise<CasePage> {
    const words = query.text ? queryTokens(query.text) : [];
    if (words === null) return { items: [], total: 0 };
    const label = query.label ? labelKey(query.label) : undefined;
    const matches = this.#live()
      .filter((k) => {
        const r = k.record;
        if (query.status && r.status !== query.status) return false;
        if (query.channel && r.channel !== query.channel) return false;
        if (query.staff && !r.staff.includes(query.staff)) return false;
        if (label && !r.labels.some((l) => labelKey(l) === label)) return false;
        if (query.fromMs !== undefined && r.startedAtMs < query.fromMs) return false;
        if (query.toMs !== undefined && r.startedAtMs >= query.toMs) return false;
        return words.every((w) => k.tokens.has(w));
      })
      .sort(newestFirst);
    const at = decodeCursor(query.cursor);
    const rest = at ? matches.filter((k) => k.record.startedAtMs <= at.score) : matches;
    const skip = at?.skip ?? 0;
    const page = rest.slice(skip, skip + query.limit).map((k) => k.record);
    const more = rest.length > skip + query.limit;
    return { items: jsonCopy(page), total: matches.length, ...(more ? { next: encodeCursor(page, at) } : {}) };
  }

  async eraseConversation(conversationId: ConversationId): Promise<number> {
    let n = 0;
    for (const [id, k] of this.#cases) {
      if (k.record.conversationId !== conversationId) continue;
      this.#cases.delete(id);
      n++;
    }
    return n;
  }

  #find(caseId: string): Kept | undefined {
    const k = this.#cases.get(caseId);
    return k && this.#fresh(k) ? k : undefined;
  }

  #fresh(k: Kept): boolean {
    return k.record.startedAtMs >= this.#clock.nowMs() - this.#retentionMs;
  }

  #live(): Kept[] {
    return [...this.#cases.values()].filter((k) => this.#fresh(k));
  }

  #sweep(): void {
    for (const [id, k] of this.#cases) if (!this.#fresh(k)) this.#cases.delete(id);
  }
}
