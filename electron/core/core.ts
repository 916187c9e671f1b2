/**
 * The application core as every host sees it: a command handler per contract command, and an
 * event stream. Hosts never reach past this interface.
 */
import type { CommandName, CommandRequestParsed, CommandResult, FileTransfer, SequencedEvent } from '../../shared/ipc.js';

export type CommandHandlers = {
  [K in CommandName]: (request: CommandRequestParsed<K>) => Promise<CommandResult<K>>;
};

export interface Core {
  readonly commands: CommandHandlers;
  /** Listen to every event from now on; returns the unsubscribe function. */
  subscribe(listener: (event: SequencedEvent) => void): () => void;
  /** Open sockets, register when an account is configured. */
  start(): Promise<void>;
  /** Unregister, close sockets and storage. Safe to call twice. */
  stop(): Promise<void>;
  /** The machine woke from sleep: check the flow, register again. */
  onResume?(): void;
  /** The machine's addresses changed: rebind and register again. */
  onNetworkChange?(): Promise<void>;
  /**
   * Offer the file at `path` (core/files/file-commands.ts): in-process only, for callers that are
   * the user (tests, benchmarks); no contract command reaches it, so no page can name a path.
   */
  sendLocalFile?(to: string, path: string): Promise<FileTransfer>;
  /**
   * A file transfer by its id, of this run or from the history (core/files/file-history.ts): what
   * the shell's "Show in folder" reveals, only a `savedAs` the core checked.
   */
  findFileTransfer?(id: string): FileTransfer | undefined;
}

/** A failure a person should read (wrong input, missing account): hosts pass its message through. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly code: 'invalid-request' | 'not-configured' | 'failed' = 'failed',
  ) {
    super(message);
    this.name = 'UserError';
  }
}
