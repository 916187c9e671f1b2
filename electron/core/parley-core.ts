/**
 * Parley's core: owns the account's SIP endpoint, its registration and the conversations, and
 * answers the contract's commands. Hosts reach it only through the Core interface.
 */
import os from 'node:os';
import type { AccountConfig, FileTransfer, Reason, RegistrationState } from '../../shared/ipc.js';
import { wordReason } from '../../shared/words/word-reason.js';
import type { MessagesRepo } from '../storage/messages-repo.js';
import type { FileHistoryRepo } from '../storage/file-history-repo.js';
import type { HistoryClient } from '../storage/history/history-client.js';
import type { PeerOptionsRepo } from '../storage/peer-options-repo.js';
import type { ReceiptsOwedRepo } from '../storage/receipts-owed-repo.js';
import type { DraftsRepo } from '../storage/drafts-repo.js';
import type { PresenceRepo } from '../storage/presence-repo.js';
import { instanceId } from './account/instance-id.js';
import { OwnDevices } from './devices/own-devices.js';
import type { SettingsRepo } from '../storage/settings-repo.js';
import type { SecretBox } from '../storage/file-secret-box.js';
import { AccountStore, accountView } from './account/account-store.js';
import { Endpoint, splitHostPort } from './account/endpoint.js';
import { FlowMonitor } from './account/flow-monitor.js';
import { Registration } from './account/registration.js';
import type { Clock } from '../support/clock.js';
import { UserError, type CommandHandlers, type Core } from './core.js';
import { EventBus } from './event-bus.js';
import type { Logger } from '../support/logger.js';
import { Messaging } from './conversations/messaging.js';
import { ACCEPTED_TYPES, mediaType } from './conversations/content/incoming-content.js';
import { ChatSessions } from './sessions/chat-sessions.js';
import { fileHandlers } from './files/file-commands.js';
import { FileTransfers } from './files/file-transfers.js';
import { FileHistory } from './files/file-history.js';
import { StagedUploads } from './files/staged-uploads.js';
import { chatHandlers } from './conversations/chat-commands.js';
import { historyHandlers } from './conversations/history-commands.js';
import { shellDefaults } from './shell-defaults.js';
import { PresenceService } from './presence/presence-service.js';
import { STATUS_NOTE_TYPE } from './presence/status-sync.js';
import { parseSipUri } from '../sip/transport/next-hop.js';

/**
 * What the snapshot carries of history: the latest SNAPSHOT_MESSAGES of the SNAPSHOT_CONVERSATIONS
 * most recently active conversations, and of every other the latest one (the list's preview). A
 * window opens at once, and a long history does not make every start and every window slower
 * (all 50 of 500 conversations were 22,000 messages: bench history); another conversation's page
 * comes from getMessages when it is opened.
 */
const SNAPSHOT_MESSAGES = 50;
const SNAPSHOT_CONVERSATIONS = 20;

export interface ParleyCoreDeps {
  settings: SettingsRepo;
  messages: MessagesRepo;
  /** File transfers in the conversations' history (core/files/file-history.ts). */
  fileHistory: FileHistoryRepo;
  /** Paging, search and export of history, answered off the main event loop. */
  history: HistoryClient;
  peerOptions: PeerOptionsRepo;
  receiptsOwed: ReceiptsOwedRepo;
  /** The composer's unsent text per conversation. */
  drafts: DraftsRepo;
  presence: PresenceRepo;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  listen: string;
  /** Whether to register at start when the account has a proxy. */
  register: boolean;
  /** Account from the command line: used instead of the stored one, never stored. */
  accountOverride?: { account: AccountConfig; password?: string };
  /** Keep-alive timing (tests shorten it). */
  keepAlive?: { intervalMs?: number; pongTimeoutMs?: number };
  /**
   * MESSAGE transactions in flight per conversation, the outbox's inFlightLimit (default 8; the
   * transport benchmark uses 32). Named for the hosts and bench/ that pass it.
   */
  sendWindow?: number;
  /** Where received files go until the user chooses a folder. */
  downloadsDir: string;
  /** Where the copies of files the window sends are kept until their transfer ends (staged-uploads.ts). */
  uploadsDir: string;
  /** Called after stop() to release storage. */
  close(): void;
}

