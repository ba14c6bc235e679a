/**
 * Runs conversation scenarios written as data (test/scenarios/*.yaml) against the real engine,
 * the real content and a given store. Each step: what the citizen does → what the replies must hold.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { Engine } from '../../src/core/engine.ts';
import { silentLogger, type Clock } from '../../src/core/ports.ts';
import type { ContentSnapshot } from '../../src/core/content.ts';
import type { ChannelCapabilities } from '../../src/core/ports.ts';
import type { Stores } from '../../src/stores/index.ts';
import { BUTTON_CAPS, RecordingChannel, TEXT_CAPS } from '../support/recording-channel.ts';

const Expect = z.strictObject({
  contains: z.array(z.string()).optional(),
  not_contains: z.array(z.string()).optional(),
  buttons: z.array(z.string()).optional(),
  no_buttons: z.array(z.string()).optional(),
  silent: z.boolean().optional(),
  messages: z.number().int().optional(),
  state: z.record(z.string(), z.unknown()).optional(),
  queue: z.number().int().optional(),
  transcript_min: z.number().int().optional(),
});
const Step = z.strictObject({
  say: z.string().optional(),
  press: z.string().optional(),
  start: z.boolean().optional(),
  media: z.boolean().optional(),
  staff: z.enum(['claim', 'resolve']).optional(),
  at: z.string().optional(),
  expect: Expect.default({}),
});
const Scenario = z.strictObject({
  name: z.string(),
  channel: z.enum(['buttons', 'text']).default('buttons'),
  /** Local time (Asia/Ho_Chi_Minh) the conversation happens at, ISO without zone. Default: a Tuesday 09:00. */
  at: z.string().default('2026-11-24T09:00:00'),
  steps: z.array(Step).min(1),
});
export type ScenarioSpec = z.infer<typeof Scenario>;

/** Loads every scenario file. */
export function loadScenarios(dir: string): { file: string; scenario: ScenarioSpec }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as { scenarios: unknown[] };
      return doc.scenarios.map((s) => ({ file, scenario: Scenario.parse(s) }));
    });
}

/** A clock the scenario moves. */
class TestClock implements Clock {
  constructor(public ms: number) {}
  nowMs(): number {
    return this.ms;
  }
}
const localToMs = (local: string) => Date.parse(`${local}+07:00`);

/** Runs one scenario; throws an assertion error naming the step that failed. */
export async function runScenario(spec: ScenarioSpec, snapshot: ContentSnapshot, stores: Stores, chatId: string): Promise<void> {
  const caps: ChannelCapabilities = spec.channel === 'text' ? TEXT_CAPS : BUTTON_CAPS;
  const channel = new RecordingChannel('web', caps);
  const clock = new TestClock(localToMs(spec.at));
  const engine = new Engine({
    snapshot: () => snapshot,
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock,
    logger: silentLogger,
    options: { conversationTtlDays: 30, rateLimitPerMinute: 0 },
  });
  engine.registerChannel(channel);
  const id = `web:${chatId}` as const;
  let n = 0;
  let lastButtons: { label: string; index: number; menuSeq: number }[] = [];

  for (const [i, step] of spec.steps.entries()) {
    const where = `${spec.name} › step ${i + 1} (${step.say ?? step.press ?? (step.start ? 'start' : step.media ? 'media' : step.staff)})`;
    if (step.at) clock.ms = localToMs(step.at);
    else clock.ms += 5_000;
    const from = channel.sent.length;
    const base = { id: `m${++n}-${chatId}`, channel: 'web' as const, chatId, sentAtMs: clock.ms };
    if (step.start) await engine.handleInbound({ ...base, kind: 'start' });
    else if (step.media) await engine.handleInbound({ ...base, kind: 'media' });
    else if (step.say !== undefined) await engine.handleInbound({ ...base, kind: 'text', text: step.say });
    else if (step.press !== undefined) {
      const b = lastButtons.find((x) => x.label.includes(step.press!));
      if (!b) throw new Error(`${where}: no button containing "${step.press}" in [${lastButtons.map((x) => x.label).join(' | ')}]`);
      await engine.handleInbound({ ...base, kind: 'option', optionIndex: b.index, menuSeq: b.menuSeq });
    } else if (step.staff === 'claim') {
      await stores.handoffs.claim(id, 'lan', clock.ms);
      await engine.updateConversation(id, async (s) => {
        s.mode = 'staff';
      });
    } else if (step.staff === 'resolve') {
      await stores.handoffs.remove(id);
      await engine.updateConversation(id, async (s) => {
        s.mode = 'bot';
        s.pending = 'rating';
        await engine.deliver(s, [
          { text: 'resolved', options: [1, 2, 3, 4, 5].map((score) => ({ label: String(score), action: { type: 'rate' as const, score } })) },
        ]);
      });
    }
    const out = channel.since(from, chatId);
    const text = out.map((m) => m.text).join('\n---\n');
    // Every button the turn showed (a turn may end with two menus, e.g. 👍/👎 and the related
    // guides), the last message's first: a press looks for its label there.
    const withButtons = [...out].reverse().filter((m) => m.buttons.some((b) => b.kind === 'option'));
    if (withButtons.length > 0) {
      lastButtons = withButtons.flatMap((m) => m.buttons.flatMap((b) => (b.kind === 'option' ? [{ label: b.label, index: b.index, menuSeq: m.menuSeq }] : [])));
    }
    const labels = out.flatMap((m) => m.buttons.map((b) => b.label));
    const e = step.expect;
    const fail = (msg: string) => {
      throw new Error(`${where}: ${msg}\n--- replies ---\n${text}\n--- buttons ---\n${labels.join(' | ')}`);
    };
    if (e.silent && out.length > 0) fail('expected no reply');
    if (e.messages !== undefined && out.length !== e.messages) fail(`expected ${e.messages} messages, got ${out.length}`);
    for (const c of e.contains ?? []) if (!text.toLowerCase().includes(c.toLowerCase())) fail(`reply lacks "${c}"`);
    for (const c of e.not_contains ?? []) if (text.toLowerCase().includes(c.toLowerCase())) fail(`reply has "${c}"`);
    for (const b of e.buttons ?? []) {
      const inText = spec.channel === 'text' && text.includes(b);
      if (!labels.some((l) => l.includes(b)) && !inText) fail(`no button "${b}"`);
    }
    for (const b of e.no_buttons ?? []) if (labels.some((l) => l.includes(b))) fail(`unexpected button "${b}"`);
    if (e.state) {
      const s = (await stores.conversations.get(id)) as unknown as Record<string, unknown> | null;
      for (const [k, v] of Object.entries(e.state)) {
        if (v === null ? s !== null && s[k] !== undefined : s?.[k] !== v) fail(`state.${k} is ${JSON.stringify(s?.[k])}, expected ${JSON.stringify(v)}`);
      }
    }
    if (e.queue !== undefined) {
      const list = await stores.handoffs.list();
      const mine = list.filter((t) => t.id === id).length;
      if (mine !== e.queue) fail(`queue has ${mine} entries for this conversation, expected ${e.queue}`);
    }
    if (e.transcript_min !== undefined) {
      const t = await stores.conversations.transcript(id);
      if (t.length < e.transcript_min) fail(`transcript has ${t.length} lines, expected at least ${e.transcript_min}`);
    }
  }
}
