/**
 * The account's devices (issue 13): Parley subscribes to the registration state of its own
 * address of record (RFC 3680 "reg" event) at the registrar, which the bundled Kamailio serves
 * (presence_reginfo + pua_reginfo, server/kamailio.cfg), and keeps the list device-list.ts makes
 * of it: in the settings table (so the devices seen before show, offline, at the next start) and
 * as `devices` events. This device's name travels as a Contact URI parameter of its REGISTER
 * (device-name.ts, sip/presence/reginfo.ts). A server without the "reg" package answers 489 and
 * the list stays as it was: this device alone, once registered.
 */
import type { Device, DevicesSnapshot, ParleyEvent, RegistrationState } from '../../../shared/ipc.js';
import { REGINFO_CONTENT_TYPE, XmlError, decodeRegInfo } from '../../sip/presence/index.js';
import type { NotifyBody } from '../../sip/subscription/subscriber-dialogs.js';
import { sipUri, type UserAgent } from '../../sip/user-agent.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import { waitAtMost, type Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { DueQueue } from '../presence/subscriber/due-queue.js';
import { CLOSE_WAIT_MS, EventSubscription, type SubscriptionListener } from '../presence/subscriber/event-subscription.js';
import { OnlineGate } from '../presence/subscriber/online-gate.js';
import { allOffline, applyRegInfo, bounded } from './device-list.js';
import { DeviceName } from './device-name.js';

const KEY = 'devices.known';
export const REG_EXPIRES = 3600;

export interface OwnDevicesDeps {
  settings: SettingsRepo;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** The host name, for the default device name. */
  hostname(): string;
}

interface Attached {
  subscription: EventSubscription;
  queue: DueQueue;
  gate: OnlineGate;
  aorUser: string;
  self: string;
}

export class OwnDevices implements SubscriptionListener {
  private devices: Device[];
  private attached?: Attached;
  readonly name: DeviceName;

  constructor(private readonly deps: OwnDevicesDeps) {
    const stored = deps.settings.get<Device[]>(KEY);
    this.devices = Array.isArray(stored) ? allOffline(stored.filter(isDevice)) : [];
    this.name = new DeviceName(deps.settings, deps.hostname);
  }

  snapshot(): DevicesSnapshot {
    return { name: this.name.get(), devices: this.devices };
  }

  /** Renamed: told at once here; the other devices learn it from the next REGISTER. */
  renamed(): DevicesSnapshot {
    const name = this.name.get();
    this.devices = this.devices.map((d) => (d.self ? { ...d, name } : d));
    this.changed();
    return this.snapshot();
  }

  /** A registered endpoint of `ua` for `aor`; `self`: our Contact user part. */
  attach(ua: UserAgent, aor: string): void {
    const target = sipUri(aor);
    if (!target) return;
    const { clock, logger } = this.deps;
    const queue = new DueQueue(clock, (error) => logger.warn('devices timer failed', { error }));
    const subscription = new EventSubscription(
      { core: ua.userAgentCore, self: target, clock, queue, logger, random: Math.random },
      { target, peer: aor, event: 'reg', accept: REGINFO_CONTENT_TYPE, expires: REG_EXPIRES },
      this,
    );
    this.attached = { subscription, queue, gate: new OnlineGate(), aorUser: target.user ?? '', self: ua.contact.uri.user ?? '' };
  }

  onRegistration(state: RegistrationState['state']): void {
    const attached = this.attached;
    if (!attached) return;
    const step = attached.gate.update(state);
    if (step === 'start') attached.subscription.start();
    else if (step === 'reconnect') attached.subscription.refreshNow();
    if (state !== 'registered' && state !== 'registering') this.lost();
  }

  reconnected(): void {
    if (this.attached?.gate.hasStarted) this.attached.subscription.refreshNow();
  }

  /** Un-SUBSCRIBE; settles once the server's final NOTIFY is answered (at most CLOSE_WAIT_MS). */
  async detach(): Promise<void> {
    const attached = this.attached;
    this.attached = undefined;
    if (!attached) return;
    attached.subscription.stop();
    await waitAtMost(this.deps.clock, attached.subscription.closed(), CLOSE_WAIT_MS);
    attached.subscription.letGo();
    attached.queue.stop();
    this.lost();
  }

  onNotify(_dialog: string, body: NotifyBody): void {
    const attached = this.attached;
    if (!attached || body.contentType !== REGINFO_CONTENT_TYPE) return;
    let doc;
    try {
      doc = decodeRegInfo(body.text);
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      this.deps.logger.info('reginfo NOTIFY body refused', { code: error.code });
      return;
    }
    this.devices = applyRegInfo(this.devices, doc, attached.aorUser, attached.self, this.deps.clock.now());
    this.changed();
  }

  onDialogEnded(): void {}

  onChange(): void {}

  /** No registration: nothing said about the devices holds any more. */
  private lost(): void {
    if (!this.devices.some((d) => d.state === 'online')) return;
    this.devices = allOffline(this.devices);
    this.changed();
  }

  private changed(): void {
    this.devices = bounded(this.devices, this.deps.clock.now());
    this.deps.settings.set(KEY, this.devices);
    this.deps.emit({ type: 'devices', ...this.snapshot() });
  }
}

function isDevice(value: unknown): value is Device {
  const d = value as Partial<Device> | null;
  return typeof d?.id === 'string' && typeof d.lastSeen === 'number' && (d.state === 'online' || d.state === 'offline');
}
