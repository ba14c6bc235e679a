/**
 * A content reload on one instance reaches all of them. When an instance loads new content
 * (its watcher saw the files change, SIGHUP, the Editors page), it says so on a signal every
 * instance hears; the others reload from their own CONTENT_DIR (a shared volume, or the same
 * deployed files) unless they already have that version. A reload started this way is not
 * announced again, so signals never bounce.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/ports.ts';
import type { ContentManager } from './manager.ts';

/** The signal the instances share (stores/redis/redis-signal.ts). */
export interface ReloadSignal {
  publish(message: string): Promise<void>;
  subscribe(listener: (message: string) => void): Promise<() => Promise<void>>;
}

/** Announces this instance's reloads and follows the others'. Resolves a function that stops it. */
export async function shareContentReloads(content: ContentManager, signal: ReloadSignal, logger: Logger): Promise<() => Promise<void>> {
  const me = randomUUID();
  let following = false;
  const stopAnnouncing = content.onReload((o) => {
    if (!o.ok || following) return;
    void signal.publish(JSON.stringify({ by: me, version: o.version }));
  });
  const unsubscribe = await signal.subscribe((raw) => {
    let m: { by?: unknown; version?: unknown };
    try {
      m = JSON.parse(raw) as typeof m;
    } catch {
      return;
    }
    if (m.by === me || typeof m.version !== 'string' || (content.loaded && content.current().version === m.version)) return;
    logger.info({ version: m.version }, 'content reloaded on another instance: reloading here');
    following = true;
    void content.reload().finally(() => {
      following = false;
    });
  });
  return async () => {
    stopAnnouncing();
    await unsubscribe();
  };
}
