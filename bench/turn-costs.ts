/**
 * `npx tsx bench/turn-costs.ts` — what three small changes of issue 24 save per message, each
 * measured against what it replaced, in one process:
 * - the search cache: searches of a stream of questions drawn the way real traffic repeats
 *   itself (a Zipf law over the question set: a few questions very often, most rarely), with
 *   and without the cache; its hit rate;
 * - the update check: the hand check of a citizen's message update against the zod schema parse;
 * - the webhook secret: the buffer comparison against SHA-256 of both sides.
 * Each figure is the median of 5 rounds, in µs per operation.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { isPlainMessageUpdate } from '../src/channels/telegram/fast-update.ts';
import { TelegramUpdateSchema } from '../src/channels/telegram/parse.ts';
import { SecretCheck } from '../src/channels/secret-check.ts';
import { loadContent } from '../src/content/load.ts';
import { buildGuideIndex } from '../src/search/index.ts';
import { withResultCache } from '../src/search/result-cache.ts';
import { seededRandom } from '../src/search/synthetic.ts';
import { CONTENT_DIR } from './big-content.ts';

const QUESTIONS = readFileSync(new URL('../test/fixtures/eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { q: string }).q);

/** `count` indices into `n` items, item k drawn with probability ∝ 1/(k+1) (Zipf, s = 1). */
function zipfStream(n: number, count: number, seed = 7): number[] {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const r = rnd();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/** µs per call of `fn` over `count` calls: the median of 5 rounds. */
function perCallUs(count: number, fn: (i: number) => void): number {
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < count; i++) fn(i);
    rounds.push(((performance.now() - t0) * 1000) / count);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const us = (n: number) => `${n.toFixed(2)} µs`;

async function main(): Promise<void> {
  const bundle = (await loadContent(CONTENT_DIR)).bundle!;
  const index = buildGuideIndex(bundle);
  const stream = zipfStream(QUESTIONS.length, 20_000).map((k) => QUESTIONS[k]!);
  for (const q of QUESTIONS) index.search(q); // warm
  const plain = perCallUs(stream.length, (i) => index.search(stream[i]!));
  let hits = 0;
  let lookups = 0;
  const cachedSearch = () => {
    const cached = withResultCache(index, { counted: (hit) => ((lookups += 1), (hits += hit ? 1 : 0)) });
    return (i: number) => cached.search(stream[i]!);
  };
  let run = cachedSearch();
  const cached = perCallUs(stream.length, (i) => (i === 0 ? (run = cachedSearch())(i) : run(i))); // a fresh cache each round
  out(`search, ${stream.length} questions drawn by a Zipf law from ${QUESTIONS.length}: ${us(plain)} without the cache, ${us(cached)} with it (hit rate ${((100 * hits) / lookups).toFixed(0)} %, a fresh cache of 1,000 each round)`);

  const updates = Array.from({ length: 1000 }, (_, i) =>
    JSON.parse(JSON.stringify({ update_id: 900_000_000 + i, message: { message_id: i, from: { id: 7e9 + i, is_bot: false, first_name: 'Lan', language_code: 'vi' }, chat: { id: 7e9 + i, type: 'private', first_name: 'Lan' }, date: 1_765_000_000, text: QUESTIONS[i % QUESTIONS.length] } })) as unknown,
  );
  let valid = 0; // read at the end, so no call can be optimised away
  const zod = perCallUs(100_000, (i) => void (valid += TelegramUpdateSchema.safeParse(updates[i % 1000]).success ? 1 : 0));
  const hand = perCallUs(100_000, (i) => void (valid += isPlainMessageUpdate(updates[i % 1000]) ? 1 : 0));
  if (valid !== 1_000_000) throw new Error('an update was refused');
  out(`update check of a citizen's message: ${us(zod)} with the zod schema, ${us(hand)} with the hand check`);

  const secret = 'bench-secret_0123456789';
  const digest = createHash('sha256').update(secret).digest();
  let matched = 0;
  const hashed = perCallUs(200_000, () => void (matched += timingSafeEqual(digest, createHash('sha256').update(secret).digest()) ? 1 : 0));
  const check = new SecretCheck(secret);
  const buffered = perCallUs(200_000, () => void (matched += check.matches(secret) ? 1 : 0));
  if (matched !== 2_000_000) throw new Error('a secret did not match');
  out(`webhook secret check: ${us(hashed)} hashing (SHA-256), ${us(buffered)} comparing buffers`);
  out(`load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`);
}

await main();
