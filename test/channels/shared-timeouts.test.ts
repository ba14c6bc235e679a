import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedTimeouts } from '../../src/channels/shared-timeouts.ts';

describe('SharedTimeouts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(1_750_000_000_100); // 100 ms into a second
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shares one signal per slice, never aborts before the limit and at most one slice after it', () => {
    const timeouts = new SharedTimeouts();
    const first = timeouts.signal(15_000);
    vi.advanceTimersByTime(800); // 900 ms into the same second: same slice
    const second = timeouts.signal(15_000);
    expect(second).toBe(first);
    const short = timeouts.signal(2_000);
    expect(short).not.toBe(first);
    vi.advanceTimersByTime(15_000 - 1); // `second` started 15 s − 1 ms ago
    expect(second.aborted).toBe(false);
    vi.advanceTimersByTime(101); // the slice ended 15 s ago
    expect(first.aborted).toBe(true);
    expect((first.reason as DOMException).name).toBe('TimeoutError');
    expect(short.aborted).toBe(true);
    expect(timeouts.signal(15_000)).not.toBe(first); // a new slice, a new signal
  });
});
