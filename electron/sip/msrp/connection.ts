/**
 * One MSRP connection over TCP, or TLS for msrps (RFC 4975 §6): the socket's bytes through one bounded frame parser
 * (frame-parser.ts) to whoever owns the connection, frames written back in order. What the peer
 * sends never throws here: a stream that breaks framing, a socket error, or a peer that stops
 * reading while we hold more than MAX_UNSENT_BYTES for it, all end as one `close` with a reason.
 */
import type net from 'node:net';
import tls from 'node:tls';
import { MsrpFrameParser, type FrameItem } from './frame-parser.js';

/** A peer that reads nothing while this much waits for it is cut off (a chat never gets near it). */
export const MAX_UNSENT_BYTES = 8 * 1024 * 1024;
/**
 * TCP keep-alive after this much silence: an idle session's connection stays in the tables of the
 * NATs and firewalls on its way, and one whose peer vanished is found by the system's probes.
 */
export const KEEPALIVE_IDLE_MS = 60_000;
/** How long a closed connection may take to hand the peer what was written last (a 481, a final response). */
const LINGER_MS = 2_000;
/** Frames held for an owner not yet known: the first request names its session; a peer that floods first is cut off. */
const MAX_HELD_FRAMES = 16;
/**
 * Bytes taken off the socket in one event-loop turn before reading pauses until the next: libuv
 * reads a socket up to 32 times per turn, so a peer with megabytes in flight (a file's window of
 * chunks) would otherwise hold the loop for all of them at once.
 */
export const TURN_BYTES = 1024 * 1024;

/** A framed request or response, or an `invalid` frame to answer 400 (never an `error`: that closes). */
export type MsrpFrame = Exclude<FrameItem, { kind: 'error' }>;

export interface ConnectionEvents {
  frame(item: MsrpFrame): void;
  /**
   * `cut`: the socket went (closed, ended or failed under us: a broken link, a resumable file
   * transfer, file-receiver.ts), not a close this side decided (a stalled or non-MSRP peer).
   */
  closed(reason: string, cut: boolean): void;
}

export class MsrpConnection {
  private readonly parser = new MsrpFrameParser();
  private events: ConnectionEvents | undefined;
  /** Frames that came before anyone listened (the first SEND on an accepted connection). */
  private held: MsrpFrame[] = [];
  private closedFor: string | undefined;
  /** Bytes read in this event-loop turn (reset by an immediate queued with the turn's first read). */
  private turnBytes = 0;
  private cutUnder = false;
  /** Writes are being gathered until the current event has been handled (send()). */
  private corked = false;

  constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_IDLE_MS);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', (error) => this.close(`socket error: ${error.message}`, true));
    socket.on('close', () => this.close('the connection closed', true));
    socket.on('end', () => this.close('the peer ended the connection', true));
  }

  get closed(): boolean {
    return this.closedFor !== undefined;
  }

  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  /** Whether this is a TLS connection (msrps). */
  get secure(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  /** The certificate (DER) the peer showed over TLS; undefined over TCP or when it showed none. */
  get peerCertificate(): Buffer | undefined {
    if (!(this.socket instanceof tls.TLSSocket)) return undefined;
    try {
      const raw = this.socket.getPeerCertificate(false)?.raw;
      return raw && raw.length > 0 ? raw : undefined;
    } catch {
      return undefined;
    }
  }

  /** Who gets the frames from now on; frames held until then are handed over first. */
  listen(events: ConnectionEvents): void {
    this.events = events;
    const held = this.held;
    this.held = [];
    for (const item of held) if (!this.closed) events.frame(item);
    if (this.closedFor !== undefined) events.closed(this.closedFor, this.cutUnder);
  }

  /**
   * Frames are held again until the next `listen`: a relay connection between its AUTH
   * (relay-client.ts) and the session that takes it, where the peer's first SEND may come first.
   */
  hold(): void {
    this.events = undefined;
  }

  /**
   * Writes one encoded frame, whole or in pieces (frame-encoder.ts encodeRequestParts, so a file's
   * chunk is not copied); false when the connection is closed (or just closed for a stalled peer).
   * What is written while one event is handled leaves together in one system call once it is done
   * (the socket corked until then): a file's chunks read in one block, or the 200s answering the
   * chunks of one read, would otherwise each cost a write and a TCP segment of their own.
   */
  send(frame: Buffer | readonly Buffer[]): boolean {
    if (this.closed) return false;
    const parts = Buffer.isBuffer(frame) ? [frame] : frame;
    let size = 0;
    for (const part of parts) size += part.length;
    if (this.socket.writableLength + size > MAX_UNSENT_BYTES) {
      this.close('the peer does not read what we send');
      return false;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => this.flush());
    }
    for (const part of parts) this.socket.write(part);
    return true;
  }

  private flush(): void {
    this.corked = false;
    this.socket.uncork();
  }

  private nextTurn(): void {
    this.turnBytes = 0;
    if (!this.closed && this.socket.isPaused()) this.socket.resume();
  }

  /**
   * Closes once: what was written still goes out (FIN after it), the socket is destroyed at the
   * latest after LINGER_MS. `cut` only from the socket's own events (ConnectionEvents.closed).
   */
  close(reason: string, cut = false): void {
    if (this.closedFor !== undefined) return;
    this.closedFor = reason;
    this.cutUnder = cut;
    this.socket.end();
    if (!this.socket.destroyed) setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
    this.events?.closed(reason, cut);
  }

  private received(chunk: Buffer): void {
    if (this.closed) return;
    if (this.turnBytes === 0) setImmediate(() => this.nextTurn());
    this.turnBytes += chunk.length;
    if (this.turnBytes >= TURN_BYTES) this.socket.pause();
    for (const item of this.parser.push(chunk)) {
      if (item.kind === 'error') {
        this.close(`not MSRP: ${item.reason}`);
        return;
      }
      if (this.events) this.events.frame(item);
      else if (this.held.push(item) > MAX_HELD_FRAMES) this.close('too many frames before the session was known');
      if (this.closed) return;
    }
  }
}
