/**
 * A lossy UDP relay on 127.0.0.1 for loss tests of the SIP transport: it sits between clients and
 * one server address like a NAT, and drops, duplicates and delays datagrams from a seeded PRNG.
 *
 *   client ──► front socket (this.port) ──► per-client back socket ──► server
 *   client ◄── front socket             ◄── per-client back socket ◄── server
 *
 * Each client address gets its own back socket, so the server answers (to the top Via's
 * received/rport, i.e. the back socket's address) find their way to the right client.
 *
 * The relay knows just enough SIP to keep books per transaction (top Via branch): how many copies
 * of each request the client sent (1 + retransmissions), how many reached the server, and every
 * response the server sent. It never rewrites a byte.
 */
import dgram from 'node:dgram';
import { mulberry32 } from './fuzz.js';

export interface LossProfile {
  /** Seed for every random decision (drops, duplicates, delays). */
  seed: number;
  /** Fraction of datagrams dropped, in each direction. */
  dropRate: number;
  /** Fraction of forwarded datagrams sent twice. */
  duplicateRate?: number;
  /** Fraction of forwarded datagrams held back by 1..maxDelayMs, so later ones overtake them. */
  reorderRate?: number;
  maxDelayMs?: number;
  /**
   * Never drop more than this many datagrams of one transaction (same top Via branch), counting
   * both directions. Keeps a test from failing on a legitimate timer-F timeout, which at 20% loss
   * each way hits about one transaction in 77,000. Undefined = no cap.
   */
  maxDropsPerTransaction?: number;
  /** Keep the text of every datagram that arrives (in `captured`), e.g. to seed a fuzzer with real traffic. */
  capture?: boolean;
}

export type Direction = 'toServer' | 'toClient';

export interface DirectionStats {
  /** Datagrams that arrived at the relay. */
  received: number;
  dropped: number;
  /** Datagrams sent on (duplicates count twice). */
  forwarded: number;
  duplicated: number;
  delayed: number;
  /** Drops skipped because the transaction reached maxDropsPerTransaction. */
  spared: number;
}

/** Books for one transaction, keyed by the top Via branch. */
export interface TransactionLog {
  branch: string;
  method: string;
  /** Copies of the request the client sent (1 + its retransmissions). */
  requestsFromClient: number;
  /** Copies of the request handed to the server (including our duplicates). */
  requestsToServer: number;
  /** Every response the server sent, in order, byte for byte. */
  responsesFromServer: string[];
  responsesToClient: number;
  drops: number;
}

interface Flow {
  client: { address: string; port: number };
  socket: dgram.Socket;
  ready: Promise<void>;
}

const emptyStats = (): DirectionStats => ({ received: 0, dropped: 0, forwarded: 0, duplicated: 0, delayed: 0, spared: 0 });

/** The top Via's branch and the CSeq method, read with plain regexes (independent of the code under test). */
export function transactionOf(text: string): { branch: string; method: string; isRequest: boolean } | undefined {
  const firstLineEnd = text.indexOf('\r\n');
  if (firstLineEnd < 0) return undefined;
  const isRequest = !text.startsWith('SIP/2.0 ');
  const via = /^(?:via|v)[ \t]*:[ \t]*([^\r\n]*)/im.exec(text);
  const branch = via ? /;\s*branch=([^;,\s]+)/i.exec(via[1]!) : null;
  const cseq = /^cseq[ \t]*:[ \t]*\d+[ \t]+([A-Za-z]+)/im.exec(text);
  if (!branch || !cseq) return undefined;
  return { branch: branch[1]!, method: cseq[1]!.toUpperCase(), isRequest };
}

export class LossyUdpRelay {
  readonly stats: Record<Direction, DirectionStats> = { toServer: emptyStats(), toClient: emptyStats() };
  readonly transactions = new Map<string, TransactionLog>();
  readonly captured: { direction: Direction; text: string }[] = [];
  private readonly flows = new Map<string, Flow>();
  private readonly rnd: () => number;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  private constructor(
    private readonly front: dgram.Socket,
    private readonly server: { host: string; port: number },
    private profile: LossProfile,
  ) {
    this.rnd = mulberry32(profile.seed);
    front.on('message', (data, rinfo) => this.fromClient(data, rinfo));
    front.on('error', () => {});
  }

  static async open(server: { host: string; port: number }, profile: LossProfile): Promise<LossyUdpRelay> {
    const front = await bound();
    return new LossyUdpRelay(front, server, profile);
  }

