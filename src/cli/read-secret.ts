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
 * Prompts on `output` and reads one line from a TTY `input` without echoing it. Ctrl-C or
 * Ctrl-D rejects. Backspace works.
 */
export function readHiddenLine(input: TtyInput, output: Writable, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    output.write(prompt);
    let value = '';
    input.setRawMode?.(true);
    input.resume();
    const done = (err: Error | null) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003' || ch === '\u0004') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}
