/**
 * The peer of `npm run bench:load`: the bot a Node developer would write instead of this
 * project, run in its own process with the same load, the same fake Bot API and the same Redis.
 * A telegraf webhook on a plain `node:http` server (the cheapest server there is), a session
 * per chat kept in Redis through telegraf's `session()` middleware (one GET before the turn, one
 * SET after), MiniSearch with accent folding over the same guides (bench/minisearch-peer.ts),
 * and one `sendMessage` with the best guide's title, summary and first step. No de-duplication,
 * no per-conversation lock, no "I don't know", no hand-off, no metrics, no reports: what it does
 * not do is part of why it is cheap.
 *
 * Entry: `load.ts --peer`. Environment: REDIS_URL, REDIS_KEY_PREFIX, TELEGRAM_API_ROOT,
 * TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET, CONTENT_DIR.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { session, Telegraf, type Context } from 'telegraf';
import { loadContent } from '../src/content/load.ts';
import { buildMiniSearchIndex } from './minisearch-peer.ts';

/** What the peer keeps per chat. */
interface PeerSession {
  guideId?: string;
  messages: number;
}

type PeerContext = Context & { session?: PeerSession };

/** telegraf's session store over ioredis: JSON values, kept 30 days. */
function redisSessionStore(redis: Redis) {
  return {
    async get(key: string): Promise<PeerSession | undefined> {
      const json = await redis.get(key);
      return json === null ? undefined : (JSON.parse(json) as PeerSession);
    },
    set: (key: string, value: PeerSession) => redis.set(key, JSON.stringify(value), 'PX', 30 * 86_400_000),
    delete: (key: string) => redis.del(key),
  };
}

/** Child process: the peer bot on a loopback port; answers the parent's `cpu` and `stop`. */
export async function peer(): Promise<void> {
  const env = process.env;
  const bundle = (await loadContent(env.CONTENT_DIR ?? './content')).bundle;
  if (!bundle) throw new Error('content does not load');
  const index = buildMiniSearchIndex(bundle.guideList);
  const redis = new Redis(env.REDIS_URL!, { keyPrefix: env.REDIS_KEY_PREFIX, enableAutoPipelining: true });
  const bot = new Telegraf<PeerContext>(env.TELEGRAM_BOT_TOKEN!, { telegram: { apiRoot: env.TELEGRAM_API_ROOT!, webhookReply: false } });
  bot.botInfo = { id: 7000000001, is_bot: true, first_name: 'Peer', username: 'peer_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
  bot.use(session({ store: redisSessionStore(redis), defaultSession: (): PeerSession => ({ messages: 0 }) }));
  bot.on('text', async (ctx) => {
    const s = ctx.session!;
    s.messages += 1;
    const best = index.search(ctx.message.text).guides[0];
    const guide = best ? bundle.guides.get(best.id) : undefined;
    if (guide) s.guideId = guide.id;
    await ctx.reply(guide ? `${guide.title}\n${guide.summary}\n\nBước 1: ${guide.steps[0]?.text ?? ''}` : 'Xin lỗi, tôi chưa hiểu câu hỏi.');
  });
  bot.catch(() => undefined);
  const server = createServer(bot.webhookCallback('/webhooks/telegram', { secretToken: env.TELEGRAM_WEBHOOK_SECRET }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.on('message', (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() });
    if (m === 'stop') {
      server.close();
      redis.disconnect();
      process.exit(0);
    }
  });
  process.send?.({ appUrl, bareUrl: '' });
}
