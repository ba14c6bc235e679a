/**
 * POST /webhooks/telegram. The secret header is checked before the body is even parsed; a
 * forged request gets 401 and nothing else happens. A valid update is answered 200 once it is
 * safe (in the durable inbound log, with Redis) and processed in the background (Telegram
 * would otherwise resend it).
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '../../core/ports.ts';
import type { WebhookWatch } from '../webhook-watch.ts';
import { TELEGRAM_SECRET_HEADER, telegramSecretMatches } from './verify.ts';

/** Where Telegram posts updates. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

/** Largest update body accepted, bytes (updates are a few KB). */
export const TELEGRAM_WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

/** Options of the webhook plugin. */
export interface TelegramWebhookOptions {
  /** TELEGRAM_WEBHOOK_SECRET; when absent every request is refused. */
  readonly secret: string | undefined;
  /** Processes one raw update; must not reject (TelegramUpdateProcessor.process). */
  readonly onUpdate: (update: unknown) => Promise<void>;
  readonly logger: Logger;
  /** Counts refusals (throttled warn lines) and accepted updates. */
  readonly watch: WebhookWatch;
}

/** The Fastify plugin serving TELEGRAM_WEBHOOK_PATH. */
export const telegramWebhookPlugin: FastifyPluginAsync<TelegramWebhookOptions> = async (app, options) => {
  app.post(
    TELEGRAM_WEBHOOK_PATH,
    {
      bodyLimit: TELEGRAM_WEBHOOK_BODY_LIMIT_BYTES,
      onRequest: async (request, reply) => {
        const given = request.headers[TELEGRAM_SECRET_HEADER];
        if (!telegramSecretMatches(options.secret, given)) {
          options.watch.refused('telegram', given === undefined || given === '' ? 'missing-secret' : 'bad-secret', request.ip);
          return reply.code(401).send({ ok: false });
        }
        return undefined;
      },
    },
    async (request, reply) => {
      const body = request.body as { update_id?: unknown } | null | undefined;
      if (typeof body !== 'object' || body === null || !Number.isInteger(body.update_id)) {
        options.watch.refused('telegram', 'malformed-body', request.ip);
        return reply.code(400).send({ ok: false });
      }
      options.watch.accepted('telegram');
      // Awaited: with Redis, this is the update's write to the durable inbound log (the turn runs after).
      await options.onUpdate(body).catch((err: unknown) => {
        options.logger.error({ err: (err as Error).message }, 'telegram webhook: update processing failed');
      });
      return reply.code(200).send({ ok: true });
    },
  );
};
