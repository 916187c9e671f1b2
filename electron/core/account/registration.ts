/**
 * Keeps the account registered (RFC 3261 §10): the policy over the REGISTER mechanics of
 * electron/sip/registration/register-client.ts (one Call-ID, rising CSeq, our grant among the
 * other devices' bindings, the refresh point):
 *  - the grant is refreshed at 90 % of it (refreshDelay);
 *  - 423 Interval Too Brief: retried at once with the Min-Expires asked for (§10.2.8), at most
 *    MAX_INTERVAL_RETRIES times in a row;
 *  - a failure that may pass is retried with jittered back-off; one the user must fix (wrong
 *    password, unknown user) stops with an explanation.
 * See shared/domain/registration.ts for the state machine.
 */
import type { Reason, RegistrationState } from '../../../shared/ipc.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { backoffDelay, JITTER_25, type Backoff } from '../../../shared/backoff.js';
import { explainRegisterFailure } from './registration-reasons.js';
import { RegisterClient, refreshDelay, type RegisterAnswer } from '../../sip/registration/register-client.js';
import { TRANSACTION_TIMEOUT } from '../../sip/reliability/timers.js';
import type { UserAgent } from '../../sip/user-agent.js';

/** After Timer F, time for the server to store what failed to reach our old address (rebound()). */
const REBOUND_MARGIN_MS = 5000;

export interface RegistrationDeps {
  ua: UserAgent;
  aor: string;
  /** This install's UUID (instance-id.ts): `+sip.instance` and GRUUs. */
  instanceId?: string;
  /** Contact URI parameters of our binding (the device name: core/devices/device-name.ts). */
  contactUriParams?: () => string;
  /** The user part, for messages. */
  user: string;
  expires: number;
  clock: Clock;
  logger: Logger;
  onState(state: RegistrationState): void;
  /** Why the transport could not reach the server (sip.js reports that as a bare 503). */
  transportFailure?(): { reason: Reason; retry: boolean } | undefined;
}

/** How many 423 answers in a row we follow before giving up (a registrar that keeps raising is broken). */
const MAX_INTERVAL_RETRIES = 3;
/** 1 s doubling to 30 s, ±25 %: soon enough to see a restarted server, spread so its clients do not return in step. */
const REGISTER_BACKOFF: Backoff = { firstMs: 1000, capMs: 30_000, jitter: JITTER_25 };

export class Registration {
  private readonly client: RegisterClient;
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
    this.client = new RegisterClient(deps.ua, deps.aor, deps.instanceId, deps.contactUriParams);
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
   * Timer F (64·T1 = 32 s, RFC 3261 §17.1.2.2) and a margin: a request the server sent to the old
   * address in the meantime has failed by then, and a MESSAGE it stored instead (server/kamailio.cfg:
   * msilo) is handed out on a REGISTER. The margin: a request sent just before we moved fails
   * just before Timer F after the move, and the server still has to store it; at Timer F exactly
   * the REGISTER raced the store (electron/core/cluster.int.test.ts lost it that way under load).
   */
  rebound(): void {
    if (this.stopped) return;
    this.renew();
    this.deps.clock.clearTimeout(this.sweep);
    this.sweep = this.deps.clock.setTimeout(() => {
      this.sweep = undefined;
      if (this.current.state === 'registered') this.renew();
    }, TRANSACTION_TIMEOUT + REBOUND_MARGIN_MS);
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
      this.transmit(0, done);
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
    this.transmit(this.expires, (answer) => {
      if (answer.accepted) this.accepted(answer);
      else this.rejected(answer);
      settle();
    });
  }

  private transmit(expires: number, onAnswer: (answer: RegisterAnswer) => void): void {
    try {
      this.client.send(expires, onAnswer);
    } catch (error) {
      this.deps.logger.warn('REGISTER could not be sent', { error });
      this.inFlight = false;
      this.scheduleRetry({ code: 'register.not-sent', params: { error: error instanceof Error ? error.message : String(error) } });
    }
  }

  private accepted(answer: Extract<RegisterAnswer, { accepted: true }>): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.intervalRetries = 0;
    const { expires, publicAddress, otherDevices, pubGruu } = answer;
    this.set({
      state: 'registered',
      expires,
      expiresAt: this.deps.clock.now() + expires * 1000,
      ...(publicAddress ? { publicAddress } : {}),
      otherDevices,
      ...(pubGruu ? { gruu: pubGruu } : {}),
    });
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.send(), refreshDelay(expires));
  }

  private rejected(answer: Extract<RegisterAnswer, { accepted: false }>): void {
    if (this.stopped) return;
    const { status, minExpires } = answer;
    if (minExpires !== undefined && minExpires > this.expires && this.intervalRetries++ < MAX_INTERVAL_RETRIES) {
      this.expires = minExpires;
      this.resendWhenDone = true; // sent as soon as this transaction is settled
      return;
    }
    // sip.js answers a transport error itself (sip/request-failure.ts): ask the transport why.
    const failure = answer.transportError ? this.deps.transportFailure?.() : undefined;
    if (failure) {
      this.deps.logger.info('registration could not reach the server', { reason: failure.reason });
      if (failure.retry) this.scheduleRetry(failure.reason);
      else {
        this.deps.clock.clearTimeout(this.timer);
        this.set({ state: 'failed', reason: failure.reason });
      }
      return;
    }
    const explained = explainRegisterFailure(status, this.deps.user, answer.phrase);
    this.deps.logger.info('registration rejected', { status });
    if (!explained.retry) {
      this.deps.clock.clearTimeout(this.timer);
      this.set({ state: 'failed', reason: explained.reason, code: status });
      return;
    }
    this.scheduleRetry(explained.reason, status, answer.retryAfter !== undefined ? answer.retryAfter * 1000 : undefined);
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
