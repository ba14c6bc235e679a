// A citizen in the middle of a guide while editors publish a new version of it: the next
// step says the guide changed and restarts at step 1 of the new text.
import { beforeEach, describe, expect, it } from 'vitest';
import type { ContentSnapshot } from '../../src/core/content.ts';
import type { Guide } from '../../src/core/guide.ts';
import { realSnapshot } from '../support/test-content.ts';
import { createBench, type Bench } from './harness.ts';

const START_MS = Date.parse('2026-11-24T09:00:00+07:00');
const CHANGED = 'Hướng dẫn này vừa được cập nhật';

/** The snapshot with one guide replaced, as a reload would publish it. */
function withGuide(snapshot: ContentSnapshot, guide: Guide): ContentSnapshot {
  const guides = new Map(snapshot.content.guides);
  guides.set(guide.id, guide);
  const guideList = snapshot.content.guideList.map((g) => (g.id === guide.id ? guide : g));
  return { ...snapshot, content: { ...snapshot.content, guides, guideList }, version: `${snapshot.version}-edited` };
}

let original: ContentSnapshot;
let bench: Bench;

beforeEach(async () => {
  original = await realSnapshot();
  bench = await createBench(original, START_MS);
});

describe('a guide edited while a citizen walks it', () => {
  it('tells the citizen at the next step and restarts at the new step 1', async () => {
    const g = original.content.guides.get('id-card-child')!;
    const opened = (await bench.say('telegram', '42', 'làm căn cước cho con')).join('\n');
    expect(opened).toContain(g.steps[0]!.text);
    expect((await bench.press('telegram', '42', 'Tiếp')).join('\n')).toContain(g.steps[1]!.text);

    const newFirst = 'Mở ứng dụng VNeID phiên bản mới nhất rồi đăng nhập bằng tài khoản mức 2 của cha hoặc mẹ.';
    bench.snapshot = withGuide(original, { ...g, steps: [{ ...g.steps[0]!, text: newFirst }, ...g.steps.slice(1)] });

    const next = (await bench.press('telegram', '42', 'Tiếp')).join('\n');
    expect(next).toContain(CHANGED);
    expect(next).toContain(newFirst);
    expect(next).not.toContain(g.steps[2]!.text);
    // From then on it walks the new version normally.
    const after = (await bench.say('telegram', '42', 'tiếp')).join('\n');
    expect(after).not.toContain(CHANGED);
    expect(after).toContain(g.steps[1]!.text);
  });

  it('says nothing when a reload leaves that guide as it was', async () => {
    const g = original.content.guides.get('id-card-child')!;
    await bench.say('telegram', '43', 'làm căn cước cho con');
    bench.snapshot = withGuide(original, { ...g, title: `${g.title} (sửa tiêu đề)` });
    const next = (await bench.press('telegram', '43', 'Tiếp')).join('\n');
    expect(next).not.toContain(CHANGED);
    expect(next).toContain(g.steps[1]!.text);
  });

  it('sends the citizen back to the menu when the guide was removed', async () => {
    await bench.say('telegram', '44', 'làm căn cước cho con');
    const guides = new Map(original.content.guides);
    guides.delete('id-card-child');
    bench.snapshot = { ...original, content: { ...original.content, guides, guideList: original.content.guideList.filter((x) => x.id !== 'id-card-child') } };
    const next = (await bench.press('telegram', '44', 'Tiếp')).join('\n');
    expect(next).toContain(original.content.messages.vi['guide.gone']!);
  });
});
