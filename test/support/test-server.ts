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
 * Starts a server with the given environment on 127.0.0.1 and a free port. Defaults: the repo's
 * content, no content watching, a unique Redis key prefix, silent-but-captured logs.
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
    ...env,
  });
  const logger = createLogger(config.LOG_LEVEL, sink);
  const server = await createServer(config, { logger });
  const url = await server.start();
  return { server, url, logs, stop: () => server.stop() };
}
