import type { ParleyEvent, SequencedEvent } from '../../shared/ipc.js';

/**
 * Numbers events and fans them out. A listener that throws is isolated: one broken host
 * (a closed socket, a gone window) must not stop the others from hearing the core.
 */
export class EventBus {
  private seq = 0;
  private readonly listeners = new Set<(event: SequencedEvent) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  /** The sequence number of the last event emitted. */
  get lastSeq(): number {
    return this.seq;
  }

  emit(event: ParleyEvent): SequencedEvent {
    const sequenced = { ...event, seq: ++this.seq } as SequencedEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(sequenced);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return sequenced;
  }

  subscribe(listener: (event: SequencedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