export class ParleyCore implements Core {
  readonly commands: CommandHandlers;
  private readonly bus: EventBus;
  private readonly store: AccountStore;
  private readonly messaging: Messaging;
  /** Session-mode chat: MSRP sessions that carry what Messaging would page. */
  private readonly sessions: ChatSessions;
  /** File transfers (RFC 5547), on the chat sessions' MSRP listener. */
  private readonly files: FileTransfers;
  /** The transfers kept in the conversations' history, across restarts. */
  private readonly fileHistory: FileHistory;
  /** Files the window hands over by their bytes, before `sendFile` offers them. */
  private readonly uploads: StagedUploads;
  /** Our status served to watchers, buddies watched, and in server mode our publication. */
  private readonly presence: PresenceService;
  private readonly devices: OwnDevices;
  private account?: AccountConfig;
  private password?: string;
  private endpoint?: Endpoint;
  private registration?: Registration;
  private monitor?: FlowMonitor;
  private registrationState: RegistrationState = { state: 'unregistered' };
  private listen: string;
  private stopped = false;
  /** Serialises account changes so two quick edits cannot interleave socket work. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ParleyCoreDeps) {
    this.bus = new EventBus((error) => deps.logger.warn('event listener failed', { error }));
    this.store = new AccountStore(deps.settings, deps.secretBox);
    this.listen = deps.listen;
    this.sessions = new ChatSessions({
      clock: deps.clock,
      logger: deps.logger,
      settings: deps.settings,
      repo: deps.messages,
      preferSessions: () => this.messaging.chatSettings().preferSessionMode,
      acceptTypes: ACCEPTED_TYPES,
      acceptWrappedTypes: ACCEPTED_TYPES.filter((type) => type !== 'message/cpim'),
      deliver: (incoming) => this.messaging.onIncoming(incoming),
      emit: (event) => this.bus.emit(event),
    });
    this.files = new FileTransfers({
      clock: deps.clock,
      logger: deps.logger,
      settings: deps.settings,
      sessions: this.sessions,
      endpoint: () => this.endpoint,
      defaultDownloadsDir: deps.downloadsDir,
      emit: (event) => this.bus.emit(event),
      conversationWith: (peer) => void this.messaging.openConversation(peer),
      record: (transfer, part) => this.fileHistory.record(transfer, part),
    });
    this.fileHistory = new FileHistory({
      repo: deps.fileHistory,
      messages: deps.messages,
      conversationWith: (peer) => this.messaging.openConversation(peer),
      ourAddress: () => this.endpoint?.aor ?? this.account?.aor ?? '',
      downloadsDir: () => this.files.settings().downloadsDir,
      emit: (event) => this.bus.emit(event),
      logger: deps.logger,
    });
    this.uploads = new StagedUploads(deps.uploadsDir);
    this.messaging = new Messaging({
      sessions: this.sessions,
      repo: deps.messages,
      peerOptions: deps.peerOptions,
      receiptsOwed: deps.receiptsOwed,
      settings: deps.settings,
      ...(deps.sendWindow !== undefined ? { inFlightLimit: deps.sendWindow } : {}),
      endpoint: () => this.endpoint,
      clock: deps.clock,
      emit: (event) => this.bus.emit(event),
      logger: deps.logger,
      fromOwnServer: (request) => {
        const source = request.viaBranch ? this.endpoint?.transport.sourceOf(request.viaBranch) : undefined;
        return source !== undefined && (this.monitor?.isServer(source) ?? false);
      },
    });
    this.presence = new PresenceService({
      repo: deps.presence,
      clock: deps.clock,
      logger: deps.logger,
      emit: (event) => this.bus.emit(event),
      ownDevices: {
        accountAddress: () => this.messaging.ownDevicesAddress(),
        fromOurselves: (request) => this.messaging.fromOurselves(request),
        note: (contentType, body) => this.messaging.noteToOwnDevices(contentType, body),
      },
    });
    this.devices = new OwnDevices({
      settings: deps.settings,
      clock: deps.clock,
      logger: deps.logger,
      emit: (event) => this.bus.emit(event),
      hostname: () => os.hostname(),
    });
    this.commands = {
      getSnapshot: async () => ({
        seq: this.bus.lastSeq,
        account: accountView(this.account, this.password),
        registration: this.registrationState,
        listening: this.endpoint?.listening ?? [],
        conversations: deps.messages.conversations(),
        messages: await this.fileHistory.onDisk(deps.messages.recent(SNAPSHOT_MESSAGES, SNAPSHOT_CONVERSATIONS)),
        presence: this.presence.snapshot(),
        drafts: deps.drafts.all(),
        sessionPeers: this.sessions.openPeers(),
        relayProblem: this.sessions.relayProblem(),
        devices: this.devices.snapshot(),
      }),
      setAccount: async ({ account, password }) => {
        if (this.deps.accountOverride)
          throw new UserError('the account was given on the command line and cannot be changed here', 'failed');
        const keepPassword = password === undefined && this.account?.aor === account.aor ? this.password : password;
        this.store.save(account, password);
        await this.serial(() => this.applyAccount(account, keepPassword));
        return accountView(this.account, this.password)!;
      },
      removeAccount: async () => {
        const had = this.account !== undefined;
        this.store.remove();
        await this.serial(() => this.applyAccount(undefined, undefined));
        return { removed: had };
      },
      register: async () => {
        if (!this.registration) throw new UserError('no account with a server is configured', 'not-configured');
        this.registration.start();
        return this.registrationState;
      },
      unregister: async () => {
        if (!this.registration) throw new UserError('no account with a server is configured', 'not-configured');
        await this.registration.stop();
        return this.registrationState;
      },
      ...chatHandlers(this.messaging, deps.drafts, deps.clock),
      ...historyHandlers(
        deps.messages,
        deps.history,
        deps.clock,
        (event) => this.bus.emit(event),
        (messages) => this.fileHistory.onDisk(messages),
      ),
      ...fileHandlers(this.files, this.uploads, (id) => this.findFileTransfer(id)),
      ...this.presence.commands,
      ...shellDefaults(),
      setDeviceName: async ({ name }) => {
        this.devices.name.set(name);
        this.registration?.renew(); // the other devices learn the name from our binding
        return this.devices.renamed();
      },
    };
  }

  /** Offers a file named by its path: for callers that are the user (tests, benchmarks), never a command (file-commands.ts). */
  sendLocalFile(to: string, file: string): Promise<FileTransfer> {
    return this.files.send(to, file);
  }

