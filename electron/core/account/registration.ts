/**
 * Keeps the account registered (RFC 3261 §10), driving REGISTER through sip.js's user agent core
 * directly (its Registerer hides 423 handling and the other devices' bindings from us):
 *  - one Call-ID for the account's lifetime, CSeq rising by one per REGISTER (§10.2);
 *  - the registrar's grant for our own binding, found among every device's Contact (§10.2.4),
 *    refreshed at 90 % of it; the other devices are counted;
 *  - 423 Interval Too Brief: retried at once with the Min-Expires asked for (§10.2.8);
 *  - a failure that may pass is retried with jittered back-off; one the user must fix (wrong
 *    password, unknown user) stops with an explanation; digest challenges are answered by sip.js.
 * See shared/domain/registration.ts for the state machine.
 */
import { randomBytes } from 'node:crypto';
import { UserAgent } from 'sip.js';
import type { IncomingResponse, OutgoingRequestMessage } from 'sip.js/lib/core/index.js';
import type { Reason, RegistrationState } from '../../../shared/ipc.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { backoffDelay, JITTER_25, type Backoff } from '../../../shared/backoff.js';
import { explainRegisterFailure } from './registration-reasons.js';
import { isTransportError } from '../../sip/request-failure.js';
import { TRANSACTION_TIMEOUT } from '../../sip/reliability/timers.js';

export interface RegistrationDeps {
  ua: UserAgent;
  aor: string;
  /** The user part, for messages. */
  user: string;
  expires: number;
  clock: Clock;
  logger: Logger;
  onState(state: RegistrationState): void;
  /** Why the transport could not reach the server (sip.js reports that as a bare 503). */
  transportFailure?(): { reason: Reason; retry: boolean } | undefined;
}

const ALLOW = 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER';
/** How many 423 answers in a row we follow before giving up (a registrar that keeps raising is broken). */
const MAX_INTERVAL_RETRIES = 3;
/** 1 s doubling to 30 s, ±25 %: soon enough to see a restarted server, spread so its clients do not return in step. */
const REGISTER_BACKOFF: Backoff = { firstMs: 1000, capMs: 30_000, jitter: JITTER_25 };

export class Registration {
  private readonly request: OutgoingRequestMessage;
  private readonly contactUser: string;
  private expires: number;
  private timer: unknown;
  /** The second REGISTER after a new public address (rebound()). */
  private sweep: unknown;
  private attempt = 0;
  private intervalRetries = 0;
  private inFlight = false;
  private resendWhenDone = false;
  private stopped = true;
  private current: RegistrationState = { state: 'unregistered' };

  constructor(private readonly deps: RegistrationDeps) {
    const aor = UserAgent.makeURI(deps.aor);
    if (!aor) throw new Error(`not a SIP URI: ${deps.aor}`);
    const registrar = UserAgent.makeURI(`${aor.scheme}:${aor.host}`)!;
    this.request = deps.ua.userAgentCore.makeOutgoingRequestMessage('REGISTER', registrar, aor, aor, {
      callId: randomBytes(16).toString('hex'),
      cseq: 0,
    });
    this.contactUser = deps.ua.contact.uri.user ?? '';
    this.expires = deps.expires;
  }

  get state(): RegistrationState {
    return this.current;
  }

  start(): void {
    this.stopped = false;
    this.attempt = 0;
    this.send();
  }

  /** The flow to the server died (a `connection.*` reason): say so, and keep trying with back-off. */
  lost(reason: Reason): void {
    // A failure the user must fix (an untrusted certificate, a wrong password) stays on screen.
    if (this.stopped || this.current.state === 'failed') return;
    this.scheduleRetry(reason);
  }

