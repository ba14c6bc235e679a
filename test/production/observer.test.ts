// combineObservers: every observer hears every hook, in order; a throwing one is isolated.
import { expect, it } from 'vitest';
import type { EngineObserver } from '../../src/core/engine.ts';
import { combineObservers } from '../../src/core/observer.ts';

it('calls each observer in order, skips missing hooks and undefined observers, isolates errors', () => {
  const heard: string[] = [];
  const errors: string[] = [];
  const a: EngineObserver = { inbound: (c, k) => heard.push(`a:${c}:${k}`), sent: () => { throw new Error('boom'); } };
  const b: EngineObserver = { inbound: (c) => heard.push(`b:${c}`), sent: (c, n) => heard.push(`b:sent:${c}:${n}`) };
  const combined = combineObservers([a, undefined, b], (err, hook) => errors.push(`${hook}:${(err as Error).message}`));
  combined.inbound?.('telegram', 'text');
  combined.sent?.('web', 2);
  expect(heard).toEqual(['a:telegram:text', 'b:telegram', 'b:sent:web:2']);
  expect(errors).toEqual(['sent:boom']);
  expect(combined.rating).toBeUndefined(); // nobody listens: no hook at all
  expect(Object.keys(combineObservers([])).length).toBe(0);
});
