// The console's event hub: one bus subscription, fan-out to every stream, heartbeats, streams
// closed when their session ends or the hub closes.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/ports.ts';
import { LiveHub } from '../../src/http/staff-events.ts';
import { MemoryEventBus } from '../../src/stores/memory/memory-event-bus.ts';
import { eventually } from './helpers.ts';

/** Just enough of a ServerResponse to record what the hub writes. */
class FakeResponse extends EventEmitter {
  status = 0;
  headers: Record<string, string> = {};
  chunks: string[] = [];
  ended = false;
  writableLength = 0;
  writeHead(status: number, headers: Record<string, string> = {}) {
    this.status = status;
    this.headers = headers;
    return this;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
    this.emit('close');
    return this;
  }
  destroy() {
    return this.end();
  }
  get body() {
    return this.chunks.join('');
  }
}

describe('LiveHub', () => {
  it('fans every bus event out to every stream through one subscription', async () => {
    const bus = new MemoryEventBus();
    let subscriptions = 0;
    const counting = { publish: bus.publish.bind(bus), subscribe: (l: Parameters<typeof bus.subscribe>[0]) => (subscriptions++, bus.subscribe(l)) };
    const hub = new LiveHub(counting, silentLogger);
    const [a, b] = [new FakeResponse(), new FakeResponse()];
    await hub.attach(a as unknown as ServerResponse);
    await hub.attach(b as unknown as ServerResponse);
    expect(subscriptions).toBe(1);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toContain('text/event-stream');
    expect(a.body).toContain('data: {"type":"ready"}\n\n');
    await bus.publish({ type: 'message', conversationId: 'web:x', entry: { atMs: 1, role: 'citizen', text: 'dòng 1\ndòng 2 <b>' }, atMs: 1 });
    for (const r of [a, b]) expect(r.body).toContain('data: {"type":"message","conversationId":"web:x","entry":{"atMs":1,"role":"citizen","text":"dòng 1\\ndòng 2 <b>"},"atMs":1}\n\n');
    a.end();
    expect(hub.size).toBe(1);
    await hub.close();
    expect(b.ended).toBe(true);
    expect(hub.size).toBe(0);
  });

  it('sends heartbeats and ends a stream once its session is over', async () => {
    let now = 1_000;
    const hub = new LiveHub(new MemoryEventBus(), silentLogger, 10, () => now);
    const short = new FakeResponse();
    const long = new FakeResponse();
    await hub.attach(short as unknown as ServerResponse, 2_000);
    await hub.attach(long as unknown as ServerResponse, 10_000);
    await eventually(() => expect(long.body).toContain(': ping\n\n'));
    expect(short.ended).toBe(false);
    now = 2_000;
    await eventually(() => expect(short.ended).toBe(true));
    expect(long.ended).toBe(false);
    await hub.close();
  });
});
