/**
 * `npm run content:check`: validates every content file and prints each problem as
 * `file:line:col  severity: message` (root causes first), then a summary (guides due for review,
 * files that failed, the counts). Exits 1 on errors. Also checks that every sample question
 * ranks its own guide first (self-retrieval). The work is done by runContentCheck.
 */
import { loadConfig } from '../config.ts';
import { runContentCheck } from '../content/check.ts';

async function main(): Promise<number> {
  const result = await runContentCheck(loadConfig().CONTENT_DIR);
  for (const line of result.lines) process.stdout.write(`${line}\n`);
  process.stdout.write(`${result.summaryText}\n`);
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`content:check failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
