/**
 * The event bus inside one process (an EventEmitter). Listeners get a copy of the event, as
 * they would from Redis, and a listener that throws is logged without affecting the others.
 */
import { EventEmitter } from 'node:events';
import { silentLogger, type EventBus, type LiveEvent, type Logger } from '../../core/ports.ts';
import { jsonCopy } from '../defaults.ts';

const EVENT = 'live';

/** Options of {@link MemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** Where listener failures are reported. Default: silent. */
  readonly logger?: Logger;
}

/** In-process {@link EventBus}. `publish` never throws. */
export class MemoryEventBus implements EventBus {
  readonly #emitter = new EventEmitter();
  readonly #logger: Logger;

  constructor(options: MemoryEventBusOptions = {}) {
    this.#logger = options.logger ?? silentLogger;
    // The console opens one subscription per open view; do not warn at 10.
    this.#emitter.setMaxListeners(0);
  }

  async publish(event: LiveEvent): Promise<void> {
    this.#emitter.emit(EVENT, event);
  }

  async subscribe(listener: (event: LiveEvent) => void): Promise<() => Promise<void>> {
    const wrapped = (event: LiveEvent): void => {
      try {
        listener(jsonCopy(event));
      } catch (err) {
        this.#logger.error({ err, type: event.type }, 'event listener failed');
      }
    };
    this.#emitter.on(EVENT, wrapped);
    return async () => {
      this.#emitter.off(EVENT, wrapped);
    };
  }

  /** Drops every listener. */
  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}
