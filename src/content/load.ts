/**
 * Loads and validates everything under the content directory into one ContentBundle.
 * Never throws for bad content: every problem comes back positioned, and the bundle is
 * only returned when there are no errors (warnings are fine).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { z } from 'zod';
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
import { positionOf, readYamlFile, readYamlFileLight, validateYaml, type YamlFile } from './yaml-file.ts';
import type { YamlReader } from './yaml-cache.ts';
import { checkGuides, checkGuidesSteps, type ParsedGuide, type RuleContext } from './rules.ts';
import { runStepsSliced, type Pacer } from '../search/steps.ts';
import { loadCommunes } from './communes.ts';
import { loadReplies } from './replies.ts';

/** What loading produced. `bundle` is present only when there is no error (errors in communes.yaml or replies.yaml only leave that part out). */
export interface LoadResult {
  readonly bundle?: ContentBundle;
  readonly problems: ContentProblem[];
  /** Files read (relative to the content dir). */
  readonly files: string[];
  /** Guides that passed the schema (also when errors elsewhere withhold the bundle). */
  readonly guides: readonly Guide[];
  /** Files that could not be read, parsed or validated (as named in problems), in reading order. */
  readonly failedFiles: readonly string[];
}

/** Options for loading; `today` decides which guides are past their review date. */
export interface LoadOptions {
  readonly today?: Date;
  /** How settings files are read and parsed (default `readYamlFile`; the content manager keeps large ones in a YamlCache). */
  readonly read?: YamlReader;
  /** How guide files are read and parsed (default `readYamlFileLight`: no syntax tree kept). */
  readonly readGuide?: YamlReader;
  /** Check the guides in slices, giving the event loop back through it (a reload while serving). */
  readonly pacer?: Pacer;
}

/** What a load collects as it goes. */
interface LoadState {
  readonly dir: string;
  readonly read: YamlReader;
  readonly readGuide: YamlReader;
  readonly problems: ContentProblem[];
  readonly files: string[];
  readonly failedFiles: string[];
}

/** The settings files (everything but the guides); a file that failed is undefined. */
interface Settings {
  readonly categories?: z.infer<typeof CategoriesFileSchema>;
  readonly synonyms?: z.infer<typeof SynonymsFileSchema>;
  readonly intents?: z.infer<typeof IntentsFileSchema>;
  readonly domains?: z.infer<typeof DomainsFileSchema>;
  readonly officeHours?: z.infer<typeof OfficeHoursFileSchema>;
  readonly vi?: z.infer<typeof MessagesFileSchema>;
  readonly en?: z.infer<typeof MessagesFileSchema>;
}

