/**
 * A presence watcher on a raw UDP socket, for tests that must see exactly what a watcher
 * receives through a proxy: it SUBSCRIBEs, answers every NOTIFY 200, records every datagram as
 * it came, and refreshes or un-SUBSCRIBEs in the dialog (to the Contact and Record-Route the
 * answer gave), or in one of the dialogs a forked SUBSCRIBE made (to what that dialog's last
 * NOTIFY gave: RFC 6665 §4.1.2.4).
 * Unlike the sipp watcher (scenarios/watcher.xml) it takes the answer and the NOTIFYs in
 * whatever order the proxy delivers them.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { waitFor } from '../../../../sip/testing/raw-peers.js';
import { headerMap } from './sipp-watcher.js';

export interface RawMessage {
  /** The datagram as received. */
  text: string;
  startLine: string;
  /** Header values by lower-case name, in order. */
  headers: Map<string, string[]>;
  body: string;
}

export function parseRaw(text: string): RawMessage {
  const split = text.indexOf('\r\n\r\n');
  const lines = (split < 0 ? text : text.slice(0, split)).split('\r\n');
  return { text, startLine: lines[0] ?? '', headers: headerMap(lines.slice(1)), body: split < 0 ? '' : text.slice(split + 4) };
}

export interface RawWatcherOptions {
  /** The proxy (or notifier) the SUBSCRIBE goes to. */
  host: string;
  port: number;
  from: string;
  to: string;
  domain: string;
  expires?: number;
  /** Subscribe as a resource list client (RFC 4662: Supported: eventlist, multipart bodies). */
  eventList?: boolean;
}

