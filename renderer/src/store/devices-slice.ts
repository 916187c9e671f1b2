/** The account's devices and this device's name (shared/contract/devices.ts): state from the model, one action. */
import { initialModel } from './model.js';
import type { Slice, StoreDeps } from './store.js';
import type { DevicesSnapshot } from '../../../shared/ipc.js';

export interface DevicesSlice {
  devices: DevicesSnapshot | null;
  /** Why the last rename was refused; null otherwise. */
  deviceNameError: string | null;
  /** Rename this device. Resolves true when the core took the name. */
  setDeviceName(name: string): Promise<boolean>;
}

export const devicesSlice =
  ({ api }: StoreDeps): Slice<DevicesSlice> =>
  (set) => ({
    devices: initialModel.devices,
    deviceNameError: null,
    async setDeviceName(name) {
      const outcome = await api.setDeviceName({ name });
      if (!outcome.ok) {
        set({ deviceNameError: outcome.error.message });
        return false;
      }
      set({ devices: outcome.value, deviceNameError: null });
      return true;
    },
  });
