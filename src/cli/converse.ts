/**
 * `npm run --silent converse -- --jsonl FILE` (FILE may be `-` for stdin): runs whole
 * conversations through the real engine (in-memory state, no network) and prints, per input
 * line and in input order, `{"id", "turns": [{"decision", "guide", "aspect", "lang"}, …]}`.
 * Input lines: `{"id": "c1", "turns": ["lam cccd o dau", "co mat tien hong", "[1]"]}`; a turn
 * `[N]` presses option N of the bot's last reply. Nothing else goes to stdout.
 */
import { readFileSync } from 'node:fs';
import { loadBundleOrExit } from './content-dir.ts';
import { buildGuideIndex } from '../search/index.ts';
import { Conversations, type ConversationScript } from './conversations.ts';

/** Reads the input lines; a bad line becomes a conversation with no turns (and a note on stderr). */
function parseScripts(text: string): ConversationScript[] {
  const out: ConversationScript[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const v = JSON.parse(raw) as { id?: unknown; turns?: unknown };
      const turns = Array.isArray(v.turns) ? v.turns.map((t) => (typeof t === 'string' ? t : typeof t === 'object' && t && 'say' in t ? String((t as { say: unknown }).say) : '')) : [];
      out.push({ id: typeof v.id === 'string' ? v.id : String(i + 1), turns });
      if (!Array.isArray(v.turns)) process.stderr.write(`line ${i + 1}: no "turns" list\n`);
    } catch {
      process.stderr.write(`line ${i + 1}: not JSON\n`);
      out.push({ id: String(i + 1), turns: [] });
    }
  });
  return out;
}

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--jsonl');
  const file = at >= 0 ? argv[at + 1] : undefined;
  if (!file) {
    process.stderr.write('usage: converse -- --jsonl FILE   (FILE: JSON lines {"id","turns":[…]}, or - for stdin)\n');
    return 2;
  }
  const bundle = await loadBundleOrExit();
  const runner = new Conversations({ content: bundle, index: buildGuideIndex(bundle), loadedAtMs: Date.now(), version: 'converse' });
  const lines: string[] = [];
  for (const script of parseScripts(readFileSync(file === '-' ? 0 : file, 'utf8'))) {
    lines.push(JSON.stringify({ id: script.id, turns: await runner.run(script) }));
  }
  process.stdout.write(lines.length ? lines.join('\n') + '\n' : '');
  await runner.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`converse: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
