// The console page's shared state and a tiny event hub between its modules. It imports
// nothing, so the modules can all import it without a circle.

/** What the page knows; modules read and write it, and say so with emit(). */
export const state = {
  me: null,
  /**
   * The queue as shown: the first `waitingShown` waiting tickets and every active one, kept up
   * to date by the live events' deltas; `counts` are the queue's totals; `ticketsAtMs` when the
   * page was read (the office-hours waits were computed then; a delta's ticket has `readAtMs`).
   */
  tickets: [],
  ticketsAtMs: 0,
  counts: { waiting: 0, active: 0 },
  waitingShown: 50,
  settings: { waitAmberMs: 5 * 60_000, waitRedMs: 15 * 60_000, office: { open: true }, noteLimit: 4000 },
  /** 'queue' or 'history' (the left pane). */
  view: 'queue',
  /** The live conversation open on the right (id and data), or a past case of the history. */
  openId: null,
  open: null,
  caseView: null,
  replies: [],
  guides: [],
  colleagues: [],
  labels: [],
  events: null,
  timers: {},
};

const listeners = new Map();

/** Calls `fn` whenever `name` is emitted. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
}

/** Tells every listener of `name`. */
export function emit(name, ...args) {
  for (const fn of listeners.get(name) || []) fn(...args);
}
