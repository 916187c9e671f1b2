/**
 * The devices part of the contract (issue 13: several devices per account): the account's devices
 * as the registrar knows them (RFC 3680 "reg" event, electron/core/devices/own-devices.ts) and
 * this device's name. Plain data validated with zod at every host boundary.
 */
import { z } from 'zod';

/** A device name: what the other devices of the account list this one as. */
export const DeviceName = z.string().trim().min(1).max(64);

export const Device = z.object({
  /** Stable per device while it is registered (its registration's Contact user part). */
  id: z.string(),
  /** The name the device registered with; absent for a client that gives none (not Parley). */
  name: z.string().optional(),
  /** This device. */
  self: z.boolean(),
  /** Registered now, or gone (unregistered, expired). */
  state: z.enum(['online', 'offline']),
  /** Epoch ms the registrar last told about it: registered, refreshed or gone. */
  lastSeen: z.number(),
});
export type Device = z.infer<typeof Device>;

export const DevicesSnapshot = z.object({
  /** This device's name (default: the computer's host name). */
  name: z.string(),
  /** The account's devices, this one included; empty until the registrar has told (or without one). */
  devices: z.array(Device),
});
export type DevicesSnapshot = z.infer<typeof DevicesSnapshot>;

export const devicesCommands = {
  /** Rename this device: kept in the data folder and sent with the next REGISTER (at once). */
  setDeviceName: { request: z.object({ name: DeviceName }).strict(), result: DevicesSnapshot },
} as const;

export const DevicesEvent = DevicesSnapshot.extend({ type: z.literal('devices') });
