/**
 * A sip.js transport that records what the user agent sends; tests inject input through
 * `onMessage`, as our transport does. `last` is the one the latest user agent built.
 */
import { TransportState } from 'sip.js';
import { EmitterImpl } from 'sip.js/lib/api/emitter.js';

export class RecordingTransport {
  static last: RecordingTransport | undefined;
  readonly protocol = 'UDP';
  readonly sent: string[] = [];
  state = TransportState.Connected;
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  constructor() {
    RecordingTransport.last = this;
  }
  connect(): Promise<void> {
    return Promise.resolve();
  }
  disconnect(): Promise<void> {
    return Promise.resolve();
  }
  dispose(): Promise<void> {
    return Promise.resolve();
  }
  isConnected(): boolean {
    return true;
  }
  send(message: string): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
}
