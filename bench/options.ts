/**
 * The load benchmark's settings (environment: BENCH_SECONDS, BENCH_PHASES), its fixed
 * credentials, and the Telegram updates it sends (real citizens' questions, cycled through).
 */
import { readFileSync } from 'node:fs';

/** The bot token the app and the fake Bot API share. */
export const TOKEN = '123456789:BENCH-token_abcdefghijklmnopqrstuvw';
/** The webhook secret the app checks. */
export const SECRET = 'bench-secret_0123456789';
/** Length of each measured phase, seconds (BENCH_SECONDS, default 10). */
export const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** The phases to run (BENCH_PHASES, default "steady,max,sustained,memory"). */
export const PHASES = new Set((process.env.BENCH_PHASES ?? 'steady,max,sustained,memory').split(',').map((p) => p.trim()));
/** autocannon's connections in the maximum phase. */
export const CONNECTIONS = 32;
/** Most sockets the open-loop sender keeps to the webhook (requests queue past it, and that shows in the latency). */
export const PACED_SOCKETS = 64;
/** Headers of every webhook request. */
export const HEADERS = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
/** Real citizens' questions (typos, no diacritics, English…), cycled through. */
const QUESTIONS = readFileSync(new URL('../test/fixtures/eval/questions.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { q: string }).q);

/** A Telegram text update from a private chat. */
export function update(chat: number, updateId: number): string {
  const from = { id: chat, is_bot: false, first_name: 'Lan', language_code: 'vi' };
  const text = QUESTIONS[updateId % QUESTIONS.length] ?? 'đăng ký khai sinh';
  return JSON.stringify({ update_id: updateId, message: { message_id: updateId % 1e6, from, chat: { id: chat, type: 'private', first_name: 'Lan' }, date: Math.floor(Date.now() / 1000), text } });
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
