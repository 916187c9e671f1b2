/**
 * One MSRP session on one connection (RFC 4975), with no SIP in it: what the SDP exchange agreed
 * (our URI, the peer's path) put to work.
 *
 * Sending: a message goes as SEND chunks (chunks.ts) asking for a success REPORT; it is delivered
 * when that REPORT says 200 for the whole message (the peer sends it once the message is stored:
 * the transaction 200s only say a hop took a chunk), and failed on an error response to any of
 * its chunks, a failure REPORT, no REPORT within REPORT_TIMEOUT_MS, or the connection closing
 * first. Messages go on the wire in the order they are given: TCP keeps it.
 * Receiving: chunks are answered at once (report.ts), put back together (reassembly.ts), and a
 * whole message is handed on with `done(code)`, which sends the REPORT it asked for.
 * The active end opens with a bodiless SEND (§7.1.1) so the passive end can bind the connection;
 * another goes when the connection has been silent a while (keepalive.ts).
 */
import type { Clock } from '../../support/clock.js';
import { chunkMessage } from './chunks.js';
import { MsrpKeepAlive } from './keepalive.js';
import type { ConnectionEvents, MsrpConnection, MsrpFrame } from './connection.js';
import {
  encodeGreeting,
  encodeRequest,
  encodeResponse,
  newMessageId,
  newTransactionId,
  type OutgoingRequest,
  type OutgoingResponse,
} from './frame-encoder.js';
import type { MsrpRequest, MsrpResponse } from './message.js';
import { DEFAULT_REASSEMBLY_LIMITS, Reassembly, type IncomingMessage, type ReassemblyLimits } from './reassembly.js';
import { answersForChunk, failureReport, successReport, transactionResponse } from './report.js';
import { sameMsrpUri, type MsrpUri } from './uri.js';

/** How long a sent message waits for its success REPORT: a stored message is reported in milliseconds. */
export const REPORT_TIMEOUT_MS = 30_000;

export type SendOutcome = { ok: true } | { ok: false; code: number; reason: string };

export interface SessionEvents {
  /** A whole message from the peer; `done(200)` once it is stored, another code when it was not. */
  message(message: IncomingMessage, done: (code: number) => void): void;
  /** The connection is gone (once): every send still waiting has failed. */
  closed(reason: string): void;
}

interface Pending {
  resolve(outcome: SendOutcome): void;
  timer: unknown;
}

export class MsrpSession {
  private connection: MsrpConnection | undefined;
  private readonly reassembly: Reassembly;
  /** Our messages waiting for their REPORT, by Message-ID. */
  private readonly pending = new Map<string, Pending>();
  /** Our SENDs' transaction ids, to the Message-ID a failure response fails. */
  private readonly transactions = new Map<string, string>();
  private ended: string | undefined;
  private keepAlive: MsrpKeepAlive | undefined;

  constructor(
    readonly local: MsrpUri,
    readonly remotePath: readonly MsrpUri[],
    private readonly clock: Clock,
    private readonly events: SessionEvents,
    limits: Partial<ReassemblyLimits> = {},
  ) {
    this.reassembly = new Reassembly({ ...DEFAULT_REASSEMBLY_LIMITS, ...limits });
  }

  get open(): boolean {
    return this.connection !== undefined && this.ended === undefined;
  }

  /** The connection is ours (accepted and bound, with the first frame on it, or connected by us). */
  attach(connection: MsrpConnection, first?: MsrpFrame): void {
    if (this.ended !== undefined) {
      connection.close('the session ended');
      return;
    }
    this.connection = connection;
    this.keepAlive = new MsrpKeepAlive(this.clock, { ping: () => this.greet(), dead: (reason) => this.close(reason) });
    const events: ConnectionEvents = { frame: (item) => this.frame(item), closed: (reason) => this.close(reason) };
    connection.listen(events);
    if (first) events.frame(first);
  }

  /** The active end's first request: a SEND without a body, so the passive end knows the connection is this session's. */
  greet(): boolean {
    return this.write(encodeGreeting(this.remotePath, [this.local]));
  }