  /** A transfer of this run, else one in the history (its savedAs only inside the downloads folder): previews and "Show in folder". */
  findFileTransfer(id: string): FileTransfer | undefined {
    return this.files.list().find((t) => t.id === id) ?? this.fileHistory.find(id);
  }

  subscribe(listener: Parameters<Core['subscribe']>[0]): () => void {
    return this.bus.subscribe(listener);
  }

  async start(): Promise<void> {
    const { account, password } = this.deps.accountOverride ?? this.store.load();
    await this.uploads.clearLeftovers();
    await this.fileHistory.settleLeftovers();
    this.presence.start();
    await this.serial(() => this.applyAccount(account, password));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.fileHistory.stopping();
    await this.serial(() => this.teardown());
    await this.uploads.close();
    this.presence.stop();
    this.deps.messages.flush();
    await this.deps.history.close();
    this.deps.close();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => {});
    return next;
  }

  private async applyAccount(account: AccountConfig | undefined, password: string | undefined): Promise<void> {
    await this.teardown();
    this.account = account;
    this.password = password;
    this.bus.emit({ type: 'account', account: accountView(account, password) });
    const listen = account?.listen ?? this.listen;
    const endpoint = new Endpoint(
      { account, password, listen, logger: this.deps.logger, instanceId: instanceId(this.deps.settings) },
      {
        onMessage: (message) => {
          // A status note from another device of ours is presence's, not a chat message.
          if (mediaType(message.request.getHeader('content-type') ?? '') === STATUS_NOTE_TYPE) {
            this.presence.onStatusNote(message);
            return;
          }
          this.presence.onMessageFrom(message.request.from.uri.toString());
          this.messaging.onIncoming(message);
        },
        onSubscribe: (request) => this.presence.onSubscribe(request),
        // A file offer (RFC 5547) is the file transfers'; any other INVITE a chat session's.
        onInvite: (invitation) => {
          if (!this.files.takes(invitation)) this.sessions.onInvite(invitation);
        },
      },
    );
    try {
      await endpoint.start();
    } catch (error) {
      const reason: Reason = {
        code: 'listen.failed',
        params: { address: listen, error: error instanceof Error ? error.message : String(error) },
      };
      this.setRegistration({ state: 'failed', reason });
      // A command's error is a message, not a state: the same words, made here.
      throw new UserError(wordReason(reason), 'failed');
    }
    this.endpoint = endpoint;
    await this.sessions.attach(endpoint, splitHostPort(listen)[0], password);
    this.presence.attach(endpoint, account, password);
    this.messaging.attach(); // the outbox goes again: start-up, account or network change
    // Keep the same port across account changes, so peers that know our address still reach us.
    const udp = endpoint.listening.find((l) => l.transport === 'udp');
    if (udp && !account?.listen) this.listen = `${splitHostPort(listen)[0]}:${udp.port}`;
    this.bus.emit({ type: 'listening', addresses: endpoint.listening });
    if (account?.proxy) {
      this.devices.attach(endpoint.ua, account.aor);
      this.registration = new Registration({
        ua: endpoint.ua,
        aor: account.aor,
        instanceId: instanceId(this.deps.settings),
        contactUriParams: () => this.devices.name.contactParam(),
        user: parseSipUri(account.aor)?.user ?? account.aor,
        expires: account.registerExpires,
        clock: this.deps.clock,
        logger: this.deps.logger,
        onState: (state) => this.setRegistration(state),
        transportFailure: () => endpoint.proxyFailure(),
      });
      if (this.deps.register) {
        this.registration.start();
        this.watchFlow(endpoint, account);
      } else this.setRegistration({ state: 'unregistered' });
    } else {
      this.setRegistration({ state: 'direct' });
    }
  }

  /** Keep-alive on the flow to the proxy; a dead flow means re-register (and, later, re-subscribe). */
  private watchFlow(endpoint: Endpoint, account: AccountConfig): void {
    const registration = this.registration!;
    const monitor = new FlowMonitor({
      ua: endpoint.ua,
      transport: endpoint.transport,
      proxy: account.proxy!,
      transportKind: account.transport,
      aor: account.aor,
      clock: this.deps.clock,
      logger: this.deps.logger,
      ...this.deps.keepAlive,
      onDead: (reason) => registration.lost(reason),
      onAlive: () => registration.renew(),
      // Another server of the cluster now (SRV failover): subscriptions through the dead one are
      // gone, and what the other servers sent us through it meanwhile fails there and is stored:
      // registering again now and once more after Timer F has it handed out (rebound()).
      onMoved: () => {
        registration.rebound();
        this.presence.reconnected();
      },
      onUnbound: () => {
        registration.renew();
        this.presence.reconnected();
        this.devices.reconnected();
      },
      // A NAT binding lapsed: the registrar, and every subscription dialog, point at a port that
      // leads nowhere. Quietly register and subscribe again from the new one.
      onNewAddress: () => {
        registration.rebound();
        this.presence.reconnected();
        this.devices.reconnected();
      },
    });
    endpoint.transport.listener = {
      onPong: (peer) => monitor.pong(peer),
      onFlowClosed: (peer, reason) => monitor.closed(peer, reason),
    };
    this.monitor = monitor;
    void monitor.start();
  }

  /** Woke from sleep: the flow and the binding may both be gone. */
  onResume(): void {
    this.presence.wake();
    this.monitor?.probeNow();
    this.registration?.renew();
  }

  /** Our addresses changed: rebuild the endpoint on the new address and register again. */
  async onNetworkChange(): Promise<void> {
    if (this.stopped) return;
    await this.serial(() => this.applyAccount(this.account, this.password));
  }

  private async teardown(): Promise<void> {
    await this.presence.detach(); // final NOTIFYs, un-SUBSCRIBE, un-PUBLISH while the endpoint and the registration still can
    await this.devices.detach();
    this.messaging.detach();
    await this.files.detach();
    await this.sessions.detach(); // BYE while the endpoint still can
    this.monitor?.stop();
    this.monitor = undefined;
    const registration = this.registration;
    const endpoint = this.endpoint;
    this.registration = undefined;
    this.endpoint = undefined;
    if (registration) await registration.stop().catch(() => {});
    if (endpoint) await endpoint.stop().catch(() => {});
  }

  private setRegistration(state: RegistrationState): void {
    this.registrationState = state;
    this.presence.onRegistration(state.state);
    this.devices.onRegistration(state.state);
    this.messaging.onRegistration(state.state); // registered again: the outbox goes again
    this.bus.emit({ type: 'registration', ...state, ...(this.account ? { aor: this.account.aor } : {}) });
  }
}
