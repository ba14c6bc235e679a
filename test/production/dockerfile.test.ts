// What can be checked of the image without a Docker engine: the Dockerfile's shape (multi-stage,
// current Node LTS, production dependencies only, non-root, HEALTHCHECK), that its inputs exist
// and are not ignored, that `npm ci --omit=dev` accepts the lockfile (offline dry run), that
// production dependencies alone boot the app and pass the HEALTHCHECK command, and that the
// compose file runs the app with a persistent Redis.
import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

/** Dockerfile instructions with continuation lines joined: [keyword, rest]. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const i = l.indexOf(' ');
    return [l.slice(0, i).toUpperCase(), l.slice(i + 1).trim()] as const;
  });
const stages: { from: string; name?: string; body: (readonly [string, string])[] }[] = [];
for (const ins of instructions) {
  if (ins[0] === 'FROM') {
    const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins[1])!;
    stages.push({ from: m[1]!, name: m[2], body: [] });
  } else stages.at(-1)?.body.push(ins);
}
const finalStage = stages.at(-1)!;
const argDefault = (name: string) => new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(dockerfile)?.[1];
const tmpDirs: string[] = [];
const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };

afterAll(async () => {
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

describe('Dockerfile', () => {
  it('is multi-stage on the Node LTS line the tests run on, small base images', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const node = Number(argDefault('NODE_VERSION'));
    expect(node % 2).toBe(0); // LTS lines are even
    expect(node).toBe(Number(process.versions.node.split('.')[0])); // the image runs what was tested
    for (const s of stages.filter((x) => !stages.some((y) => y.name === x.from))) {
      expect(s.from).toMatch(/^node:\$\{NODE_VERSION\}-(alpine|slim|bookworm-slim)$/);
    }
  });

  it('installs production dependencies only, from the lockfile', () => {
    const runs = stages.flatMap((s) => s.body.filter(([k]) => k === 'RUN').map(([, v]) => v));
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (install|i)\b/.test(r))).toBe(false);
    expect(finalStage.body.some(([k, v]) => k === 'COPY' && v.includes('node_modules') && v.includes('--from=deps'))).toBe(true);
  });

  it('runs as a non-root user, with a HEALTHCHECK on /healthz, graceful CMD', () => {
    const user = finalStage.body.filter(([k]) => k === 'USER').at(-1)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    const health = finalStage.body.find(([k]) => k === 'HEALTHCHECK')?.[1] ?? '';
    expect(health).toContain('/healthz');
    const cmd = JSON.parse(finalStage.body.find(([k]) => k === 'CMD')![1]) as string[];
    expect(cmd[0]).toBe('node'); // not `npm start`: npm does not pass SIGTERM on
    expect(cmd.at(-1)).toBe('src/main.ts');
    expect(finalStage.body.some(([k, v]) => k === 'ENV' && /HOST=0\.0\.0\.0/.test(v))).toBe(true);
  });

  it('copies only files that exist and that .dockerignore lets through', async () => {
    const sources = stages.flatMap((s) => s.body.filter(([k, v]) => k === 'COPY' && !v.includes('--from=')).flatMap(([, v]) => v.split(/\s+/).slice(0, -1)));
    expect(sources.length).toBeGreaterThan(0);
    for (const src of sources) {
      await expect(stat(join(ROOT, src)), src).resolves.toBeDefined();
      expect(dockerignore.some((pattern) => pattern === src || src.startsWith(`${pattern}/`)), `${src} ignored`).toBe(false);
    }
    for (const kept of ['node_modules', '.git', 'test', '.env']) expect(dockerignore).toContain(kept);
  });
});

describe('production dependencies', () => {

  it('every package src/ imports is a dependency, not a devDependency', async () => {
    const files = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    const imported = new Set<string>();
    for (const f of files) {
      const text = await readFile(join(ROOT, 'src', f), 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)) {
        const spec = m[1] ?? m[2]!;
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(3);
    for (const name of imported) expect({ name, inDependencies: name in pkg.dependencies }).toEqual({ name, inDependencies: true });
    expect(pkg.dependencies).toHaveProperty('tsx'); // the runtime loader
  });

  it('`npm ci --omit=dev` accepts package.json and the lockfile (offline dry run)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npm-ci-'));
    tmpDirs.push(dir);
    await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await cp(join(ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
    const { stdout } = await run('npm', ['ci', '--omit=dev', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, timeout: 60_000 });
    expect(stdout).toMatch(/added \d+ packages/);
    for (const dev of Object.keys(pkg.devDependencies ?? {})) expect(stdout).not.toMatch(new RegExp(`^add ${dev.replace(/[/.]/g, '\\$&')} `, 'm'));
  }, 60_000);

  it('production dependencies alone boot the app, and the HEALTHCHECK command passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prod-only-'));
    tmpDirs.push(dir);
    // The top-level production packages of the lockfile (what `npm ci --omit=dev` installs),
    // linked from node_modules: src/ can resolve them and nothing else.
    const prodPaths = Object.entries(lock.packages)
      .filter(([path, p]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !p.dev && !p.devOptional)
      .map(([path]) => path);
    expect(prodPaths.length).toBeGreaterThan(10);
    for (const path of prodPaths) {
      const from = join(ROOT, path);
      if (!(await stat(from).catch(() => null))) continue; // optional, other platform
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await symlink(from, join(dir, path), 'dir');
    }
    for (const name of ['typescript', 'vitest', 'autocannon']) await expect(stat(join(dir, 'node_modules', name))).rejects.toThrow();
    await cp(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    await cp(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
    await cp(join(ROOT, 'package.json'), join(dir, 'package.json'));
    await cp(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));

    const port = String(40_000 + Math.floor(Math.random() * 20_000));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: port, CONTENT_WATCH: 'false', LOG_LEVEL: 'info' };
    const cmd = JSON.parse(finalStage.body.find(([k]) => k === 'CMD')![1]) as string[];
    const child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const health = JSON.parse(/CMD\s+(\[.*\])$/.exec(finalStage.body.find(([k]) => k === 'HEALTHCHECK')![1])![1]!) as string[];
      for (let i = 0; i < 150 && !output.includes('"msg":"listening"') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      const ok = await run(process.execPath, health.slice(1), { env: { ...env }, timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      expect({ ok, output: ok ? '' : output.slice(-2000) }).toEqual({ ok: true, output: '' });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);
});

describe('docker-compose.yml', () => {
  it('runs the app with Redis (persistent), configured through the environment', async () => {
    const compose = parse(await readFile(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { build?: unknown; image?: string; command?: string[]; environment?: Record<string, string>; env_file?: unknown; volumes?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown }>;
      volumes: Record<string, unknown>;
    };
    const { app, redis } = compose.services;
    expect(app?.build).toBeDefined();
    expect(app?.environment?.REDIS_URL).toBe('${REDIS_URL-redis://redis:6379}'); // the bundled Redis unless .env names another
    expect(JSON.stringify(app?.healthcheck)).toContain('/readyz');
    expect(app?.volumes).toContain('./content:/app/content:ro');
    expect(redis?.command?.join(' ')).toMatch(/--maxmemory \S+ --maxmemory-policy noeviction/);
    expect(app?.env_file).toBeDefined();
    expect(app?.depends_on?.redis?.condition).toBe('service_healthy');
    expect(redis?.image).toMatch(/^redis:\d/);
    expect(redis?.command?.join(' ')).toContain('--appendonly yes');
    expect(redis?.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(redis?.healthcheck).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain('redis-data');
  });
});
