/**
 * Loads `replies.yaml` (staff's canned replies) from the content directory. Optional: a missing
 * file means no canned replies. A broken file is reported with its positions (content:check
 * fails) but never blocks the guides: the bot keeps answering citizens, the console has no
 * canned replies until it is fixed.
 */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { RepliesFileSchema, type CannedReply } from '../core/replies.ts';
import type { ContentProblem } from './problems.ts';
import { positionOf, readYamlFile, validateYaml, type YamlFile } from './yaml-file.ts';

/** The replies file name, relative to the content directory. */
export const REPLIES_FILE = 'replies.yaml';

/** What loading the replies file produced. */
export interface RepliesLoad {
  /** The replies; absent when the file is missing or has errors. */
  readonly replies?: readonly CannedReply[];
  readonly problems: readonly ContentProblem[];
  /** `[REPLIES_FILE]` when the file exists, else empty. */
  readonly files: readonly string[];
}

/** Ids used twice, and linked guides that do not exist, as errors at their place. */
function crossCheck(y: YamlFile, replies: readonly CannedReply[], guideIds: ReadonlySet<string> | undefined): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const seen = new Map<string, number>();
  replies.forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) {
      const { line, col } = positionOf(y, ['replies', i, 'id']);
      problems.push({ file: y.file, line, col, severity: 'error', message: `replies.${i}.id: "${r.id}" is used twice (first at replies.${first}); each shortcut must be unique` });
    } else {
      seen.set(r.id, i);
    }
    if (r.guide !== undefined && guideIds !== undefined && !guideIds.has(r.guide)) {
      const { line, col } = positionOf(y, ['replies', i, 'guide']);
      problems.push({ file: y.file, line, col, severity: 'error', message: `replies.${i}.guide: no guide "${r.guide}" in content/guides` });
    }
    if ((r.text.vi.includes('{link}') || r.text.en.includes('{link}')) && r.guide === undefined) {
      const { line, col } = positionOf(y, ['replies', i, 'text']);
      problems.push({ file: y.file, line, col, severity: 'error', message: `replies.${i}.text: "{link}" needs a "guide" whose link it stands for` });
    }
  });
  return problems;
}

/**
 * Reads and validates `<dir>/replies.yaml`. `guideIds`: the guides that loaded (undefined skips
 * the link check). `display` turns a path into the name used in problems. Never throws.
 */
export async function loadReplies(dir: string, display: (path: string) => string, guideIds?: ReadonlySet<string>): Promise<RepliesLoad> {
  const path = join(dir, REPLIES_FILE);
  try {
    await access(path);
  } catch {
    return { problems: [], files: [] };
  }
  const files = [REPLIES_FILE];
  try {
    const y = await readYamlFile(path, display(path));
    const r = validateYaml(y, RepliesFileSchema);
    if (!r.ok) return { problems: r.problems, files };
    const problems = crossCheck(y, r.value.replies, guideIds);
    return problems.length > 0 ? { problems, files } : { replies: r.value.replies, problems, files };
  } catch (err) {
    return { problems: [{ file: display(path), line: 1, col: 1, severity: 'error', message: `cannot read: ${(err as Error).message}` }], files };
  }
}