  /** The address clients send to. */
  get port(): number {
    return this.front.address().port;
  }

  /** Change the loss profile (the PRNG keeps its sequence). */
  setProfile(change: Partial<Omit<LossProfile, 'seed'>>): void {
    this.profile = { ...this.profile, ...change };
  }

  /** Resolves once no datagram is held back by a delay. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drop fraction actually applied in a direction (drops / arrivals). */
  lossRate(direction: Direction): number {
    const s = this.stats[direction];
    return s.received === 0 ? 0 : s.dropped / s.received;
  }

  async close(): Promise<void> {
    this.closed = true;
    const sockets = [this.front, ...[...this.flows.values()].map((f) => f.socket)];
    this.flows.clear();
    await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private fromClient(data: Buffer, rinfo: dgram.RemoteInfo): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    let flow = this.flows.get(key);
    if (!flow) {
      const socket = dgram.createSocket('udp4');
      const created: Flow = {
        client: { address: rinfo.address, port: rinfo.port },
        socket,
        ready: new Promise<void>((resolve, reject) => {
          socket.once('error', reject);
          socket.bind(0, '127.0.0.1', () => {
            socket.off('error', reject);
            resolve();
          });
        }),
      };
      socket.on('error', () => {});
      socket.on('message', (back) => this.fromServer(created, back));
      this.flows.set(key, created);
      flow = created;
    }
    const tx = this.book(data, 'toServer');
    const target = flow;
    this.pass(
      'toServer',
      tx,
      (copy) => {
        void target.ready.then(() => this.sendOn(target.socket, copy, this.server.port, this.server.host));
      },
      data,
    );
  }

  private fromServer(flow: Flow, data: Buffer): void {
    const tx = this.book(data, 'toClient');
    this.pass('toClient', tx, (copy) => this.sendOn(this.front, copy, flow.client.port, flow.client.address), data);
  }

  /** Records the datagram against its transaction; returns the transaction (if it is SIP). */
  private book(data: Buffer, direction: Direction): { log: TransactionLog; isRequest: boolean } | undefined {
    this.stats[direction].received++;
    const text = data.toString('utf8');
    if (this.profile.capture) this.captured.push({ direction, text });
    const id = transactionOf(text);
    if (!id) return undefined;
    let tx = this.transactions.get(id.branch);
    if (!tx) {
      tx = {
        branch: id.branch,
        method: id.method,
        requestsFromClient: 0,
        requestsToServer: 0,
        responsesFromServer: [],
        responsesToClient: 0,
        drops: 0,
      };
      this.transactions.set(id.branch, tx);
    }
    if (direction === 'toServer' && id.isRequest) tx.requestsFromClient++;
    if (direction === 'toClient' && !id.isRequest) tx.responsesFromServer.push(text);
    return { log: tx, isRequest: id.isRequest };
  }

  private pass(
    direction: Direction,
    booked: { log: TransactionLog; isRequest: boolean } | undefined,
    send: (data: Buffer) => void,
    data: Buffer,
  ): void {
    const stats = this.stats[direction];
    const tx = booked?.log;
    const p = this.profile;
    if (this.rnd() < p.dropRate) {
      if (tx && p.maxDropsPerTransaction !== undefined && tx.drops >= p.maxDropsPerTransaction) {
        stats.spared++;
      } else {
        stats.dropped++;
        if (tx) tx.drops++;
        return;
      }
    }
    const copies = this.rnd() < (p.duplicateRate ?? 0) ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    for (let i = 0; i < copies; i++) {
      const forward = () => {
        stats.forwarded++;
        if (tx && direction === 'toServer' && booked.isRequest) tx.requestsToServer++;
        if (tx && direction === 'toClient' && !booked.isRequest) tx.responsesToClient++;
        send(data);
      };
      if (this.rnd() < (p.reorderRate ?? 0)) {
        stats.delayed++;
        this.inFlight++;
        setTimeout(
          () => {
            if (!this.closed) forward();
            this.inFlight--;
            if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
          },
          1 + Math.floor(this.rnd() * (p.maxDelayMs ?? 20)),
        );
      } else forward();
    }
  }

  private sendOn(socket: dgram.Socket, data: Buffer, port: number, host: string): void {
    if (this.closed) return;
    socket.send(data, port, host, () => {});
  }
}

function bound(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
