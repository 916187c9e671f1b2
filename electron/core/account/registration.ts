/**
 * Keeps the account registered (RFC 3261 §10) on top of sip.js's Registerer: refreshes at 90 %
 * of the granted interval, retries with jittered back-off when the failure may pass, stops and
 * explains when the user must act (wrong password), and unregisters on request.
 * See shared/domain/registration.ts for the state machine.
 */
import { Registerer, RegistererState, type UserAgent } from 'sip.js';
import type { IncomingResponse } from 'sip.js/lib/core/index.js';
import type { RegistrationState } from '../../../shared/ipc.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { backoffDelay, explainRegisterFailure } from './registration-reasons.js';

export interface RegistrationDeps {
  ua: UserAgent;
  /** The user part, for messages. */
  user: string;
  /** Contact user part that identifies our binding among the other devices' ones. */
  contactUser: string;
  expires: number;
  clock: Clock;
  logger: Logger;
  onState(state: RegistrationState): void;
}

export class Registration {
  private registerer: Registerer;
  private timer: unknown;
  private attempt = 0;
  private stopped = false;
  private current: RegistrationState = { state: 'unregistered' };

  constructor(private readonly deps: RegistrationDeps) {
    this.registerer = new Registerer(deps.ua, { expires: deps.expires, refreshFrequency: 99 });
    this.registerer.stateChange.addListener((state) => {
      // A refresh sip.js ran on its own failed or the binding ran out: treat as a lost registration.
      if (state === RegistererState.Unregistered && this.current.state === 'registered' && !this.stopped) {
        this.scheduleRetry('The registration lapsed. Parley is registering again.');
      }
    });
  }

  get state(): RegistrationState {
    return this.current;
  }

  start(): void {
    this.stopped = false;
    this.attempt = 0;
    this.send();
  }

  /** The flow to the server died: say so, and keep trying with back-off. */
  lost(reason: string): void {
    if (this.stopped) return;
    this.scheduleRetry(`Connection to the server lost: ${reason}. Parley is reconnecting.`);
  }

  /** The flow to the server came back, or the machine woke up: register now. */
  renew(): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    this.send();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
    if (this.current.state !== 'registered') {
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
      this.registerer
        .unregister({ requestDelegate: { onAccept: done, onReject: done } })
        .catch(done);
    });
    this.set({ state: 'unregistered' });
  }

  private send(): void {
    if (this.stopped) return;
    if (this.current.state !== 'registered') this.set({ state: 'registering' });
    this.registerer
      .register({
        requestDelegate: {
          onAccept: (response) => this.accepted(response),
          onReject: (response) => this.rejected(response),
        },
      })
      .catch((error: Error) => {
        this.deps.logger.warn('REGISTER could not be sent', { error: error.message });
        this.scheduleRetry(`Parley could not send the registration: ${error.message}`);
      });
  }

  private accepted(response: IncomingResponse): void {
    this.attempt = 0;
    const expires = grantedExpires(response, this.deps.contactUser) ?? this.deps.expires;
    const publicAddress = publicAddressOf(response);
    this.set({
      state: 'registered',
      expires,
      expiresAt: this.deps.clock.now() + expires * 1000,
      ...(publicAddress ? { publicAddress } : {}),
    });
    this.deps.clock.clearTimeout(this.timer);
    // Refresh well before expiry (90 %), but never later than 30 s before it.
    const refreshIn = Math.max(1000, Math.min(expires * 900, (expires - 30) * 1000));
    this.timer = this.deps.clock.setTimeout(() => this.send(), refreshIn);
  }

  private rejected(response: IncomingResponse): void {
    const status = response.message.statusCode ?? 0;
    const explained = explainRegisterFailure(status, this.deps.user, response.message.reasonPhrase);
    this.deps.logger.info('registration rejected', { status });
    if (!explained.retry) {
      this.deps.clock.clearTimeout(this.timer);
      this.set({ state: 'failed', reason: explained.reason, code: status });
      return;
    }
    this.scheduleRetry(explained.reason, status);
  }

  private scheduleRetry(reason: string, code?: number): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    // Capped at 30 s: a server that comes back is also noticed by the flow monitor within seconds.
    const delay = backoffDelay(this.attempt++, Math.random, 1000, 30_000);
    this.set({ state: 'retrying', reason, retryAt: this.deps.clock.now() + delay, ...(code ? { code } : {}) });
    this.timer = this.deps.clock.setTimeout(() => this.send(), delay);
  }

  private set(state: RegistrationState): void {
    this.current = state;
    this.deps.onState(state);
  }
}

/** The expires the registrar granted to our own binding (RFC 3261 §10.2.4), among all devices'. */
export function grantedExpires(response: IncomingResponse, contactUser: string): number | undefined {
  const message = response.message;
  for (const value of message.getHeaders('contact')) {
    for (const contact of value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
      if (!contact.includes(`${contactUser}@`)) continue;
      const match = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
      if (match) return Number(match[1]);
    }
  }
  const header = message.getHeader('expires');
  return header && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
}

function publicAddressOf(response: IncomingResponse): string | undefined {
  const via = response.message.getHeader('via') ?? '';
  const received = /;\s*received=([^;,\s]+)/i.exec(via)?.[1];
  const rport = /;\s*rport=(\d+)/i.exec(via)?.[1];
  return received && rport ? `${received}:${rport}` : undefined;
}
