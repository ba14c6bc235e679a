/**
 * POST /webhooks/zalo-oa: verifies X-ZEvent-Signature over the raw request bytes (the raw-body
 * parser is registered only inside this plugin's scope, so other routes keep Fastify's JSON
 * parser), refuses events older than Zalo's retry window, answers 200 at once and hands the
 * event to the engine after. Zalo redelivers an event until it gets a 200 (hours later after an
 * outage, and switches the webhook off when failures go on), so a signed redelivery is accepted
 * for the whole window and handled once: its event id is remembered for longer than the window.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Clock, InboundHandler, KeyValueStore, Logger } from '../../core/ports.ts';
import { WebhookWatch } from '../webhook-watch.ts';
import { ZALO_OA_SIGNATURE_HEADER, ZALO_OA_WEBHOOK_PATH } from './limits.ts';
import { parseZaloOaEvent } from './parse.ts';
import { verifyZaloOaEvent } from './verify.ts';

/** Options of the Zalo OA webhook plugin. */
export interface ZaloOaWebhookOptions {
  /** ZALO_OA_APP_ID. */
  readonly appId: string;
  /** ZALO_OA_SECRET_KEY (OA secret key of the webhook settings). */
  readonly secretKey: string;
  /** ZALO_OA_MAX_EVENT_AGE_S: largest accepted |now − event timestamp|, seconds. */
  readonly maxEventAgeS: number;
  readonly clock: Clock;
  readonly inbound: InboundHandler;
  readonly logger: Logger;
  /** Route path; default ZALO_OA_WEBHOOK_PATH. */
  readonly path?: string;
  /** Largest body accepted, bytes; default 256 KiB. */
  readonly bodyLimit?: number;
  /** Called with each event's background work (tests await it). */
  readonly onDispatched?: (done: Promise<void>) => void;
  /** Where event ids are remembered across instances; without it the engine's own de-duplication alone applies. */
  readonly kv?: KeyValueStore;
  /** Counts refusals (throttled warn lines) and accepted events; one of its own by default. */
  readonly watch?: WebhookWatch;
}

/** How much longer than the accepted event age an event id is remembered, ms. */
const DEDUPE_MARGIN_MS = 60 * 60 * 1000;

/**
 * The Fastify plugin serving the OA webhook. Missing/bad signature or stale timestamp → 401,
 * unparseable JSON → 400, nothing processed; ignored events (oa_send_*, receipts) → 200.
 */
export const zaloOaWebhookPlugin: FastifyPluginAsync<ZaloOaWebhookOptions> = async (app, options) => {
  // Scoped to this plugin: the signature covers the exact bytes, so keep them as a Buffer.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 256 * 1024 }, (_request, body, done) => {
    done(null, body);
  });

  const watch = options.watch ?? new WebhookWatch({ logger: options.logger });
  const firstTime = async (id: string): Promise<boolean> => {
    if (!options.kv) return true;
    try {
      return await options.kv.setIfAbsent(`zalo-oa:event:${id}`, '1', options.maxEventAgeS * 1000 + DEDUPE_MARGIN_MS);
    } catch {
      return true; // the store is down: the engine's own de-duplication still applies
    }
  };
  app.post(options.path ?? ZALO_OA_WEBHOOK_PATH, async (request, reply) => {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verified = verifyZaloOaEvent({
      header: request.headers[ZALO_OA_SIGNATURE_HEADER],
      rawBody,
      appId: options.appId,
      secretKey: options.secretKey,
      nowMs: options.clock.nowMs(),
      maxAgeS: options.maxEventAgeS,
    });
    if (!verified.ok) {
      watch.refused('zalo-oa', verified.reason, request.ip);
      if (verified.reason === 'malformed-body') return reply.code(400).send({ error: 'bad request' });
      return reply.code(401).send({ error: 'unauthorized' });
    }
    watch.accepted('zalo-oa');
    const parsed = parseZaloOaEvent(verified.body);
    if (parsed.status !== 'message') {
      options.logger.debug({ status: parsed.status, reason: parsed.reason }, 'zalo-oa event not handled');
      return reply.code(200).send({ ok: true, handled: false });
    }
    const message = parsed.message;
    if (options.inbound.accept) {
      // With Redis: in the durable inbound log before the 200 (which de-duplicates redeliveries
      // itself, once the message is safe); any instance runs the turn.
      const accepted = options.inbound.accept(message).catch((err: unknown) => options.logger.error({ err, messageId: message.id }, 'zalo-oa event handling failed'));
      await accepted;
      options.onDispatched?.(accepted);
      return reply.code(200).send({ ok: true, handled: true });
    }
    if (!(await firstTime(message.id))) {
      options.logger.debug({ messageId: message.id }, 'zalo-oa event redelivered; already handled');
      return reply.code(200).send({ ok: true, handled: false, duplicate: true });
    }
    // Acknowledge first (Zalo wants an answer within 2 s), then process.
    const done = new Promise<void>((resolve) => {
      setImmediate(() => {
        options.inbound
          .handleInbound(message)
          .catch((err: unknown) => options.logger.error({ err, messageId: message.id }, 'zalo-oa event handling failed'))
          .finally(resolve);
      });
    });
    options.onDispatched?.(done);
    return reply.code(200).send({ ok: true, handled: true });
  });
};
