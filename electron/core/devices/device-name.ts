/**
 * This device's name, as the account's other devices list it: kept in the settings table of the
 * data folder, the computer's host name until the user gives another. It travels in the REGISTER
 * Contact's URI (sip/presence/reginfo.ts deviceNameParam), which only the registrar and the
 * account's own devices see (the "reg" event is the user's own: server/kamailio.cfg).
 */
import { DeviceName as DeviceNameSchema } from '../../../shared/ipc.js';
import { deviceNameParam } from '../../sip/presence/index.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';

const KEY = 'device.name';

export class DeviceName {
  constructor(
    private readonly settings: SettingsRepo,
    private readonly hostname: () => string,
  ) {}

  get(): string {
    const stored = DeviceNameSchema.safeParse(this.settings.get<unknown>(KEY));
    if (stored.success) return stored.data;
    const host = DeviceNameSchema.safeParse(this.hostname().split('.')[0]);
    return host.success ? host.data : 'Parley';
  }

  set(name: string): void {
    this.settings.set(KEY, DeviceNameSchema.parse(name));
  }

  /** The Contact URI parameter of our REGISTER. */
  contactParam(): string {
    return deviceNameParam(this.get());
  }
}
