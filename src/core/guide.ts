/**
 * The guide format: the single definition of what editors write under `content/`.
 * Zod schemas (pure, no I/O) from which every TypeScript type of the content derives.
 * Loading files and reporting positions lives in `src/content`; this file only says what is valid.
 */
import { z } from 'zod';

/** Guide ids: lower-case words joined by hyphens, short enough for platform button payloads. */
export const GUIDE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Longest guide id accepted (keeps every button payload well under Telegram's 64-byte limit). */
export const GUIDE_ID_MAX_LENGTH = 40;
/** Minimum sample questions per guide (they feed retrieval and the self-retrieval check). */
export const MIN_QUESTIONS_PER_GUIDE = 5;

const text = z.string().trim().min(1, 'must not be empty');
/** A calendar date written `YYYY-MM-DD` (YAML may also hand us a Date object). */
const isoDate = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD'),
);
const url = z.string().trim().url('must be a full URL (https://…)');

export const GuideIdSchema = z
  .string()
  .max(GUIDE_ID_MAX_LENGTH, `must be at most ${GUIDE_ID_MAX_LENGTH} characters`)
  .regex(GUIDE_ID_PATTERN, 'must be lower-case letters, digits and hyphens (e.g. id-card-issue)');

export const StepSchema = z.strictObject({
  /** One short instruction: one action. */
  text,
  /** Optional extra explanation shown under the instruction. */
  detail: text.optional(),
  /** Optional link for this step (shown as a button where the channel can). */
  link: url.optional(),
});

export const LinkSchema = z.strictObject({ title: text, url });

/** The English words of a place or contact (the rest – address, phone, url – is the same in both). */
export const PlaceEnglishSchema = z.strictObject({
  name: text.optional(),
  hours: text.optional(),
  note: text.optional(),
});

export const PlaceSchema = z.strictObject({
  name: text,
  address: text.optional(),
  url: url.optional(),
  hours: text.optional(),
  /** Shown to the citizen under the place (one short sentence). */
  note: text.optional(),
  en: PlaceEnglishSchema.optional(),
});

export const ContactSchema = z.strictObject({
  name: text,
  phone: text.optional(),
  url: url.optional(),
  note: text.optional(),
  en: PlaceEnglishSchema.omit({ hours: true }).optional(),
});

/**
 * Something that goes wrong with a procedure, as the citizen sees it ("không nhận được mã OTP",
 * "bị trừ tiền 2 lần"), and what to do about it. A problem report finds the guide by its `signs`
 * and is answered with `answer`, never by restarting the steps.
 */
export const ProblemSchema = z.strictObject({
  /** Short, as a button label: what the citizen sees. */
  title: text,
  /** How citizens describe it: short phrases, searched like keywords. */
  signs: z.array(text).min(1, 'needs at least one sign (how citizens say it)'),
  /** What to do and whom to call: short numbered lines. */
  answer: text,
  en: z.strictObject({
    title: text,
    /** English phrases citizens use for it (optional; the Vietnamese signs always count). */
    signs: z.array(text).optional(),
    answer: text,
  }),
});

export const EnglishBlockSchema = z.strictObject({
  title: text,
  /** English words and short phrases people use for this guide; searched like the English title. */
  keywords: z.array(text).optional(),
  summary: text,
  steps: z.array(StepSchema).min(1, 'the English block needs at least one step'),
  documents: z.array(text).optional(),
  fees: text.optional(),
  processing_time: text.optional(),
});

export const GuideSchema = z
  .strictObject({
    id: GuideIdSchema,
    title: text,
    /** One or two short lines shown before the steps. */
    summary: text,
    category: GuideIdSchema,
    keywords: z.array(text).min(1, 'needs at least one keyword'),
    questions: z
      .array(text)
      .min(MIN_QUESTIONS_PER_GUIDE, `needs at least ${MIN_QUESTIONS_PER_GUIDE} sample questions`),
    steps: z.array(StepSchema).min(1, 'needs at least one step'),
    documents: z.array(text).default([]),
    fees: text.optional(),
    processing_time: text.optional(),
    where: z.array(PlaceSchema).default([]),
    contacts: z.array(ContactSchema).default([]),
    /** What goes wrong and what to do (problem reports are answered from here). */
    problems: z.array(ProblemSchema).default([]),
    links: z.array(LinkSchema).min(1, 'needs at least one official link'),
    sources: z.array(url).min(1, 'needs at least one source URL'),
    reviewed: isoDate,
    review_every_days: z.number().int().positive().optional(),
    review_by: isoDate.optional(),
    related: z.array(GuideIdSchema).default([]),
    /** The English version (title, summary and steps at least). */
    en: EnglishBlockSchema,
  })
  .refine((g) => g.review_every_days !== undefined || g.review_by !== undefined, {
    message: 'needs review_every_days or review_by',
    path: ['review_every_days'],
    // Also when other fields are wrong, so that one run reports every problem of the file.
    when: (payload) => hasNoReviewField(payload.value),
  });

/** True for a map that has neither review field (anything else is for the schema to report). */
function hasNoReviewField(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return v.review_every_days === undefined && v.review_by === undefined;
}

export type GuideStep = z.infer<typeof StepSchema>;
export type GuideLink = z.infer<typeof LinkSchema>;
export type GuidePlace = z.infer<typeof PlaceSchema>;
export type GuideContact = z.infer<typeof ContactSchema>;
export type GuideProblem = z.infer<typeof ProblemSchema>;
export type Guide = z.infer<typeof GuideSchema>;

/** `content/categories.yaml`: the topic menu, in display order. */
export const CategorySchema = z.strictObject({
  id: GuideIdSchema,
  title: text,
  en: text,
  emoji: z.string().optional(),
});
export const CategoriesFileSchema = z.strictObject({ categories: z.array(CategorySchema).min(1) });
export type Category = z.infer<typeof CategorySchema>;

