/**
 * Entry point of `npm start`: reads the configuration, composes the server, listens, and
 * handles signals (SIGTERM/SIGINT: graceful stop; SIGHUP: reload content).
 */
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log/logger.ts';
import { createServer } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  let server;
  try {
    server = await createServer(config, { logger });
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, 'cannot start');
    process.exit(1);
  }
  const url = await server.start();
  logger.info({ url, webChat: config.WEB_CHAT_ENABLED ? `${url}/` : 'off', console: `${url}/console` }, 'listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => void server.content.reload());
  process.on('unhandledRejection', (err) => logger.error({ err: String(err) }, 'unhandled rejection'));
}

void main();
