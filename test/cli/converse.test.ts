// The `converse` contract: whole conversations through the real engine, one output line per input
// line in input order, decision/guide/aspect/lang per turn; `[N]` presses option N.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/cli/conversations.ts';
import { parseConversations, scoreConversations, turnRight } from '../../src/cli/eval-conversations.ts';
import { realSnapshot } from '../support/test-content.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('converse', () => {
  it('runs each conversation in a fresh chat: answers, follow-ups on the open guide, a pressed option, a person', async () => {
    const c = new Conversations(await realSnapshot());
    const turns = await c.run({ id: 'c1', turns: ['lam cccd o dau', 'co mat tien hong', 'bảo hiểm', '[1]', 'cho tôi gặp cán bộ'] });
    expect(turns[0]).toEqual({ decision: 'answer', guide: 'id-card-issue', aspect: 'where', lang: 'vi' });
    expect(turns[1]).toEqual({ decision: 'followup', guide: 'id-card-issue', aspect: 'fees', lang: 'vi' });
    expect(turns[2]!.decision).toBe('clarify');
    expect(turns[3]!.decision).toBe('answer');
    expect(turns[3]!.guide).not.toBe('id-card-issue');
    expect(turns[4]!.decision).toBe('handoff');
    const english = await c.run({ id: 'c2', turns: ['How do I get a criminal record certificate online?', 'how long does it take'] });
    expect(english).toEqual([
      { decision: 'answer', guide: 'vneid-judicial-record', aspect: null, lang: 'en' },
      { decision: 'followup', guide: 'vneid-judicial-record', aspect: 'time', lang: 'en' },
    ]);
    await c.close();
  });

  it('scores a conversation set turn by turn, each expected field checked', async () => {
    expect(turnRight({ guide: 'a', aspect: 'fees' }, { decision: 'followup', guide: 'a', aspect: 'fees', lang: 'vi' })).toBe(true);
    expect(turnRight({ guide: 'a', lang: 'en' }, { decision: 'followup', guide: 'a', aspect: 'fees', lang: 'vi' })).toBe(false);
    const cases = parseConversations('{"id":"x","turns":[{"say":"đăng ký kết hôn","expect":{"decision":"answer","guide":"marriage-registration"}},{"say":"le phi","expect":{"guide":"marriage-registration","aspect":"fees"}}]}\n');
    const s = await scoreConversations(await realSnapshot(), cases);
    expect(s).toMatchObject({ turns: 2, turnsRight: 2, conversations: 1, conversationsRight: 1, misses: [] });
  });

  it('as a command: one JSON line per input line, in order, nothing else on stdout', async () => {
    const input = join(ROOT, 'test', 'fixtures', 'eval', 'converse-sample.jsonl');
    const { stdout } = await run('npx', ['tsx', 'src/cli/converse.ts', '--jsonl', input], { cwd: ROOT, env: { ...process.env, REDIS_URL: '' }, timeout: 120_000 });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; turns: Record<string, unknown>[] });
    expect(lines.map((l) => l.id)).toEqual(['s1', 's2']);
    expect(lines[0]!.turns).toHaveLength(3);
    for (const t of lines.flatMap((l) => l.turns)) expect(Object.keys(t).sort()).toEqual(['aspect', 'decision', 'guide', 'lang']);
    expect(lines[1]!.turns[0]).toMatchObject({ decision: 'greeting', guide: null });
  }, 150_000);
});
