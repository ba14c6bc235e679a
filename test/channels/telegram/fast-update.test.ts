// The hand check of message updates (issue 24) never accepts what the schema would refuse, and
// what it accepts the schema gives back unchanged: the recorded updates, and each of them with
// one field at a time set to values of the wrong type, out of range, or removed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPlainMessageUpdate } from '../../../src/channels/telegram/fast-update.ts';
import { parseTelegramUpdate, TelegramUpdateSchema } from '../../../src/channels/telegram/parse.ts';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'telegram');
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, update: JSON.parse(readFileSync(join(DIR, f), 'utf8')) as unknown }));

/** Odd values a field may hold in a forged or broken update. */
const ODD: unknown[] = [undefined, null, '', 'x', 0, -1, 1.5, 2 ** 60, true, [], {}, [{}], { id: 1 }];

/** Every path to a value in `v` (objects and arrays), as key lists. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [at];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))];
}

/** A deep copy of `v` with the value at `path` replaced (undefined removes it). */
function withValue(v: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

describe('the hand check of message updates', () => {
  it('takes the recorded citizen messages (the hot path) and leaves other update types to the schema', () => {
    const taken = fixtures.filter((f) => isPlainMessageUpdate(f.update)).map((f) => f.name);
    expect(taken).toContain('message-text.json');
    expect(taken).toContain('group-mention.json');
    expect(taken).not.toContain('callback-query.json');
    expect(taken).not.toContain('edited-message.json');
    expect(taken).not.toContain('my-chat-member-blocked.json');
  });

  it('never accepts what the schema refuses, and what it accepts the schema gives back unchanged', () => {
    let checked = 0;
    for (const { update } of fixtures) {
      for (const path of paths(update)) {
        for (const odd of ODD) {
          const variant = withValue(update, path, odd);
          checked += 1;
          if (!isPlainMessageUpdate(variant)) continue;
          const parsed = TelegramUpdateSchema.safeParse(variant);
          expect(parsed.success, JSON.stringify({ path, odd })).toBe(true);
          expect(parsed.data).toEqual(variant);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('gives parseTelegramUpdate the same outcome as the schema would', () => {
    for (const { name, update } of fixtures) {
      const viaSchema = TelegramUpdateSchema.safeParse(update);
      const action = parseTelegramUpdate(update, { nowMs: 1_765_000_000_000 });
      if (!viaSchema.success) expect(action.type, name).toBe('invalid');
      else expect(parseTelegramUpdate(viaSchema.data, { nowMs: 1_765_000_000_000 }), name).toEqual(action);
    }
  });
});
