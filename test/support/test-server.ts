/** Starts the real server (createServer) on a loopback port for end-to-end tests. */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.ts';
import { createServer, type Server } from '../../src/server.ts';
import { createLogger } from '../../src/log/logger.ts';
import { CONTENT_DIR } from './test-content.ts';

/** A started server plus the log lines it wrote. */
export interface StartedServer {
  readonly server: Server;
  readonly url: string;
  readonly logs: string[];
  stop(): Promise<void>;
}

/**
 * Budgets for new web chat conversations switched off: tests open many conversations from one
 * loopback address. The tests of the budgets set them again.
 */
export const NO_WEB_BUDGETS = {
  WEB_NEW_CHATS_PER_IP_PER_MINUTE: '0',
  WEB_NEW_CHATS_PER_IP_PER_DAY: '0',
  WEB_NEW_CHATS_PER_MINUTE: '0',
  WEB_NEW_CHATS_PER_DAY: '0',
} as const;

/**
 * No shedding on event-loop lag: tests share two cores with other work, and a test's own heavy
 * step (building an index, starting a browser) must not get the next request refused. The
 * shedding tests set SHED_LAG_MS themselves.
 */
export const NO_LAG_SHEDDING = { SHED_LAG_MS: '0' } as const;

/**
 * Starts a server with the given environment on 127.0.0.1 and a free port. Defaults: the repo's
 * content, no content watching, a unique Redis key prefix, silent-but-captured logs, and no
 * budgets for new web chat conversations ({@link NO_WEB_BUDGETS}).
 */
export async function startTestServer(env: Record<string, string | undefined> = {}): Promise<StartedServer> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    CONTENT_DIR,
    CONTENT_WATCH: 'false',
    REDIS_KEY_PREFIX: `t:${randomUUID()}:`,
    LOG_LEVEL: 'info',
    ...NO_WEB_BUDGETS,
    ...NO_LAG_SHEDDING,
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const server = await createServer(config, { logger });
  const url = await server.start();
  return { server, url, logs, stop: () => server.stop() };
}
