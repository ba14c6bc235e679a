/**
 * POST /webhooks/zalo-bot: checks the X-Bot-Api-Secret-Token header (401 before the body is
 * even parsed), accepts the wrapped and the bare event body, answers 200 at once and hands the
 * message to the engine in the background.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, InboundHandler, Logger } from '../../core/ports.ts';
import { createZaloBotDispatcher } from './dispatch.ts';
import { ZALO_BOT_SECRET_HEADER, ZALO_BOT_WEBHOOK_PATH } from './limits.ts';
import { verifyZaloBotSecret } from './verify.ts';
import { WebhookWatch } from '../webhook-watch.ts';

/** Options of the Zalo Bot webhook plugin. */
export interface ZaloBotWebhookOptions {
  /** ZALO_BOT_WEBHOOK_SECRET: what the header must equal. */
  readonly secret: string;
  readonly inbound: InboundHandler;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Route path; default ZALO_BOT_WEBHOOK_PATH. */
  readonly path?: string;
  /** Optional "typing…" hint sent before the engine runs (must not throw). */
  readonly typing?: (chatId: string) => Promise<void>;
  /** Called with each dispatch's background work (tests await it). */
  readonly onDispatched?: (done: Promise<void>) => void;
  /** Counts refusals (throttled warn lines) and accepted updates; one of its own by default. */
  readonly watch?: WebhookWatch;
}

/**
 * The Fastify plugin serving the Bot Platform webhook. Bad or missing secret → 401, nothing
 * processed; invalid JSON → 400 (Fastify's parser); an unknown or malformed event → 200 with
 * nothing processed (so the platform does not retry garbage).
 */
export const zaloBotWebhookPlugin: FastifyPluginAsync<ZaloBotWebhookOptions> = async (app, options) => {
  const path = options.path ?? ZALO_BOT_WEBHOOK_PATH;
  const dispatch = createZaloBotDispatcher(options);
  const watch = options.watch ?? new WebhookWatch({ logger: options.logger });
  app.post(
    path,
    {
      onRequest: async (request, reply) => {
        const given = request.headers[ZALO_BOT_SECRET_HEADER];
        if (!verifyZaloBotSecret(given, options.secret)) {
          watch.refused('zalo-bot', given === undefined || given === '' ? 'missing-secret' : 'bad-secret', request.ip);
          await reply.code(401).send({ ok: false, error: 'unauthorized' });
        }
      },
    },
    async (request, reply) => {
      watch.accepted('zalo-bot');
      const { result, done, accepted } = dispatch(request.body);
      await accepted; // with Redis: in the durable inbound log before the 200
      options.onDispatched?.(done);
      return reply.code(200).send({ ok: true, handled: result.status === 'message' });
    },
  );
};
