/**
 * Reads a secret (a password) from stdin: from a terminal without echo, or the first line of
 * piped input. Never from argv, where `ps` and shell history would show it.
 */
import type { Readable, Writable } from 'node:stream';

/** A terminal-capable stdin (process.stdin when it is a TTY). */
interface TtyInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Reads all of a piped stdin and returns its lines (without line endings). */
export async function readPipedLines(input: Readable): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
}

/**
 * Shows each prompt on `output` in turn and reads one line per prompt from a TTY `input`
 * without echoing it (typed or pasted at once alike). Ctrl-C or Ctrl-D rejects. Backspace works.
 */
export function readHiddenLines(input: TtyInput, output: Writable, prompts: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let value = '';
    output.write(prompts[0] ?? '');
    input.setRawMode?.(true);
    input.resume();
    const finish = (err: Error | null) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      if (err) {
        output.write('\n');
        reject(err);
      } else {
        resolve(lines);
      }
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          lines.push(value);
          value = '';
          output.write('\n');
          if (lines.length === prompts.length) return finish(null);
          output.write(prompts[lines.length]!);
        } else if (ch === '\u0003' || ch === '\u0004') {
          return finish(new Error('cancelled'));
        } else if (ch === '\u007f' || ch === '\b') {
          value = [...value].slice(0, -1).join('');
        } else if (ch >= ' ') {
          value += ch;
        }
      }
    };
    input.on('data', onData);
  });
}
