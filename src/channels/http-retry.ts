/**
 * A small, generic helper for the platform clients that speak JSON over fetch: one call with
 * a timeout, and a bounded retry loop for what is worth retrying (network errors, timeouts,
 * 5xx, 429). Knows nothing of any chat app; each client maps the outcome to channel errors.
 */

/** How a client retries. Delays grow `baseDelayMs · 2^n`, capped at `maxDelayMs`, with jitter. */
export interface RetryPolicy {
  /** Total tries, the first included (≥ 1). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Three tries, 300 ms then 600 ms apart (capped at 3 s). Tests pass tiny delays instead. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({ attempts: 3, baseDelayMs: 300, maxDelayMs: 3000 });

/** Default time limit of one HTTP call, milliseconds. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

/**
 * A failure worth trying again: the network failed, the call timed out, or the server said
 * 5xx / 429. `retryAfterMs` is the server's own wish, when it gave one. The message never
 * carries the URL (platform tokens live in URLs).
 */
export class TransientHttpError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** The last response body, when there was one (for the caller's error message). */
  readonly body?: unknown;
  constructor(message: string, details: { status?: number; retryAfterMs?: number; body?: unknown } = {}) {
    super(message);
    this.name = 'TransientHttpError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.body = details.body;
  }
}

/** What one HTTP call answered: its status and its body (parsed JSON, or the raw text when not JSON). */
export interface HttpJsonResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/**
 * Performs one fetch with a timeout and reads the body as JSON (falling back to text).
 * Throws TransientHttpError for a network error, a timeout, a 5xx or a 429; any other status
 * is returned for the caller to judge. Never puts the URL in an error message.
 */
export async function fetchJson(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number = DEFAULT_HTTP_TIMEOUT_MS,
): Promise<HttpJsonResponse> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetchFn(url, { ...init, signal });
  } catch (err) {
    if (init.signal?.aborted) throw err; // the caller stopped us: not ours to retry
    throw new TransientHttpError(timeout.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${describeNetworkError(err)}`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw new TransientHttpError(`network error reading the response: ${describeNetworkError(err)}`, { status: response.status });
  }
  const body = parseJsonOrText(text);
  if (response.status >= 500 || response.status === 429) {
    throw new TransientHttpError(`HTTP ${response.status}`, {
      status: response.status,
      retryAfterMs: retryAfterFromHeader(response.headers.get('retry-after')),
      body,
    });
  }
  return { status: response.status, body, headers: response.headers };
}

/** Called once before each retry's wait (e.g. to count retries in the metrics). */
export type OnRetry = (attempt: number, err: TransientHttpError) => void;

/**
 * Runs `operation` until it succeeds, throws something other than TransientHttpError, or
 * `policy.attempts` tries are used up (then the last TransientHttpError is thrown).
 * Waits the server's `retryAfterMs` when it asked, else an exponential backoff; a wish longer
 * than `maxDelayMs` is not waited for (the error is thrown at once for the caller to handle).
 * `onRetry` hears of every retry, just before its wait.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  sleep: (ms: number) => Promise<void> = delay,
  onRetry?: OnRetry,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts));
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (err) {
      if (!(err instanceof TransientHttpError) || attempt >= attempts) throw err;
      if (err.retryAfterMs !== undefined && err.retryAfterMs > policy.maxDelayMs) throw err;
      onRetry?.(attempt, err);
      await sleep(err.retryAfterMs ?? backoffMs(attempt, policy));
    }
  }
}

/** The wait before try `attempt + 1`: exponential, capped, with ±20 % jitter. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.max(0, Math.round(raw * (0.8 + Math.random() * 0.4)));
}

/** Replaces every occurrence of the given secrets in `text` with `***`. Empty secrets are ignored. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseJsonOrText(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function retryAfterFromHeader(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** A short description of a fetch failure without the URL (undici puts the reason in `cause`). */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (err instanceof Error && err.name !== 'TypeError') return err.name;
  return 'fetch failed';
}
