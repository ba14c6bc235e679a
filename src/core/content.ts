/**
 * The loaded content as the engine sees it: one immutable snapshot, swapped whole on reload.
 */
import type {
  Category,
  Guide,
  IntentsFile,
  MessagesFile,
  OfficeHoursFile,
  SynonymsFile,
} from './guide.ts';
import type { CommuneFinder, CommuneUnit } from './communes.ts';
import type { GuideIndex } from './ports.ts';
import type { CannedReply } from './replies.ts';
import type { Lang } from './types.ts';

/** Everything editors wrote, validated. */
export interface ContentBundle {
  /** Guides by id. */
  readonly guides: ReadonlyMap<string, Guide>;
  /** Guides in a stable order (category order, then file order). */
  readonly guideList: readonly Guide[];
  readonly categories: readonly Category[];
  readonly messages: Readonly<Record<Lang, MessagesFile>>;
  readonly synonyms: SynonymsFile;
  readonly intents: IntentsFile;
  readonly officeHours: OfficeHoursFile;
  readonly officialDomains: readonly string[];
  /** The 2025 commune arrangement (`communes.yaml`), when the file is there and valid. */
  readonly communes?: readonly CommuneUnit[];
  /** Staff's canned replies (`replies.yaml`), when the file is there and valid. */
  readonly replies?: readonly CannedReply[];
}

/** A content bundle with the search index built over it. */
export interface ContentSnapshot {
  readonly content: ContentBundle;
  readonly index: GuideIndex;
  /** Reads "my old ward is now which ward?" questions; absent without `communes.yaml`. */
  readonly communes?: CommuneFinder;
  /** Epoch ms when it was loaded. */
  readonly loadedAtMs: number;
  /** A short hash of the content, for logs and the console. */
  readonly version: string;
}
