/**
 * Loads and validates everything under the content directory into one ContentBundle.
 * Never throws for bad content: every problem comes back positioned, and the bundle is
 * only returned when there are no errors (warnings are fine).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  CategoriesFileSchema,
  DomainsFileSchema,
  GuideSchema,
  IntentsFileSchema,
  MessagesFileSchema,
  OfficeHoursFileSchema,
  SynonymsFileSchema,
  type Guide,
} from '../core/guide.ts';
import type { ContentBundle } from '../core/content.ts';
import type { ContentProblem } from './problems.ts';
import { positionOf, readYamlFile, validateYaml, type YamlFile } from './yaml-file.ts';
import { checkGuides } from './rules.ts';
import { loadCommunes } from './communes.ts';

/** What loading produced. `bundle` is present only when there is no error (errors in communes.yaml only leave the communes out). */
export interface LoadResult {
  readonly bundle?: ContentBundle;
  readonly problems: ContentProblem[];
  /** Files read (relative to the content dir). */
  readonly files: string[];
}

/** Options for loading; `today` decides which guides are past their review date. */
export interface LoadOptions {
  readonly today?: Date;
}

async function listYaml(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue;
    const p = join(dir, name);
    const s = await stat(p);
    if (s.isDirectory()) out.push(...(await listYaml(p)));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

/** Loads the content directory (`CONTENT_DIR`). */
export async function loadContent(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const problems: ContentProblem[] = [];
  const files: string[] = [];
  const rel = (p: string) => relative(process.cwd(), p) || p;

  async function readOne<S extends Parameters<typeof validateYaml>[1]>(name: string, schema: S) {
    const path = join(dir, name);
    files.push(name);
    let y: YamlFile;
    try {
      y = await readYamlFile(path, rel(path));
    } catch (err) {
      problems.push({ file: rel(path), line: 1, col: 1, severity: 'error', message: `cannot read: ${(err as Error).message}` });
      return undefined;
    }
    const r = validateYaml(y, schema);
    if (!r.ok) {
      problems.push(...r.problems);
      return undefined;
    }
    return r.value as import('zod').infer<S>;
  }

  const categoriesFile = await readOne('categories.yaml', CategoriesFileSchema);
  const synonyms = await readOne('synonyms.yaml', SynonymsFileSchema);
  const intents = await readOne('intents.yaml', IntentsFileSchema);
  const domainsFile = await readOne('domains.yaml', DomainsFileSchema);
  const officeHours = await readOne('office-hours.yaml', OfficeHoursFileSchema);
  const vi = await readOne('messages/vi.yaml', MessagesFileSchema);
  const en = await readOne('messages/en.yaml', MessagesFileSchema);
  if (vi && en) {
    for (const key of Object.keys(vi)) {
      if (!(key in en)) problems.push({ file: rel(join(dir, 'messages/en.yaml')), line: 1, col: 1, severity: 'error', message: `missing message "${key}" (present in vi.yaml)` });
    }
    for (const key of Object.keys(en)) {
      if (!(key in vi)) problems.push({ file: rel(join(dir, 'messages/vi.yaml')), line: 1, col: 1, severity: 'error', message: `missing message "${key}" (present in en.yaml)` });
    }
  }

  const guideFiles = await listYaml(join(dir, 'guides'));
  if (guideFiles.length === 0) {
    problems.push({ file: rel(join(dir, 'guides')), line: 1, col: 1, severity: 'error', message: 'no guide files found' });
  }
  const parsed: { guide: Guide; y: YamlFile }[] = [];
  // Ids of every guide file, valid or not, so one broken file does not make others' `related` fail.
  const knownIds = new Set<string>();
  for (const path of guideFiles) {
    files.push(relative(dir, path));
    let y: YamlFile;
    try {
      y = await readYamlFile(path, rel(path));
    } catch (err) {
      problems.push({ file: rel(path), line: 1, col: 1, severity: 'error', message: `cannot read: ${(err as Error).message}` });
      continue;
    }
    const r = validateYaml(y, GuideSchema);
    const rawId = (y.data as { id?: unknown } | null)?.id;
    if (typeof rawId === 'string') knownIds.add(rawId);
    if (!r.ok) problems.push(...r.problems);
    else parsed.push({ guide: r.value, y });
  }

  const categories = categoriesFile?.categories ?? [];
  problems.push(
    ...checkGuides(parsed, {
      categories: new Set(categories.map((c) => c.id)),
      knownIds,
      officialDomains: domainsFile?.official_domains ?? [],
      today: options.today ?? new Date(),
    }),
  );
  // Guides whose ids collide are not indexed twice: the first wins (and an error is reported).
  const guides = new Map<string, Guide>();
  for (const { guide } of parsed) if (!guides.has(guide.id)) guides.set(guide.id, guide);

  const communes = await loadCommunes(dir, rel);
  files.push(...communes.files);
  const hasError = problems.some((p) => p.severity === 'error');
  // A broken communes.yaml is reported but never takes the guides down (they load without it).
  problems.push(...communes.problems);
  if (hasError || !categoriesFile || !synonyms || !intents || !domainsFile || !officeHours || !vi || !en) {
    return { problems, files };
  }
  const order = new Map(categories.map((c, i) => [c.id, i]));
  const guideList = [...guides.values()].sort(
    (a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99),
  );
  return {
    problems,
    files,
    bundle: {
      guides: new Map(guideList.map((g) => [g.id, g])),
      guideList,
      categories,
      messages: { vi, en },
      synonyms,
      intents,
      officeHours,
      officialDomains: domainsFile.official_domains,
      ...(communes.units ? { communes: communes.units } : {}),
    },
  };
}

export { positionOf };
