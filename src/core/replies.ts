/**
 * Canned replies (`content/replies.yaml`): short answers staff insert in the console by typing
 * `/` and a few letters. The schema is the single definition of the file; loading and the
 * cross-file check (a linked guide must exist) live in src/content/replies.ts.
 */
import { z } from 'zod';
import { GuideIdSchema } from './guide.ts';

/** Longest text of a canned reply, per language (a staff reply may be longer; this keeps them short). */
export const CANNED_REPLY_TEXT_MAX = 2000;

const text = z.string().trim().min(1, 'must not be empty').max(CANNED_REPLY_TEXT_MAX, `must be at most ${CANNED_REPLY_TEXT_MAX} characters`);

/** One canned reply: its shortcut id, a title staff search, the text in both languages, and an optional guide whose link goes with it. */
export const CannedReplySchema = z.strictObject({
  /** What staff type after `/` (e.g. `/vneid-quen-mat-khau`). */
  id: z
    .string()
    .max(40, 'must be at most 40 characters')
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and hyphens (typed after "/")'),
  /** What staff see in the list (Vietnamese). */
  title: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  /** The text inserted, in the citizen's language; `{link}` is replaced by the guide's official link. */
  text: z.strictObject({ vi: text, en: text }),
  /** A guide of content/guides whose official link is added (at `{link}`, or on a line of its own). */
  guide: GuideIdSchema.optional(),
});
/** A canned reply as written. */
export type CannedReply = z.infer<typeof CannedReplySchema>;

/** `content/replies.yaml`. */
export const RepliesFileSchema = z.strictObject({ replies: z.array(CannedReplySchema) });
/** The replies file as written. */
export type RepliesFile = z.infer<typeof RepliesFileSchema>;

/** A canned reply's text in one language, with its guide's link at `{link}` (or on a line of its own). */
export function cannedReplyText(reply: CannedReply, lang: 'vi' | 'en', link: string | undefined): string {
  const text = reply.text[lang];
  if (!link) return text.replaceAll('{link}', '').trim();
  return text.includes('{link}') ? text.replaceAll('{link}', link) : `${text}\n${link}`;
}