export class RawWatcher {
  /** Every message received, in arrival order. */
  readonly received: RawMessage[] = [];
  private readonly callId = randomBytes(8).toString('hex');
  private readonly fromTag = randomBytes(6).toString('hex');
  private cseq = 0;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly options: RawWatcherOptions,
  ) {
    socket.on('message', (data) => {
      const message = parseRaw(data.toString('utf8'));
      this.received.push(message);
      if (message.startLine.startsWith('NOTIFY ')) void this.answerNotify(message);
    });
  }

  static async subscribe(options: RawWatcherOptions): Promise<RawWatcher> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const watcher = new RawWatcher(socket, options);
    await watcher.sendSubscribe(`sip:${options.to}@${options.domain}`, [], '', options.expires ?? 600);
    return watcher;
  }

  /** The final response to the initial SUBSCRIBE, once it came. */
  finalResponse(): RawMessage | undefined {
    return this.received.find((m) => m.startLine.startsWith('SIP/2.0 ') && !m.startLine.startsWith('SIP/2.0 1') && this.isCseq(m, 1));
  }

  notifies(): RawMessage[] {
    return this.received.filter((m) => m.startLine.startsWith('NOTIFY '));
  }

  /** Waits until `n` NOTIFYs and the answer to the SUBSCRIBE are in. */
  async notified(n: number, timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.notifies().length >= n && this.finalResponse() !== undefined, timeoutMs, `${n} NOTIFYs and the answer`);
  }

  /** The notifiers' tags of the dialogs NOTIFYs made (one per device a forked SUBSCRIBE reached). */
  dialogTags(): string[] {
    return [...new Set(this.notifies().map((m) => tagOf(m.headers.get('from')?.[0])))];
  }

  /**
   * Un-SUBSCRIBE in the dialog (or the one of `tag`); resolves once its answer and the final
   * NOTIFY are in.
   */
  async unsubscribe(timeoutMs = 15_000, tag?: string): Promise<void> {
    await this.inDialog(0, timeoutMs, tag);
    await waitFor(
      () =>
        this.notifies().some(
          (m) =>
            /^terminated/.test(m.headers.get('subscription-state')?.[0] ?? '') &&
            (tag === undefined || tagOf(m.headers.get('from')?.[0]) === tag),
        ),
      timeoutMs,
      'the final NOTIFY',
    );
  }

  /** Refresh in the dialog (or the one of `tag`); resolves with the final answer. */
  refresh(timeoutMs = 15_000, tag?: string): Promise<RawMessage> {
    return this.inDialog(this.options.expires ?? 600, timeoutMs, tag);
  }

  private async inDialog(expires: number, timeoutMs: number, tag?: string): Promise<RawMessage> {
    const { target, toTag, routes } = tag === undefined ? this.answeredDialog() : this.notifiedDialog(tag);
    await this.sendSubscribe(target, routes, `;tag=${toTag}`, expires);
    const cseq = this.cseq;
    const final = () => this.received.find((m) => /^SIP\/2\.0 [2-6]/.test(m.startLine) && this.isCseq(m, cseq));
    await waitFor(() => final() !== undefined, timeoutMs, `the answer to SUBSCRIBE ${cseq}`);
    return final()!;
  }

  /** The dialog the answer to the SUBSCRIBE made: its Record-Route reversed (RFC 3261 §12.1.2). */
  private answeredDialog(): { target: string; toTag: string; routes: string[] } {
    const answer = this.finalResponse();
    if (!answer) throw new Error('no dialog yet');
    const target = /<([^>]+)>/.exec(answer.headers.get('contact')?.[0] ?? '')?.[1];
    if (!target) throw new Error('the answer has no Contact');
    const routes = [...(answer.headers.get('record-route') ?? [])].reverse();
    return { target, toTag: tagOf(answer.headers.get('to')?.[0]), routes };
  }

  /** The dialog of the notifier's `tag`, from its last NOTIFY: its Record-Route as is (RFC 3261 §12.1.1). */
  private notifiedDialog(tag: string): { target: string; toTag: string; routes: string[] } {
    const notify = this.notifies()
      .filter((m) => tagOf(m.headers.get('from')?.[0]) === tag)
      .at(-1);
    if (!notify) throw new Error(`no NOTIFY from ${tag}`);
    const target = /<([^>]+)>/.exec(notify.headers.get('contact')?.[0] ?? '')?.[1];
    if (!target) throw new Error('the NOTIFY has no Contact');
    return { target, toTag: tag, routes: [...(notify.headers.get('record-route') ?? [])] };
  }

  close(): void {
    this.socket.close();
  }

  private isCseq(message: RawMessage, n: number): boolean {
    return message.headers.get('cseq')?.[0] === `${n} SUBSCRIBE`;
  }

  private sendSubscribe(requestUri: string, routes: string[], toTag: string, expires: number): Promise<void> {
    const { from, to, domain, host, port } = this.options;
    const local = `127.0.0.1:${this.socket.address().port}`;
    const head = [
      `SUBSCRIBE ${requestUri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      ...routes.map((route) => `Route: ${route}`),
      `From: <sip:${from}@${domain}>;tag=${this.fromTag}`,
      `To: <sip:${to}@${domain}>${toTag}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${++this.cseq} SUBSCRIBE`,
      'Max-Forwards: 70',
      `Contact: <sip:${from}@${local}>`,
      'Event: presence',
      ...(this.options.eventList
        ? ['Supported: eventlist', 'Accept: multipart/related, application/rlmi+xml, application/pidf+xml']
        : ['Accept: application/pidf+xml']),
      `Expires: ${expires}`,
      'Content-Length: 0',
    ];
    return this.send(`${head.join('\r\n')}\r\n\r\n`, port, host);
  }

  private answerNotify(notify: RawMessage): Promise<void> {
    const copied = ['via', 'from', 'to', 'call-id', 'cseq'].flatMap((name) =>
      (notify.headers.get(name) ?? []).map(
        (value) => `${name === 'call-id' ? 'Call-ID' : name[0]!.toUpperCase() + name.slice(1)}: ${value}`,
      ),
    );
    const top = notify.headers.get('via')?.[0] ?? '';
    const sentBy = /^SIP\/2\.0\/UDP ([^;:\s]+):?(\d+)?/.exec(top);
    const rport = /;rport=(\d+)/.exec(top)?.[1];
    const port = Number(rport ?? sentBy?.[2] ?? 5060);
    const host = /;received=([^;\s]+)/.exec(top)?.[1] ?? sentBy?.[1] ?? '127.0.0.1';
    return this.send(`SIP/2.0 200 OK\r\n${copied.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`, port, host);
  }

  private send(text: string, port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(text, port, host, (error) => (error ? reject(error) : resolve())));
  }
}

/** The tag parameter of a From or To value ('' without one). */
export function tagOf(value: string | undefined): string {
  return /;tag=([^;>\s]+)/.exec(value ?? '')?.[1] ?? '';
}
