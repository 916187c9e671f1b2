/**
 * The chat's writes, one transaction per turn of the event loop: the sends of a turn are stored
 * together before any goes on the wire, the MESSAGEs received in a turn are stored together before
 * any is answered, and each conversation they touch is updated once. A burst of 32 costs one commit,
 * not 32. Once a batch has committed, the conversations it created or changed are announced.
 */
import type { ParleyEvent } from '../../../shared/ipc.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { Logger } from '../../support/logger.js';

export interface BatchWriterDeps {
  repo: Pick<MessagesRepo, 'transaction' | 'touch' | 'conversation'>;
  emit(event: ParleyEvent): void;
  logger: Logger;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Send {
  write(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Receive {
  store(): unknown;
  after(result: Result<unknown>): void;
}

export class BatchWriter {
  private readonly sends: Send[] = [];
  private readonly receives: Receive[] = [];
  /** Conversations created or changed in the batch being written: announced once it commits. */
  private readonly changed = new Set<string>();
  /** Last activity and new unread messages per conversation in the batch being written. */
  private readonly touches = new Map<string, { at: number; unread: number }>();

  constructor(private readonly deps: BatchWriterDeps) {}

  /** A send's writes, in this turn's batch; resolves with their result once the batch has committed. */
  stored<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.sends.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.sends.length === 1) setImmediate(() => this.writeSends());
    });
  }

  /**
   * A received message's writes, in this turn's batch; `after` runs once the batch has committed
   * (with what `store` returned) or failed, in the order the messages came.
   */
  received<T>(store: () => T, after: (result: Result<T>) => void): void {
    this.receives.push({ store, after: after as (result: Result<unknown>) => void });
    if (this.receives.length === 1) setImmediate(() => this.writeReceives());
  }

  /** A message of the batch changed this conversation: one UPDATE per conversation at the end. */
  touch(conversationId: string, at: number, unread: number): void {
    const known = this.touches.get(conversationId);
    this.touches.set(conversationId, { at: Math.max(at, known?.at ?? at), unread: unread + (known?.unread ?? 0) });
    this.changed.add(conversationId);
  }

  /** A conversation was created or changed: announce it after the current batch (or now, outside one). */
  changedConversation(conversationId: string): void {
    this.changed.add(conversationId);
  }

  /** Announce the conversations created or changed since the last announcement (one event each). */
  announce(): void {
    for (const id of this.changed) {
      const conversation = this.deps.repo.conversation(id);
      if (conversation) this.deps.emit({ type: 'conversation', conversation });
    }
    this.changed.clear();
  }

  /**
   * Sends almost never fail (an unknown conversation), so the batch is first tried as it is; only if
   * one throws is it run again with a savepoint each, so that one fails alone.
   */
  private writeSends(): void {
    const work = this.sends.splice(0);
    let outcomes: Result<unknown>[];
    try {
      outcomes = this.inTransaction(() => work.map((item) => ({ ok: true as const, value: item.write() })));
    } catch {
      try {
        outcomes = this.inTransaction(() =>
          work.map((item): Result<unknown> => {
            // A send that fails takes its in-memory notes with it, as its savepoint takes its rows.
            const touches = new Map(this.touches);
            const changed = new Set(this.changed);
            try {
              return { ok: true, value: this.deps.repo.transaction(item.write) };
            } catch (error) {
              this.restore(touches, changed);
              return { ok: false, error };
            }
          }),
        );
      } catch (error) {
        for (const item of work) item.reject(error);
        return;
      }
    }
    this.announce();
    work.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  private writeReceives(): void {
    const work = this.receives.splice(0);
    let stored: unknown[];
    try {
      stored = this.inTransaction(() => work.map((item) => item.store()));
    } catch (error) {
      this.deps.logger.error('could not store incoming messages', { error });
      for (const item of work) item.after({ ok: false, error });
      return;
    }
    work.forEach((item, i) => item.after({ ok: true, value: stored[i] }));
    this.announce();
  }

  private restore(touches: Map<string, { at: number; unread: number }>, changed: Set<string>): void {
    this.touches.clear();
    for (const [id, touch] of touches) this.touches.set(id, touch);
    this.changed.clear();
    for (const id of changed) this.changed.add(id);
  }

  /** Run a batch's writes and its conversation updates in one transaction; a rollback forgets them. */
  private inTransaction<T>(writes: () => T): T {
    try {
      return this.deps.repo.transaction(() => {
        const result = writes();
        for (const [id, { at, unread }] of this.touches) this.deps.repo.touch(id, at, unread);
        this.touches.clear();
        return result;
      });
    } catch (error) {
      this.touches.clear();
      this.changed.clear();
      throw error;
    }
  }
}
