/**
 * The notices on screen, one per key (shared/notify/notices.ts): showing one under a key takes the
 * older one down, a read conversation's is taken back, and one that closed by itself is forgotten.
 * Holding them also keeps them referenced (a collected Electron Notification loses its handlers).
 * Used by the shell's native notifications and the browser host's Web Notifications.
 */
export interface NoticeShelf<T extends { close(): void }> {
  /** Take down what `key` showed and keep `shown` in its place. */
  put(key: string, shown: T): void;
  /** Take down and forget what `key` shows. */
  withdraw(key: string): void;
  /** `shown` closed or was clicked: forget it, unless a newer one took its key. */
  forget(key: string, shown: T): void;
  /** Take everything down (quitting). */
  clear(): void;
}

export function createNoticeShelf<T extends { close(): void }>(): NoticeShelf<T> {
  const live = new Map<string, T>();
  const withdraw = (key: string) => {
    const shown = live.get(key);
    live.delete(key);
    shown?.close();
  };
  return {
    put(key, shown) {
      withdraw(key);
      live.set(key, shown);
    },
    withdraw,
    forget(key, shown) {
      if (live.get(key) === shown) live.delete(key);
    },
    clear() {
      for (const key of [...live.keys()]) withdraw(key);
    },
  };
}
