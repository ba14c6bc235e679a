/** A tiny server-sent-events reader over fetch, for tests (Node has no EventSource). */

/** An open event stream: the parsed `data:` payloads so far, and how to close it. */
export interface EventStream {
  readonly status: number;
  readonly events: Record<string, unknown>[];
  close(): void;
}

/** Opens `url` as an event stream with `headers`; collects JSON `data:` lines in the background. */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: Record<string, unknown>[] = [];
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data) events.push(JSON.parse(data) as Record<string, unknown>);
          }
        }
      } catch {
        // aborted or closed by the server
      }
    })();
  } else {
    await res.arrayBuffer().catch(() => undefined);
  }
  return { status: res.status, events, close: () => abort.abort() };
}