  send(contentType: string, body: Buffer): Promise<SendOutcome> {
    if (!this.open) return Promise.resolve({ ok: false, code: 481, reason: 'the session is not open' });
    const messageId = newMessageId();
    const fields = {
      toPath: this.remotePath,
      fromPath: [this.local],
      messageId,
      successReport: 'yes',
      failureReport: 'yes',
      contentType,
    } as const;
    return new Promise<SendOutcome>((resolve) => {
      const timer = this.clock.setTimeout(
        () => this.finish(messageId, { ok: false, code: 408, reason: 'no REPORT came' }),
        REPORT_TIMEOUT_MS,
      );
      this.pending.set(messageId, { resolve, timer });
      for (const chunk of chunkMessage(fields, body)) {
        if (!chunk.ok) return this.finish(messageId, { ok: false, code: 400, reason: chunk.reason });
        this.transactions.set(chunk.transactionId, messageId);
        if (!this.connection!.send(chunk.bytes)) return; // closed: close() failed it already
      }
    });
  }

  close(reason: string): void {
    if (this.ended !== undefined) return;
    this.ended = reason;
    this.keepAlive?.stop();
    this.connection?.close(reason);
    for (const id of [...this.pending.keys()]) this.finish(id, { ok: false, code: 0, reason });
    this.events.closed(reason);
  }

  private finish(messageId: string, outcome: SendOutcome): void {
    const pending = this.pending.get(messageId);
    if (!pending) return;
    this.pending.delete(messageId);
    this.clock.clearTimeout(pending.timer);
    for (const [tid, id] of this.transactions) if (id === messageId) this.transactions.delete(tid);
    pending.resolve(outcome);
  }

  private frame(item: MsrpFrame): void {
    this.keepAlive?.heard();
    if (item.kind === 'response') return this.response(item.response);
    if (item.kind === 'invalid') return this.answer(transactionResponse(item, 400, this.local, item.reason));
    const request = item.request;
    // Every request on this connection is for this session (§7.3: To-Path names us).
    if (!request.toPath[0] || !sameMsrpUri(request.toPath[0], this.local)) {
      return this.answer(transactionResponse(request, 481, this.local));
    }
    if (request.method === 'REPORT') return this.report(request);
    if (request.method !== 'SEND') return this.answer(transactionResponse(request, 501, this.local));
    this.chunk(request);
  }

  private chunk(request: MsrpRequest): void {
    const outcome = this.reassembly.accept(request, this.clock.now());
    // The transaction response at once; the success REPORT waits for the message to be stored.
    const { response } = answersForChunk(request, outcome, this.local);
    this.answer(response);
    if (outcome.kind !== 'complete') return;
    const message = outcome.message;
    if (message.contentType === undefined && message.body.length === 0) return; // a bodiless SEND: nothing to deliver
    this.events.message(message, (code) => {
      const total = message.body.length;
      const report =
        code === 200
          ? successReport(message, total, this.local)
          : failureReport(message, { start: 1, end: total, total }, code, this.local);
      if (report) this.write(encodeRequest(report));
    });
  }

  private report(request: MsrpRequest): void {
    if (request.messageId === undefined || !this.pending.has(request.messageId)) return; // REPORTs are never answered
    const code = request.status?.code ?? 0;
    if (code === 200) this.finish(request.messageId, { ok: true });
    else this.finish(request.messageId, { ok: false, code, reason: request.status?.comment ?? 'failure REPORT' });
  }

  private response(response: MsrpResponse): void {
    const messageId = this.transactions.get(response.transactionId);
    if (messageId === undefined) return;
    this.transactions.delete(response.transactionId);
    if (response.code !== 200) this.finish(messageId, { ok: false, code: response.code, reason: response.comment ?? 'refused' });
  }

  private request(method: string, fields: Partial<OutgoingRequest>): OutgoingRequest {
    return { ...fields, method, transactionId: newTransactionId(), toPath: this.remotePath, fromPath: [this.local] };
  }

  private answer(response: OutgoingResponse | undefined): void {
    if (response) this.write(encodeResponse(response));
  }

  private write(encoded: ReturnType<typeof encodeResponse>): boolean {
    return encoded.ok && this.connection !== undefined && this.connection.send(encoded.bytes);
  }
}
