/**
 * The load benchmark's child process (`load.ts --target`): the app and a bare endpoint side by
 * side on one event loop, answering the parent's `cpu` and `stop` messages.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { BotApiTransport } from '../src/channels/telegram/bot-api-transport.ts';

/** What the child posts once both servers listen. */
export interface TargetUrls {
  readonly appUrl: string;
  readonly bareUrl: string;
}

/** Child process: the app and the bare endpoint, side by side on one core's worth of event loop. */
export async function target(): Promise<void> {
  const { loadConfig } = await import('../src/config.ts');
  const { createServer } = await import('../src/server.ts');
  const server = await createServer(loadConfig());
  const appUrl = await server.start();
  const bare = Fastify();
  bare.post('/bare', async () => ({ ok: true }));
  // The I/O skeleton of a message, without the app: what any design on one event loop pays.
  // Its keys live outside the app's prefix, so the memory phase counts the app's keys only.
  const skeleton = ioSkeleton(process.env.REDIS_URL!, `skeleton:${process.env.REDIS_KEY_PREFIX}`, process.env.TELEGRAM_API_ROOT!, process.env.TELEGRAM_BOT_TOKEN!);
  bare.post('/skeleton', async (req) => {
    skeleton.handle(req.body as { message?: { chat?: { id?: number } } });
    return { ok: true };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m === 'cpu') {
      process.send?.({ cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() });
      return;
    }
    if (m === 'reload') {
      // The loop's delay while the reload runs (1 ms resolution): what a reply waits behind it.
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const t0 = performance.now();
      void server.content.reload().then((o) => {
        delay.disable();
        const loop = { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
        process.send?.({ reloaded: { ok: o.ok, ms: performance.now() - t0, loop } });
      });
      return;
    }
    if (m === 'metrics') {
      void server.metrics.render().then((r) => process.send?.({ metrics: r.body }));
      return;
    }
    if (m !== 'stop') return;
    void (async () => {
      await server.stop();
      await bare.close();
      skeleton.close();
      process.exit(0);
    })();
  });
  process.send?.({ appUrl, bareUrl } satisfies TargetUrls);
}

/** Lua: mark the update seen (or stop), take the lock, read the state. */
const TAKE_LUA = `if not redis.call('SET', KEYS[1], '1', 'PX', 93600000, 'NX') then return false end
redis.call('SET', KEYS[2], ARGV[1], 'PX', 10000)
return redis.call('GET', KEYS[3]) or ''`;
/** Lua: save the state, append to the transcript, release our lock. */
const SAVE_LUA = `redis.call('SET', KEYS[1], ARGV[1], 'PX', 2592000000)
redis.call('RPUSH', KEYS[2], ARGV[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -50, -1)
redis.call('PEXPIRE', KEYS[2], 2592000000)
if redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
return 1`;

/**
 * The round trips of a usual turn and nothing else: the webhook answered at once, then one Lua
 * call (de-duplication key, lock, state read), one sendMessage through the app's own Bot API
 * transport, one Lua call (state, transcript, lock release). No parsing beyond JSON, no search,
 * no dialogue, no metrics. Its rate is the ceiling of the ratio for one process on this machine.
 */
function ioSkeleton(redisUrl: string, keyPrefix: string, apiRoot: string, token: string) {
  const redis = new Redis(redisUrl, { keyPrefix, enableAutoPipelining: true });
  const transport = new BotApiTransport(apiRoot, token);
  return {
    handle(update: { message?: { chat?: { id?: number } } }): void {
      const chat = update.message?.chat?.id ?? 0;
      const k = `conv:{${chat}}`;
      const lockToken = `skeleton:${chat}`;
      void (async () => {
        await redis.eval(TAKE_LUA, 3, `${k}:seen`, `${k}:lock`, `${k}:state`, lockToken);
        await transport.call('sendMessage', { chat_id: chat, text: 'Bước 1/3: …' });
        await redis.eval(SAVE_LUA, 3, `${k}:state`, `${k}:transcript`, `${k}:lock`, '{"id":"x"}', 'q', 'a', lockToken);
      })().catch(() => undefined);
    },
    close: () => redis.disconnect(),
  };
}