  /** The flow to the server came back, or the machine woke up: register now. */
  renew(): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    this.send();
  }

  /**
   * Our public address changed (a NAT binding lapsed): register from the new one now, without a
   * word to the user (the state stays "registered" while the REGISTER goes), and once more after
   * Timer F (64·T1 = 32 s, RFC 3261 §17.1.2.2): a request the server sent to the old address in
   * the meantime has failed by then, and a MESSAGE it stored instead (server/kamailio.cfg: msilo)
   * is handed out on a REGISTER.
   */
  rebound(): void {
    if (this.stopped) return;
    this.renew();
    this.deps.clock.clearTimeout(this.sweep);
    this.sweep = this.deps.clock.setTimeout(() => {
      this.sweep = undefined;
      if (this.current.state === 'registered') this.renew();
    }, TRANSACTION_TIMEOUT);
  }

  /** Remove our binding (expires=0) and wait for the answer, at most 3 s. */
  async stop(): Promise<void> {
    const wasRegistered = this.current.state === 'registered';
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    this.deps.clock.clearTimeout(this.sweep);
    if (!wasRegistered) {
      this.set({ state: 'unregistered' });
      return;
    }
    this.set({ state: 'unregistering' });
    await new Promise<void>((resolve) => {
      const guard = this.deps.clock.setTimeout(resolve, 3000);
      const done = () => {
        this.deps.clock.clearTimeout(guard);
        resolve();
      };
      this.transmit(0, { onAccept: done, onReject: done });
    });
    this.set({ state: 'unregistered' });
  }

  private send(): void {
    if (this.stopped) return;
    if (this.inFlight) {
      this.resendWhenDone = true;
      return;
    }
    if (this.current.state !== 'registered') this.set({ state: 'registering' });
    this.inFlight = true;
    const settle = () => {
      this.inFlight = false;
      if (this.resendWhenDone && !this.stopped) {
        this.resendWhenDone = false;
        this.send();
      }
    };
    this.transmit(this.expires, {
      onAccept: (response) => {
        this.accepted(response);
        settle();
      },
      onReject: (response) => {
        this.rejected(response);
        settle();
      },
    });
  }

  private transmit(expires: number, delegate: { onAccept(r: IncomingResponse): void; onReject(r: IncomingResponse): void }): void {
    this.request.cseq++;
    this.request.setHeader('cseq', `${this.request.cseq} REGISTER`);
    this.request.extraHeaders = [`Contact: ${this.deps.ua.contact.toString({ register: true })};expires=${expires}`, ALLOW];
    try {
      this.deps.ua.userAgentCore.register(this.request, delegate);
    } catch (error) {
      this.deps.logger.warn('REGISTER could not be sent', { error });
      this.inFlight = false;
      this.scheduleRetry({ code: 'register.not-sent', params: { error: error instanceof Error ? error.message : String(error) } });
    }
  }

  private accepted(response: IncomingResponse): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.intervalRetries = 0;
    const bindings = contactBindings(response);
    const ours = bindings.find((b) => b.user === this.contactUser);
    const header = response.message.getHeader('expires');
    const expires = ours?.expires ?? (header && /^\d+$/.test(header.trim()) ? Number(header) : this.expires);
    const publicAddress = publicAddressOf(response);
    const others = bindings.filter((b) => b.user !== this.contactUser).length;
    this.set({
      state: 'registered',
      expires,
      expiresAt: this.deps.clock.now() + expires * 1000,
      ...(publicAddress ? { publicAddress } : {}),
      otherDevices: others,
    });
    this.deps.clock.clearTimeout(this.timer);
    // Refresh at 90 % of the grant and no later than 30 s before it runs out, but never before
    // half of it has passed (a short grant must not turn into a REGISTER every second).
    const refreshIn = Math.max(expires * 500, Math.min(expires * 900, (expires - 30) * 1000), 1000);
    this.timer = this.deps.clock.setTimeout(() => this.send(), refreshIn);
  }

  private rejected(response: IncomingResponse): void {
    if (this.stopped) return;
    const status = response.message.statusCode ?? 0;
    if (status === 423) {
      const minimum = Number(response.message.getHeader('min-expires'));
      if (Number.isInteger(minimum) && minimum > this.expires && this.intervalRetries++ < MAX_INTERVAL_RETRIES) {
        this.expires = minimum;
        this.resendWhenDone = true; // sent as soon as this transaction is settled
        return;
      }
    }
    // sip.js answers a transport error itself (sip/request-failure.ts): ask the transport why.
    const failure = isTransportError(response) ? this.deps.transportFailure?.() : undefined;
    if (failure) {
      this.deps.logger.info('registration could not reach the server', { reason: failure.reason });
      if (failure.retry) this.scheduleRetry(failure.reason);
      else {
        this.deps.clock.clearTimeout(this.timer);
        this.set({ state: 'failed', reason: failure.reason });
      }
      return;
    }
    const explained = explainRegisterFailure(status, this.deps.user, response.message.reasonPhrase);
    this.deps.logger.info('registration rejected', { status });
    if (!explained.retry) {
      this.deps.clock.clearTimeout(this.timer);
      this.set({ state: 'failed', reason: explained.reason, code: status });
      return;
    }
    const retryAfter = Number(response.message.getHeader('retry-after'));
    this.scheduleRetry(explained.reason, status, Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined);
  }

  private scheduleRetry(reason: Reason, code?: number, delayMs?: number): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    // Capped at 30 s: a server that comes back is also noticed by the flow monitor within seconds.
    const delay = delayMs ?? backoffDelay(this.attempt++, REGISTER_BACKOFF);
    this.set({ state: 'retrying', reason, retryAt: this.deps.clock.now() + delay, ...(code ? { code } : {}) });
    this.timer = this.deps.clock.setTimeout(() => this.send(), delay);
  }

  private set(state: RegistrationState): void {
    this.current = state;
    this.deps.onState(state);
  }
}

export interface Binding {
  user?: string;
  expires?: number;
}

/** Every binding the registrar listed (RFC 3261 §10.3 step 8), with its expires parameter. */
export function contactBindings(response: IncomingResponse): Binding[] {
  const bindings: Binding[] = [];
  const count = response.message.getHeaders('contact').length;
  for (let i = 0; i < count; i++) {
    // parseHeader splits comma-joined values; it returns undefined for what it cannot parse.
    const contact = response.message.parseHeader('contact', i) as
      { uri?: { user?: string }; getParam(name: string): string | undefined } | undefined;
    if (!contact) continue;
    const raw = contact.getParam('expires');
    bindings.push({ user: contact.uri?.user, ...(raw !== undefined && /^\d+$/.test(raw) ? { expires: Number(raw) } : {}) });
  }
  return bindings;
}

function publicAddressOf(response: IncomingResponse): string | undefined {
  const via = response.message.getHeader('via') ?? '';
  const received = /;\s*received=([^;,\s]+)/i.exec(via)?.[1];
  const rport = /;\s*rport=(\d+)/i.exec(via)?.[1];
  return received && rport ? `${received}:${rport}` : undefined;
}
