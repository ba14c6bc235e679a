/**
 * The search port: what the index decides for a citizen's message. Re-exported by ports.ts.
 */
import type { AspectIntent, IntentName } from './guide.ts';

// ── Search ──────────────────────────────────────────────────────────────────

/** What the bot decided to do with one citizen message. */
export type Decision = 'answer' | 'clarify' | 'fallback' | 'handoff' | 'greeting';

/** A guide and how well it matched (higher is better; scale is the index's own). */
export interface RankedGuide {
  readonly id: string;
  readonly score: number;
}

/** The index's answer for one query. */
export interface SearchResult {
  readonly decision: Decision;
  /** Up to 3 guides, best first; present for every decision, empty when nothing matched. */
  readonly guides: readonly RankedGuide[];
  /** 0..1: how sure the index is of `decision` (for answer: of guides[0]). */
  readonly confidence: number;
  /**
   * The intent recognised, when the message is not (only) a guide question. `not-covered` comes
   * only with a fallback: the question names a topic no guide covers. An `ask-*` intent with a
   * fallback and no guides: the message only asks about a part of a guide ("lệ phí bao nhiêu?").
   */
  readonly intent?: IntentName;
  /**
   * The part of a guide the message asks about (fees, time…, problem), when it does, whatever
   * intent came first: "cần giấy tờ chi, sổ hồng có phải photo không" names a topic no guide
   * covers (the intent) and asks about documents (the aspect).
   */
  readonly aspect?: AspectIntent;
  /**
   * The normalised, folded query, for reports: what was matched, except that personal data was
   * masked before normalising (`[email]`, `[mật khẩu]`, `[otp]`, `[sđt]`, `[số]`…).
   */
  readonly normalized: string;
  /** The message was read as English (the dialogue may answer in English). */
  readonly english?: boolean;
  /** A fallback whose first guides are still plausible: offered as "is it one of these?". */
  readonly plausible?: true;
  /** The problem of `guides[0]` (its index in `problems`) the message describes, when one clearly fits. */
  readonly problem?: number;
  /** With an open guide in the context: whether the message is about it, and which of its problems. */
  readonly open?: OpenGuideFit;
}

/** How a message relates to the guide the citizen has open. */
export interface OpenGuideFit {
  readonly id: string;
  /**
   * The message stays on the open guide rather than naming a new topic: it has no topic words
   * of its own, or the open guide explains them as well as any other guide.
   */
  readonly stays: boolean;
  /** The open guide's problem the message describes, when one clearly fits. */
  readonly problem?: number;
  /** The message reports something going wrong ("quét hoài ko nhận"), whichever problem it is. */
  readonly reports?: boolean;
}

/** A searchable index over one content snapshot. Pure and synchronous. */
export interface GuideIndex {
  /** Number of guides indexed. */
  readonly size: number;
  /** Ranks guides for a citizen's message and decides what to do. Never throws. */
  search(query: string, context?: SearchContext): SearchResult;
}

/** What the conversation knows that the message does not say. */
export interface SearchContext {
  /**
   * The app the guide the citizen has open is about ("VNeID"): a vague message that fits no
   * guide ("bị lỗi không vào được") may be about it.
   */
  readonly subject?: string;
  /** The guide the citizen has open (follow-ups and problem reports may be about it). */
  readonly openGuide?: string;
}
