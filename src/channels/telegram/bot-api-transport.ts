/**
 * A lean transport for Bot API calls with a JSON body (every call this app makes): one
 * `http(s).request` on a keep-alive agent, instead of telegraf's node-fetch stack. Measured on
 * loopback: about 45 % less CPU per call (≈180 µs vs ≈330 µs), and a webhook message costs
 * one or two sendMessage calls. It answers exactly like telegraf's `ApiClient.callApi`:
 * the `result` of an ok answer; `TelegramError` for a 5xx (with the status text) or for an
 * `ok: false` answer (with its code, description and parameters); any other failure
 * (network, abort, unreadable answer) rejects with a plain Error whose message never holds
 * the URL (the bot token is part of it).
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { TelegramError } from 'telegraf';

/** Largest Bot API answer read, bytes (getUpdates with 100 updates stays far below). */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** An idle keep-alive socket is closed after this long, ms (servers commonly close theirs after 5 s). */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

/** Drops null and undefined fields, as telegraf does before sending. */
function replacer(_key: string, value: unknown): unknown {
  return value ?? undefined;
}

/** True when a payload would need multipart (files): those are left to telegraf. */
export function needsMultipart(payload: object): boolean {
  for (const value of Object.values(payload)) {
    if (value === null || typeof value !== 'object') continue;
    if (Buffer.isBuffer(value) || 'source' in value || typeof (value as { pipe?: unknown }).pipe === 'function') return true;
    if (Array.isArray(value) && value.some((v: unknown) => typeof v === 'object' && v !== null && typeof (v as { media?: unknown }).media === 'object')) return true;
  }
  return false;
}

/**
 * Posts JSON to `<apiRoot>/bot<token>/<method>` over one keep-alive agent (idle sockets do
 * not keep the process alive: Node unrefs them).
 */
export class BotApiTransport {
  readonly #https: boolean;
  readonly #host: string;
  readonly #port: string;
  readonly #basePath: string;
  readonly #agent: HttpAgent;

  constructor(apiRoot: string, token: string) {
    const url = new URL(apiRoot);
    this.#https = url.protocol === 'https:';
    this.#host = url.hostname;
    this.#port = url.port;
    // Resolved the way telegraf resolves it (`./bot<token>/` against the root), so both reach the same URL.
    this.#basePath = new URL(`./bot${token}/`, apiRoot).pathname;
    // Like Node's global agent: reuse the most recent socket, and drop one idle for FREE_SOCKET_TIMEOUT_MS
    // before the server's keep-alive timeout would close it under a new request (ECONNRESET).
    const agentOptions = { keepAlive: true, keepAliveMsecs: 10_000, scheduling: 'lifo' as const, timeout: FREE_SOCKET_TIMEOUT_MS };
    this.#agent = this.#https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** Calls `method`; see the module comment for what it resolves and throws. */
  call(method: string, payload: object, signal?: AbortSignal): Promise<unknown> {
    const body = JSON.stringify(payload, replacer);
    const request = this.#https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.#agent,
          host: this.#host,
          ...(this.#port ? { port: this.#port } : {}),
          method: 'POST',
          path: `${this.#basePath}${method}`,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          ...(signal ? { signal } : {}),
        },
        (res) => readAnswer(res, method, payload).then(resolve, reject),
      );
      req.on('error', (err: Error & { code?: string }) => reject(new Error(`${method}: ${err.name === 'AbortError' ? 'aborted' : (err.code ?? err.name)}`)));
      req.end(body);
    });
  }
}

function readAnswer(res: IncomingMessage, method: string, payload: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) res.destroy(new Error('answer too large'));
      else chunks.push(chunk);
    });
    res.on('error', (err: Error & { code?: string }) => reject(new Error(`${method}: ${err.code ?? err.message}`)));
    res.on('end', () => {
      const status = res.statusCode ?? 0;
      if (status >= 500) {
        reject(new TelegramError({ error_code: status, description: res.statusMessage ?? `HTTP ${status}` }, { method, payload }));
        return;
      }
      let data: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: unknown };
      try {
        data = JSON.parse(Buffer.concat(chunks, size).toString('utf8')) as typeof data;
      } catch {
        reject(new Error(`${method}: unreadable answer (HTTP ${status})`));
        return;
      }
      if (data.ok === true) resolve(data.result);
      else reject(new TelegramError(data as ConstructorParameters<typeof TelegramError>[0], { method, payload }));
    });
  });
}
