/**
 * The account's devices from the registrar's registration state (RFC 3680), pure: what a reginfo
 * document changes in the list we keep. A device is one Contact user part (Parley derives it from
 * its install's instance id, sip/user-agent.ts, so it is the same across restarts); a device that
 * leaves stays listed as offline with the time it was last seen, so the user can tell when their
 * other computer was last on. The list is bounded: offline devices beyond MAX_DEVICES, oldest
 * first, and those not seen for FORGET_AFTER_MS are dropped.
 */
import type { Device } from '../../../shared/ipc.js';
import type { RegContact, RegInfoDocument } from '../../sip/presence/index.js';

export const MAX_DEVICES = 20;
export const FORGET_AFTER_MS = 90 * 24 * 3600_000;

/**
 * The list after `doc` (about `aor`'s registrations), seen at `now`. `self`: our own Contact user.
 * In a full document a device that is not named any more has gone; a partial one names only
 * what changed.
 */
export function applyRegInfo(previous: readonly Device[], doc: RegInfoDocument, aorUser: string, self: string, now: number): Device[] {
  const contacts = doc.registrations.filter((r) => userOf(r.aor) === aorUser).flatMap((r) => r.contacts);
  const byId = new Map(previous.map((d) => [d.id, d]));
  const named = new Set<string>();
  // A device may be listed twice while a replaced binding lingers: online wins.
  for (const contact of [...contacts].sort((a, b) => (a.state === b.state ? 0 : a.state === 'active' ? 1 : -1))) {
    const id = contact.user ?? contact.uri;
    named.add(id);
    byId.set(id, deviceOf(contact, id, self, byId.get(id), now));
  }
  if (doc.state === 'full') {
    for (const [id, device] of byId) {
      if (!named.has(id) && device.state === 'online') byId.set(id, { ...device, state: 'offline', lastSeen: now });
    }
  }
  return bounded([...byId.values()], now);
}

/** Every device offline at `now` (our registration ended: we cannot know about the others any more). */
export function allOffline(devices: readonly Device[]): Device[] {
  return devices.map((d) => (d.state === 'online' ? { ...d, state: 'offline' } : d));
}

function deviceOf(contact: RegContact, id: string, self: string, known: Device | undefined, now: number): Device {
  const name = contact.deviceName ?? known?.name;
  return { id, ...(name ? { name } : {}), self: id === self, state: contact.state === 'active' ? 'online' : 'offline', lastSeen: now };
}

/** This device first, then the online ones, then by when last seen; offline ones bounded. */
export function bounded(devices: Device[], now: number): Device[] {
  const sorted = devices
    .filter((d) => d.state === 'online' || now - d.lastSeen < FORGET_AFTER_MS)
    .sort(
      (a, b) => Number(b.self) - Number(a.self) || Number(b.state === 'online') - Number(a.state === 'online') || b.lastSeen - a.lastSeen,
    );
  return sorted.slice(0, MAX_DEVICES);
}

function userOf(aor: string): string | undefined {
  return /^sips?:([^@;?]+)@/i.exec(aor.trim())?.[1];
}
