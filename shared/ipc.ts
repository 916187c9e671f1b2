/**
 * The one contract between Parley's core and every host (Electron IPC, browser WebSocket, CLI JSON lines).
 * Commands are request -> result value; events flow from the core to the UI, each with a sequence number.
 * Everything here is plain data, validated at runtime at every host boundary with these schemas.
 * No DOM, no Node, no Electron.
 */
import { z } from 'zod';
import { AccountConfig, AccountView, TransportKind } from './domain/account.js';
import { ChatMessage, Conversation } from './domain/message.js';
import {
  chatCommands,
  ChatModeEvent,
  ComposingEvent,
  ConversationEvent,
  DeliveryEvent,
  MessageEvent,
  RelayEvent,
} from './contract/chat.js';
import { Reason } from './domain/reason.js';
import { fileCommands, FileTransferEvent } from './contract/files.js';
import { PresenceSnapshot, presenceCommands, presenceEvents } from './contract/presence.js';
import { shellCommands, type ShellRequest } from './contract/shell.js';
import { DevicesEvent, DevicesSnapshot, devicesCommands } from './contract/devices.js';
import { RegistrationState } from './domain/registration.js';
import type { CommandNameList } from './channels.js';

export * from './domain/index.js';
export * from './contract/chat.js';
export * from './contract/files.js';
export * from './contract/presence.js';
export * from './contract/shell.js';
export * from './contract/devices.js';

export const ListeningAddress = z.object({
  transport: TransportKind,
  host: z.string(),
  port: z.number().int(),
  /** The URI others can use to reach Parley directly. */
  uri: z.string(),
});
export type ListeningAddress = z.infer<typeof ListeningAddress>;

export const Snapshot = z.object({
  /** Sequence number of the last event already reflected in this snapshot. */
  seq: z.number().int().nonnegative(),
  account: AccountView.nullable(),
  registration: RegistrationState,
  listening: z.array(ListeningAddress),
  conversations: z.array(Conversation),
  /**
   * The most recent messages of the most recently active conversations and the latest one of each
   * other conversation, oldest first (getMessages gives the rest).
   */
  messages: z.array(ChatMessage),
  presence: PresenceSnapshot,
  /** The composer's unsent text per conversation id (saveDraft). */
  drafts: z.record(z.string(), z.string()),
  /** Peers (normalised addresses) with an open chat session; `chat-mode` events tell what changes. */
  sessionPeers: z.array(z.string()).optional(),
  /** Why the account's MSRP relay carries no chat session now, else null; `relay` events tell what changes. */
  relayProblem: Reason.nullable().optional(),
  /** The account's devices and this one's name; `devices` events tell what changes. */
  devices: DevicesSnapshot.optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

const Empty = z.object({}).strict();

/** Every command: its request schema and its result schema. */
export const commands = {
  getSnapshot: { request: Empty, result: Snapshot },
  setAccount: {
    request: z.object({ account: AccountConfig, password: z.string().max(256).optional() }).strict(),
    result: AccountView,
  },
  removeAccount: { request: Empty, result: z.object({ removed: z.boolean() }) },
  register: { request: Empty, result: RegistrationState },
  unregister: { request: Empty, result: RegistrationState },
  ...chatCommands,
  ...fileCommands,
  ...presenceCommands,
  ...shellCommands,
  ...devicesCommands,
} as const;

export type CommandName = keyof typeof commands;
export const commandNames = Object.keys(commands) as CommandName[];
// The preload's zod-free name list must name exactly these commands.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _namesAgree: Same<CommandNameList, CommandName> = true;
void _namesAgree;
export type CommandRequest<K extends CommandName> = z.input<(typeof commands)[K]['request']>;
export type CommandRequestParsed<K extends CommandName> = z.output<(typeof commands)[K]['request']>;
export type CommandResult<K extends CommandName> = z.output<(typeof commands)[K]['result']>;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

/** Errors are values, never exceptions across a host boundary. */
export const ErrorCode = z.enum(['invalid-request', 'unknown-command', 'not-configured', 'failed', 'internal']);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const CommandError = z.object({ code: ErrorCode, message: z.string() });
export type CommandError = z.infer<typeof CommandError>;

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: CommandError };

// ---- events (core -> UI) ----

export const RegistrationEvent = RegistrationState.extend({ type: z.literal('registration'), aor: z.string().optional() });
export const ListeningEvent = z.object({ type: z.literal('listening'), addresses: z.array(ListeningAddress) });
export const AccountEvent = z.object({ type: z.literal('account'), account: AccountView.nullable() });
export const NoticeEvent = z.object({
  type: z.literal('notice'),
  level: z.enum(['info', 'warning', 'error']),
  text: z.string(),
});

export const ParleyEvent = z.discriminatedUnion('type', [
  RegistrationEvent,
  MessageEvent,
  DeliveryEvent,
  ListeningEvent,
  AccountEvent,
  NoticeEvent,
  ConversationEvent,
  ComposingEvent,
  ChatModeEvent,
  RelayEvent,
  FileTransferEvent,
  ...presenceEvents,
  DevicesEvent,
]);
export type ParleyEvent = z.infer<typeof ParleyEvent>;
export type ParleyEventOf<T extends ParleyEvent['type']> = Extract<ParleyEvent, { type: T }>;

/** An event as delivered: numbered so a UI can drop what its snapshot already holds. */
export type SequencedEvent = ParleyEvent & { seq: number };

/**
 * What the renderer sees as `window.parley` (preload in Electron, a WebSocket bridge in a browser):
 * one function per command, plus onEvent.
 */
export type ParleyApi = {
  [K in CommandName]: (request: CommandRequest<K>) => Promise<Outcome<CommandResult<K>>>;
} & {
  onEvent(listener: (event: SequencedEvent) => void): () => void;
  /** Requests from a desktop shell (Electron only; absent in a browser). Validate before acting. */
  onShell?(listener: (request: ShellRequest) => void): () => void;
};

export { COMMAND_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_SHELL_CHANNEL } from './channels.js';

/** Browser host wire format over WebSocket. */
export const WsRequest = z.object({ id: z.number().int(), command: z.string(), request: z.unknown() });
export type WsRequest = z.infer<typeof WsRequest>;
/**
 * What the browser host sends: a command's result, or the core's events in order. The events of one
 * turn of the host's event loop travel as one frame (a presence storm is thousands a second).
 */
export type WsServerFrame = { kind: 'result'; id: number; outcome: Outcome<unknown> } | { kind: 'events'; events: SequencedEvent[] };
