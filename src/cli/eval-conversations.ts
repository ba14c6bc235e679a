/**
 * `npm run eval -- --conversations FILE`: whole conversations in the format of the shared
 * conversation sets (`{"id", "turns": [{"say", "expect": {"decision"?, "guide"?, "aspect"?, "lang"?}}]}`)
 * run through the real engine; a turn is right when every expected field is what the bot did.
 */
import type { ContentSnapshot } from '../core/content.ts';
import { Conversations, type TurnReport } from './conversations.ts';

/** One scripted turn with what it should get. */
export interface ExpectedTurn {
  readonly say: string;
  readonly expect: Partial<Record<keyof TurnReport, string | null>>;
}

/** One conversation of a set. */
export interface ConversationCase {
  readonly id: string;
  readonly turns: readonly ExpectedTurn[];
}

/** A turn that did not get what it expected. */
export interface TurnMiss {
  readonly id: string;
  readonly turn: number;
  readonly say: string;
  readonly expect: ExpectedTurn['expect'];
  readonly got: TurnReport;
}

/** Scores of a conversation set. */
export interface ConversationScore {
  readonly turns: number;
  readonly turnsRight: number;
  readonly conversations: number;
  readonly conversationsRight: number;
  /** Per expected field: right/total (a turn counts for each field it names). */
  readonly fields: Record<string, { right: number; total: number }>;
  readonly misses: TurnMiss[];
}

/** Parses the set; throws with the line number on a bad line. */
export function parseConversations(text: string): ConversationCase[] {
  const out: ConversationCase[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const v = JSON.parse(raw) as { id?: unknown; turns?: unknown };
    if (!Array.isArray(v.turns)) throw new Error(`line ${i + 1}: no "turns" list`);
    const turns = v.turns.map((t: { say?: unknown; expect?: unknown }) => ({
      say: String(t.say ?? ''),
      expect: (typeof t.expect === 'object' && t.expect ? t.expect : {}) as ExpectedTurn['expect'],
    }));
    out.push({ id: typeof v.id === 'string' ? v.id : String(i + 1), turns });
  });
  return out;
}

/** True when every expected field of the turn is what the bot did. */
export function turnRight(expect: ExpectedTurn['expect'], got: TurnReport): boolean {
  return (Object.keys(expect) as (keyof TurnReport)[]).every((k) => expect[k] === got[k]);
}

/** Runs and scores a conversation set. */
export async function scoreConversations(snapshot: ContentSnapshot, cases: readonly ConversationCase[]): Promise<ConversationScore> {
  const runner = new Conversations(snapshot);
  const fields: Record<string, { right: number; total: number }> = {};
  const misses: TurnMiss[] = [];
  let turns = 0;
  let turnsRight = 0;
  let conversationsRight = 0;
  for (const c of cases) {
    const got = await runner.run({ id: c.id, turns: c.turns.map((t) => t.say) });
    let allRight = true;
    c.turns.forEach((t, i) => {
      const g = got[i]!;
      turns++;
      for (const k of Object.keys(t.expect) as (keyof TurnReport)[]) {
        const f = (fields[k] ??= { right: 0, total: 0 });
        f.total++;
        if (t.expect[k] === g[k]) f.right++;
      }
      if (turnRight(t.expect, g)) turnsRight++;
      else {
        allRight = false;
        misses.push({ id: c.id, turn: i + 1, say: t.say, expect: t.expect, got: g });
      }
    });
    if (allRight) conversationsRight++;
  }
  await runner.close();
  return { turns, turnsRight, conversations: cases.length, conversationsRight, fields, misses };
}

/** The printed report. */
export function conversationReport(file: string, s: ConversationScore): string {
  const p = (a: number, b: number) => `${b === 0 ? '–' : ((a / b) * 100).toFixed(1)} %  (${a}/${b})`;
  const lines = [
    `${file}: ${s.conversations} conversations, ${s.turns} turns`,
    `turns right                    ${p(s.turnsRight, s.turns)}`,
    `conversations all right        ${p(s.conversationsRight, s.conversations)}`,
    ...Object.entries(s.fields).map(([k, f]) => `  ${k.padEnd(28)} ${p(f.right, f.total)}`),
    `── misses (${s.misses.length})`,
    ...s.misses.map((m) => `  ${m.id}#${m.turn} ${JSON.stringify(m.say)} expected ${JSON.stringify(m.expect)}, got ${JSON.stringify(m.got)}`),
  ];
  return lines.join('\n');
}
