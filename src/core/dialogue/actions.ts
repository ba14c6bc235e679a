/**
 * Actions behind option buttons and typed numbers. Stored in the conversation's menu as short
 * strings (`g:id-card-issue`, `st:id-card-issue:3`), so a button keeps its meaning after a
 * restart and the stored state stays small. Platforms only ever see option numbers.
 */

/** The part of a guide a follow-up asks about ("lệ phí bao nhiêu?", "bị từ chối thì sao?"). */
export type Aspect = 'fees' | 'time' | 'documents' | 'where' | 'problem';
const ASPECTS: readonly string[] = ['fees', 'time', 'documents', 'where', 'problem'];

/** Everything a button or a typed number can ask for. */
export type Action =
  | { type: 'menu' }
  | { type: 'category'; categoryId: string }
  | { type: 'guide'; guideId: string; aspect?: Aspect }
  | { type: 'step'; guideId: string; step: number }
  | { type: 'all'; guideId: string }
  | { type: 'info'; guideId: string }
  | { type: 'feedback'; guideId: string; helpful: boolean }
  | { type: 'handoff' }
  | { type: 'handoff-answer'; yes: boolean }
  | { type: 'erase-answer'; yes: boolean }
  | { type: 'cancel' }
  | { type: 'rate'; score: number }
  | { type: 'help' }
  | { type: 'clarify-none' }
  | { type: 'problem'; guideId: string; index: number }
  | { type: 'problems'; guideId: string }
  /** A commune option: a new unit (`index` absent) or one of its predecessors (`index` ≥ 0); see CommuneFinder.pick. */
  | { type: 'commune'; unitId: string; index?: number };

/** Commune unit ids as `communeId` writes them (`phuong-cai-khe`). */
const COMMUNE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Encodes an action as its stored string. */
export function encodeAction(a: Action): string {
  switch (a.type) {
    case 'menu':
    case 'handoff':
    case 'cancel':
    case 'help':
    case 'clarify-none':
      return a.type;
    case 'category':
      return `cat:${a.categoryId}`;
    case 'guide':
      return a.aspect ? `g:${a.guideId}:${a.aspect}` : `g:${a.guideId}`;
    case 'step':
      return `st:${a.guideId}:${a.step}`;
    case 'all':
      return `all:${a.guideId}`;
    case 'info':
      return `info:${a.guideId}`;
    case 'feedback':
      return `fb:${a.guideId}:${a.helpful ? 'up' : 'down'}`;
    case 'handoff-answer':
      return `ho:${a.yes ? 'yes' : 'no'}`;
    case 'erase-answer':
      return `er:${a.yes ? 'yes' : 'no'}`;
    case 'rate':
      return `rate:${a.score}`;
    case 'problem':
      return `pb:${a.guideId}:${a.index}`;
    case 'problems':
      return `pbs:${a.guideId}`;
    case 'commune':
      return a.index !== undefined ? `cm:${a.unitId}:${a.index}` : `cm:${a.unitId}`;
  }
}

/** Decodes a stored action string; null when it is not one (stale or tampered state). */
export function decodeAction(s: string): Action | null {
  const [head, a, b] = s.split(':');
  switch (head) {
    case 'menu':
    case 'handoff':
    case 'cancel':
    case 'help':
    case 'clarify-none':
      return { type: head };
    case 'cat':
      return a ? { type: 'category', categoryId: a } : null;
    case 'g':
      if (!a) return null;
      return b !== undefined && ASPECTS.includes(b) ? { type: 'guide', guideId: a, aspect: b as Aspect } : { type: 'guide', guideId: a };
    case 'st': {
      const step = Number(b);
      return a && Number.isInteger(step) && step > 0 ? { type: 'step', guideId: a, step } : null;
    }
    case 'all':
      return a ? { type: 'all', guideId: a } : null;
    case 'info':
      return a ? { type: 'info', guideId: a } : null;
    case 'fb':
      return a && (b === 'up' || b === 'down') ? { type: 'feedback', guideId: a, helpful: b === 'up' } : null;
    case 'ho':
      return a === 'yes' || a === 'no' ? { type: 'handoff-answer', yes: a === 'yes' } : null;
    case 'er':
      return a === 'yes' || a === 'no' ? { type: 'erase-answer', yes: a === 'yes' } : null;
    case 'rate': {
      const score = Number(a);
      return Number.isInteger(score) && score >= 1 && score <= 5 ? { type: 'rate', score } : null;
    }
    case 'pb': {
      const index = Number(b);
      return a && Number.isInteger(index) && index >= 0 ? { type: 'problem', guideId: a, index } : null;
    }
    case 'pbs':
      return a ? { type: 'problems', guideId: a } : null;
    case 'cm': {
      if (!a || !COMMUNE_ID.test(a)) return null;
      if (b === undefined) return { type: 'commune', unitId: a };
      const index = Number(b);
      return /^\d+$/.test(b) && Number.isSafeInteger(index) ? { type: 'commune', unitId: a, index } : null;
    }
    default:
      return null;
  }
}
