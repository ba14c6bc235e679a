// Editors publish by saving files: the running server picks the change up (no restart), a
// broken file leaves the old content serving with the error shown, and editors (only) can
// ask for a reload through the API.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type StartedServer } from '../support/test-server.ts';
import { EDITOR, EDITOR_ENV, STAFF, addStaffAccount, ask, copyContent, eventually, login } from './support.ts';

const QUESTION = 'làm căn cước cho con';
const GUIDE_FILE = join('guides', 'id-card', 'id-card-child.yaml');
/** The guide's first step as the content has it now (read from the file, so editors may reword it). */
let FIRST_STEP = '';

let dir: string;
let s: StartedServer;
let original: string;
const file = () => join(dir, GUIDE_FILE);
const withFirstStep = (text: string) => original.replace(FIRST_STEP, text);

beforeAll(async () => {
  dir = await copyContent();
  original = await readFile(file(), 'utf8');
  FIRST_STEP = (parse(original) as { steps: { text: string }[] }).steps[0]!.text;
  expect(original).toContain(FIRST_STEP);
  s = await startTestServer({ ...EDITOR_ENV, CONTENT_DIR: dir, CONTENT_WATCH: 'true' });
  await addStaffAccount(s);
});
afterAll(async () => {
  await s?.stop();
  await rm(dir, { recursive: true, force: true });
});

const status = async (cookie: string) => (await s.server.app.inject({ url: '/api/editor/content-status', headers: { cookie } })).json();

describe('live reload of content', () => {
  it('serves an edited guide on the next question, without a restart', async () => {
    expect(await ask(s, QUESTION)).toContain(FIRST_STEP);
    const v1 = 'Cha hoặc mẹ mở VNeID (bản mới), đăng nhập mức 2 rồi chọn "Thủ tục hành chính".';
    await writeFile(file(), withFirstStep(v1));
    await eventually(async () => (await ask(s, QUESTION)).includes(v1), 10_000, 'the edited first step');
  });

  it('also sees edits after an editor saved by "temp file + rename" (watcher quirk on Linux)', async () => {
    const v2 = 'Bước một, bản lưu kiểu đổi tên tệp, mở VNeID và đăng nhập mức 2.';
    // Written next to the content dir, then renamed over the guide (as atomic-save editors do).
    const temp = `${dir}-save.tmp`;
    await writeFile(temp, withFirstStep(v2));
    await rename(temp, file());
    await eventually(async () => (await ask(s, QUESTION)).includes(v2), 10_000, 'the renamed-over file');
    const v3 = 'Bước một, sửa tiếp ngay trên tệp đó, mở VNeID và đăng nhập mức 2.';
    await writeFile(file(), withFirstStep(v3));
    await eventually(async () => (await ask(s, QUESTION)).includes(v3), 10_000, 'an in-place edit after the rename');
  });

  it('keeps the old content serving when a file is broken, and shows the error with file:line', async () => {
    const editor = await login(s, EDITOR);
    const before = await ask(s, QUESTION);
    const servingVersion = s.server.content.current().version;
    await writeFile(file(), original.replace('steps:\n', 'steps:\n  - text: "unterminated\n    detail: [oops\n'));
    await eventually(async () => (await status(editor)).lastReload?.ok === false, 10_000, 'the rejected reload');

    const st = await status(editor);
    expect(st).toMatchObject({ loaded: true, version: servingVersion });
    expect(st.lastReload.errors).toBeGreaterThan(0);
    const problem = st.lastReload.problems.find((p: { severity: string; file: string }) => p.severity === 'error' && p.file === GUIDE_FILE);
    expect(problem).toBeDefined();
    expect(problem.line).toBeGreaterThan(1);
    expect(problem.text).toMatch(new RegExp(`^${GUIDE_FILE.replace(/[./]/g, '\\$&')}:\\d+:\\d+ +error: `));
    expect(await ask(s, QUESTION)).toBe(before);
    expect(s.logs.some((l) => l.includes('content problem') && l.includes('id-card-child.yaml:'))).toBe(true);
    expect(s.logs.some((l) => l.includes('old content keeps serving'))).toBe(true);
  });

  it('reloads on POST /api/admin/reload for editors only (401 without session, 403 for staff)', async () => {
    expect((await s.server.app.inject({ method: 'POST', url: '/api/admin/reload' })).statusCode).toBe(401);
    const staff = await login(s, STAFF);
    expect((await s.server.app.inject({ method: 'POST', url: '/api/admin/reload', headers: { cookie: staff } })).statusCode).toBe(403);
    expect((await s.server.app.inject({ url: '/api/editor/content-status', headers: { cookie: staff } })).statusCode).toBe(403);

    const editor = await login(s, EDITOR);
    const rejected = await s.server.app.inject({ method: 'POST', url: '/api/admin/reload', headers: { cookie: editor } });
    expect(rejected.statusCode).toBe(422); // the file is still broken
    expect(rejected.json()).toMatchObject({ ok: false });

    s.server.content.close(); // no watcher from here: only the API reloads
    const fixed = 'Bước một sau khi sửa lỗi, cha hoặc mẹ đăng nhập VNeID mức 2.';
    await writeFile(file(), withFirstStep(fixed));
    const ok = await s.server.app.inject({ method: 'POST', url: '/api/admin/reload', headers: { cookie: editor, 'content-type': 'application/json' }, payload: '' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, errors: 0 });
    expect(await ask(s, QUESTION)).toContain(fixed);
    expect((await status(editor)).lastReload.ok).toBe(true);
  });

  it('refuses a cross-site reload request even with an editor session', async () => {
    const editor = await login(s, EDITOR);
    const res = await s.server.app.inject({ method: 'POST', url: '/api/admin/reload', headers: { cookie: editor, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(res.statusCode).toBe(403);
  });
});
