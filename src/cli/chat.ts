/**
 * `npm run chat`: a conversation with the bot in the terminal, through the same engine.
 * Buttons become numbered choices; type the number or any question. Ctrl+D or /quit ends.
 */
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../config.ts';
import { ContentManager } from '../content/manager.ts';
import { Engine } from '../core/engine.ts';
import { silentLogger, systemClock, type Channel } from '../core/ports.ts';
import type { RenderedMessage } from '../core/types.ts';
import { buildGuideIndex } from '../search/index.ts';
import { createStores } from '../stores/index.ts';

/** The terminal as a channel: no native buttons, so the shared renderer numbers them. */
class TerminalChannel implements Channel {
  readonly name = 'cli' as const;
  readonly capabilities = { textLimit: 4000, optionButtons: false, urlButtons: false, maxButtons: 0, buttonLabelLimit: 80 };
  async send(_chatId: string, m: RenderedMessage): Promise<void> {
    process.stdout.write(`\n🤖 ${m.text.replace(/\n/g, '\n   ')}\n`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const content = new ContentManager(config.CONTENT_DIR, (b) => buildGuideIndex(b), silentLogger);
  const outcome = await content.reload();
  if (!outcome.ok) {
    process.stderr.write('Content has errors: run "npm run content:check".\n');
    process.exit(1);
  }
  const stores = await createStores({
    redisTopology: config.redisTopology,
    keyPrefix: config.REDIS_KEY_PREFIX,
    conversationTtlMs: config.CONVERSATION_TTL_DAYS * 86_400_000,
    transcriptMax: config.TRANSCRIPT_MAX,
    logger: silentLogger,
  });
  const engine = new Engine({
    snapshot: () => content.current(),
    store: stores.conversations,
    queue: stores.handoffs,
    events: stores.events,
    clock: systemClock,
    logger: silentLogger,
    options: { conversationTtlDays: config.CONVERSATION_TTL_DAYS, rateLimitPerMinute: 0 },
  });
  engine.registerChannel(new TerminalChannel());
  const chatId = `terminal-${process.pid}`;
  let n = 0;
  const send = (m: { kind: 'text'; text: string } | { kind: 'start' }) =>
    engine.handleInbound({ id: `t${++n}`, channel: 'cli', chatId, sentAtMs: Date.now(), ...m });

  await send({ kind: 'start' });
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  rl.setPrompt('\n🙂 ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text) await send({ kind: 'text', text });
    rl.prompt();
  }
  rl.close();
  await stores.close();
}

void main();
