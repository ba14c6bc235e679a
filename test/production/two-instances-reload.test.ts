// A content reload on one instance reaches the others (Redis pub/sub): two instances share a
// content folder without watching it; a guide is edited and only instance A is told to reload
// (as SIGHUP or its own watcher would). Instance B reloads too and serves the same version.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { CONTENT_DIR } from '../support/test-content.ts';
import { FakeTelegramServer } from '../support/fake-telegram.ts';
import { eventually, startProdServer, TG_TOKEN, type ProdServer } from './support.ts';

let dir: string;
let telegram: FakeTelegramServer;
let a: ProdServer;
let b: ProdServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'content-shared-'));
  await cp(CONTENT_DIR, dir, { recursive: true });
  telegram = await FakeTelegramServer.start({ token: TG_TOKEN });
  const env = { REDIS_URL: inject('redisUrl'), REDIS_KEY_PREFIX: `reload:${Date.now()}:`, CONTENT_DIR: dir, CONTENT_WATCH: 'false' };
  a = await startProdServer({ env, telegram, listen: true });
  b = await startProdServer({ env, telegram, listen: true });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await telegram?.close();
  await rm(dir, { recursive: true, force: true });
});

it('B follows a reload made on A', async () => {
  const before = b.server.content.current().version;
  expect(a.server.content.current().version).toBe(before);
  const file = join(dir, 'messages', 'vi.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace('thanks: "Không có gì ạ!', 'thanks: "Dạ, không có gì ạ!'));
  const outcome = await a.server.content.reload();
  expect(outcome.ok).toBe(true);
  expect(outcome.version).not.toBe(before);
  await eventually(() => expect(b.server.content.current().version).toBe(outcome.version), 10_000);
  expect(b.logs.some((l) => l.includes('content reloaded on another instance'))).toBe(true);
});