/**
 * `content/synonyms.yaml`: abbreviations and synonyms. Each key is a token (or short phrase)
 * citizens type; each value lists what it means. Several meanings = ambiguous, all are tried.
 */
export const SynonymsFileSchema = z.strictObject({
  synonyms: z.record(z.string().min(1), z.array(text).min(1)),
  /** Query-only stop words: dropped from questions before ranking. */
  stopwords: z.array(text).default([]),
  /**
   * Names of apps and systems (one word each, e.g. VNeID, VssID): a question that names one of
   * them is not about a guide whose title names only others.
   */
  subjects: z.array(z.string().regex(/^\S+$/, 'one word')).max(30).default([]),
});
export type SynonymsFile = z.infer<typeof SynonymsFileSchema>;

/** `content/intents.yaml`: what the citizen wants that is not a guide (a person, a greeting…). */
/**
 * `not-covered` lists procedures the guides do not cover ("sang tên sổ đỏ", "hộ chiếu"): a
 * question naming one gets an honest "no guide for this" instead of the nearest guide, unless a
 * guide's own keyword phrase is in it too.
 */
/**
 * `bot-question`: "is this a bot or a real person?": told it is an automatic assistant, and a
 * person offered (yes/no).
 */
/**
 * `ask-fees`, `ask-time`, `ask-documents`, `ask-where`: a follow-up about one part of a guide
 * ("lệ phí bao nhiêu?", "mất bao lâu?"). Alone, it is about the guide the citizen has open.
 */
export const IntentNameSchema = z.enum([
  'handoff',
  'frustration',
  'bot-question',
  'greeting',
  'thanks',
  'scam-report',
  'not-covered',
  'ask-fees',
  'ask-time',
  'ask-documents',
  'ask-where',
  'ask-problem',
]);
/**
 * The follow-up intents, each naming the part of a guide asked about; `ask-problem`: something
 * went wrong with the procedure ("bị từ chối", "không nhận được OTP"), answered from `problems`.
 */
export const ASPECT_INTENTS = ['ask-fees', 'ask-time', 'ask-documents', 'ask-where', 'ask-problem'] as const;
export type AspectIntent = (typeof ASPECT_INTENTS)[number];
export function isAspectIntent(name: string | undefined): name is AspectIntent {
  return name !== undefined && (ASPECT_INTENTS as readonly string[]).includes(name);
}
export const IntentsFileSchema = z.strictObject({
  intents: z.partialRecord(
    IntentNameSchema,
    z.strictObject({
      phrases: z.array(text).min(1),
      /**
       * Words that, right before a phrase, mean the intent is not meant: "sợ bị lừa" (afraid of
       * being scammed) is a question about scams, not a report of one.
       */
      unless_after: z.array(text).optional(),
      /**
       * Word pairs that also mean the intent: a word (or phrase) of `first` followed, at most
       * `within` words later, by one of `then` ("cho gặp … quản lý", "talk to a … person").
       */
      pairs: z
        .array(
          z.strictObject({
            first: z.array(text).min(1),
            then: z.array(text).min(1),
            within: z.number().int().min(0).max(6).default(3),
          }),
        )
        .optional(),
    }),
  ),
  /**
   * Signs that a message inside an open guide reports something going wrong, however it is put
   * ("quét hoài ko nhận", "I forgot my password"): such a message gets the guide's problems,
   * not its steps again. `words` report trouble alone ("lỗi", "hoài", "expired"); a word of
   * `negations` does when a word follows it that is neither padding (a stop word) nor one of
   * `not_before` ("ko nhận" reports, "được không", "không hay" only ask).
   */
  trouble: z
    .strictObject({
      words: z.array(text).default([]),
      negations: z.array(text).default([]),
      not_before: z.array(text).default([]),
    })
    .optional(),
});
export type IntentName = z.infer<typeof IntentNameSchema>;
export type IntentsFile = z.infer<typeof IntentsFileSchema>;

/**
 * A site citizens know by name, and the domains it lives on: a link whose title names the site
 * but points elsewhere is a warning ("Cổng Dịch vụ công Bộ Công an" on dichvucong.dancuquocgia.gov.vn).
 */
export const SiteNameSchema = z.strictObject({
  /** The name as titles write it (matched without diacritics or case). */
  name: text,
  /** Domains of the site (a sub-domain of one is accepted). */
  domains: z.array(text).min(1),
});
/** A known site name and its domains. */
export type SiteName = z.infer<typeof SiteNameSchema>;

/** `content/domains.yaml`: official domains links may point to (others are a warning). */
export const DomainsFileSchema = z.strictObject({
  official_domains: z.array(text).min(1),
  /** Known site names → their domains (for the title/domain check of links). */
  site_names: z.array(SiteNameSchema).default([]),
});

/** `content/office-hours.yaml`: when staff answer (time zone Asia/Ho_Chi_Minh). */
export const OfficeHoursFileSchema = z.strictObject({
  time_zone: z.string().default('Asia/Ho_Chi_Minh'),
  /** Weekday (mon…sun) → list of "HH:MM-HH:MM" ranges. Missing day = closed. */
  hours: z.partialRecord(
    z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    z.array(z.string().regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'must be HH:MM-HH:MM')),
  ),
  holidays: z.array(z.strictObject({ date: isoDate, name: text })).default([]),
});
export type OfficeHoursFile = z.infer<typeof OfficeHoursFileSchema>;

/** `content/messages/<lang>.yaml`: every sentence the bot itself says, by key. */
export const MessagesFileSchema = z.record(z.string().regex(/^[a-z0-9_.]+$/), z.string());
export type MessagesFile = z.infer<typeof MessagesFileSchema>;