/** A path as problems name it: relative to the working directory. */
function displayName(path: string): string {
  return relative(process.cwd(), path) || path;
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

/**
 * Reads and parses one file; on a read error reports it and returns undefined. `light`: keep no
 * syntax tree (see readYamlFileLight) unless the loader was given its own reader.
 */
async function readParsed(state: LoadState, path: string, light = false): Promise<YamlFile | undefined> {
  try {
    return await (light ? state.readGuide : state.read)(path, displayName(path));
  } catch (err) {
    const file = displayName(path);
    state.problems.push({ file, line: 1, col: 1, severity: 'error', message: `cannot read: ${(err as Error).message}` });
    state.failedFiles.push(file);
    return undefined;
  }
}

/** Reads and validates one settings file; undefined (with its problems reported) when it fails. */
async function readSetting<S extends z.ZodType>(state: LoadState, name: string, schema: S): Promise<z.infer<S> | undefined> {
  state.files.push(name);
  const y = await readParsed(state, join(state.dir, name));
  if (!y) return undefined;
  const r = validateYaml(y, schema);
  if (r.ok) return r.value;
  state.problems.push(...r.problems);
  state.failedFiles.push(y.file);
  return undefined;
}

async function readSettings(state: LoadState): Promise<Settings> {
  const settings: Settings = {
    categories: await readSetting(state, 'categories.yaml', CategoriesFileSchema),
    synonyms: await readSetting(state, 'synonyms.yaml', SynonymsFileSchema),
    intents: await readSetting(state, 'intents.yaml', IntentsFileSchema),
    domains: await readSetting(state, 'domains.yaml', DomainsFileSchema),
    officeHours: await readSetting(state, 'office-hours.yaml', OfficeHoursFileSchema),
    vi: await readSetting(state, 'messages/vi.yaml', MessagesFileSchema),
    en: await readSetting(state, 'messages/en.yaml', MessagesFileSchema),
  };
  if (settings.vi && settings.en) checkMessages(state, settings.vi, settings.en);
  return settings;
}

/** Every message key must exist in both languages. */
function checkMessages(state: LoadState, vi: Record<string, string>, en: Record<string, string>): void {
  const missing = (from: Record<string, string>, to: Record<string, string>, toFile: string, fromName: string) => {
    for (const key of Object.keys(from)) {
      if (!(key in to)) {
        state.problems.push({ file: displayName(join(state.dir, toFile)), line: 1, col: 1, severity: 'error', message: `missing message "${key}" (present in ${fromName})` });
      }
    }
  };
  missing(vi, en, 'messages/en.yaml', 'vi.yaml');
  missing(en, vi, 'messages/vi.yaml', 'en.yaml');
}

/**
 * Each parsed guide file's validation. A reader that keeps parsed files between loads
 * (yaml-cache.ts `ParsedFiles`) hands an unchanged file back as the same object: its guide is
 * then not validated again either (the schema's result depends on the data alone).
 */
const validatedGuides = new WeakMap<YamlFile, ReturnType<typeof validateYaml<typeof GuideSchema>>>();

function validateGuide(y: YamlFile): ReturnType<typeof validateYaml<typeof GuideSchema>> {
  let r = validatedGuides.get(y);
  if (!r) validatedGuides.set(y, (r = validateYaml(y, GuideSchema)));
  return r;
}

/**
 * Reads every guide file. Returns the valid ones and, for each file that failed, the ids it may
 * have (its written `id` and its file name), so other guides' `related` can name the real cause.
 */
async function readGuides(state: LoadState): Promise<{ parsed: ParsedGuide[]; failedIds: Map<string, string> }> {
  const guideFiles = await listYaml(join(state.dir, 'guides'));
  if (guideFiles.length === 0) {
    state.problems.push({ file: displayName(join(state.dir, 'guides')), line: 1, col: 1, severity: 'error', message: 'no guide files found' });
  }
  const parsed: ParsedGuide[] = [];
  const failedIds = new Map<string, string>();
  for (const path of guideFiles) {
    state.files.push(relative(state.dir, path));
    const y = await readParsed(state, path, true);
    const r = y ? validateGuide(y) : undefined;
    if (y && r?.ok) {
      parsed.push({ guide: r.value, y });
      continue;
    }
    if (y && r && !r.ok) {
      state.problems.push(...r.problems);
      state.failedFiles.push(y.file);
    }
    const file = displayName(path);
    const rawId = (y?.data as { id?: unknown } | null | undefined)?.id;
    for (const id of [typeof rawId === 'string' ? rawId : undefined, basename(path).replace(/\.ya?ml$/, '')]) {
      if (id && !failedIds.has(id)) failedIds.set(id, file);
    }
  }
  return { parsed, failedIds };
}

/** The bundle, when every file loaded and no error was found. */
function assemble(settings: Settings, guideList: readonly Guide[]): ContentBundle | undefined {
  const { categories, synonyms, intents, domains, officeHours, vi, en } = settings;
  if (!categories || !synonyms || !intents || !domains || !officeHours || !vi || !en) return undefined;
  const order = new Map(categories.categories.map((c, i) => [c.id, i]));
  const sorted = [...guideList].sort((a, b) => (order.get(a.category) ?? 99) - (order.get(b.category) ?? 99));
  return {
    guides: new Map(sorted.map((g) => [g.id, g])),
    guideList: sorted,
    categories: categories.categories,
    messages: { vi, en },
    synonyms,
    intents,
    officeHours,
    officialDomains: domains.official_domains,
  };
}

/** Loads the content directory (`CONTENT_DIR`). */
export async function loadContent(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = options.read ?? readYamlFile;
  const state: LoadState = { dir, read, readGuide: options.readGuide ?? readYamlFileLight, problems: [], files: [], failedFiles: [] };
  const settings = await readSettings(state);
  const { parsed, failedIds } = await readGuides(state);
  const rules: RuleContext = {
    categories: settings.categories ? new Set(settings.categories.categories.map((c) => c.id)) : undefined,
    failedIds,
    officialDomains: settings.domains?.official_domains,
    siteNames: settings.domains?.site_names,
    today: options.today ?? new Date(),
  };
  state.problems.push(...(options.pacer ? await runStepsSliced(checkGuidesSteps(parsed, rules), options.pacer) : checkGuides(parsed, rules)));
  // Guides whose ids collide are not indexed twice: the first wins (and an error is reported).
  const guides = new Map<string, Guide>();
  for (const { guide } of parsed) if (!guides.has(guide.id)) guides.set(guide.id, guide);
  const guideList = [...guides.values()];
  const { problems, files, failedFiles } = state;
  const hasError = problems.some((p) => p.severity === 'error');
  // A broken communes.yaml is reported but never takes the guides down (they load without it).
  const communes = await loadCommunes(dir, displayName, read);
  files.push(...communes.files);
  problems.push(...communes.problems);
  // Canned replies are staff's, optional like the communes: a broken file never takes the guides down.
  const replies = await loadReplies(dir, displayName, new Set(guides.keys()));
  files.push(...replies.files);
  problems.push(...replies.problems);
  const assembled = hasError ? undefined : assemble(settings, guideList);
  const withCommunes = assembled && communes.units ? { ...assembled, communes: communes.units } : assembled;
  const bundle = withCommunes && replies.replies ? { ...withCommunes, replies: replies.replies } : withCommunes;
  return { problems, files, guides: guideList, failedFiles, ...(bundle ? { bundle } : {}) };
}

export { positionOf };
