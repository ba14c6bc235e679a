// The hand-off room: while waiting or with staff the bot is silent, relays, and only cancels or erases.
import { describe, expect, it } from 'vitest';
import { dialogue } from './support.ts';

describe('hand-off room', async () => {
  const d = await dialogue();
  const waiting = d.fresh({ mode: 'waiting', options: ['cancel'], menuSeq: 4 });

  it('text is relayed to staff, with no reply', () => {
    const t = d.say(waiting, 'lam cccd o dau');
    expect(t.effects).toEqual([{ type: 'relay', text: 'lam cccd o dau' }]);
    expect(t.replies).toEqual([]);
  });

  it('a photo is relayed as a marker; /start changes nothing', () => {
    expect(d.run(waiting, { kind: 'media' }).effects).toEqual([{ type: 'relay', text: '📎 (media)' }]);
    const start = d.run(waiting, { kind: 'start' });
    expect(start.replies).toEqual([]);
    expect(start.state.mode).toBe('waiting');
  });

  it('cancel by button or by word leaves the queue', () => {
    const pressed = d.run(waiting, { kind: 'option', index: 1, menuSeq: 4 });
    expect(pressed.effects).toEqual([{ type: 'cancel-handoff' }]);
    expect(pressed.state.mode).toBe('bot');
    expect(d.say(d.fresh({ mode: 'staff' }), 'hủy').effects).toEqual([{ type: 'cancel-handoff' }]);
  });

  it('erase works with staff too', () => {
    expect(d.say(d.fresh({ mode: 'staff' }), 'xóa dữ liệu của tôi').state.pending).toBe('erase-confirm');
  });

  it('"Gặp cán bộ" pressed in the bot asks for a person', () => {
    expect(d.press(d.fresh(), { type: 'handoff' }).effects).toEqual([{ type: 'handoff', reason: 'asked' }]);
  });
});
