/**
 * Whether the account is reachable through its server right now, in words for the screen. With a
 * server configured and no registration in force, watchers see us offline and our view of buddies
 * is not refreshed: the own status must not say "Available", and buddies show as out of date. In
 * direct mode (no server) there is nothing to lose. Pure.
 */
import type { AccountView, RegistrationState } from '../../../shared/ipc.js';
import { describeRegistration } from './format.js';

export interface ServerLink {
  /** True with no server (direct mode) or while registered. */
  connected: boolean;
  /** Why not, for a person: "Connecting to the server…", or the registration's reason and retry. */
  reason?: string;
}

export function serverLink(account: AccountView | null, registration: RegistrationState, now: number): ServerLink {
  if (!account?.proxy || registration.state === 'registered' || registration.state === 'direct') return { connected: true };
  if (registration.state === 'registering') return { connected: false, reason: 'Connecting to the server…' };
  if (registration.state === 'unregistered' || registration.state === 'unregistering')
    return { connected: false, reason: 'Signed out of the server.' };
  return { connected: false, reason: describeRegistration(registration, now).detail };
}
