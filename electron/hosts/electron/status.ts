/**
 * What the tray says about the connection, as a pure function of the registration state.
 */
import type { RegistrationState } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';

/** One short line for the tray tooltip and menu. */
export function statusLine(registration: RegistrationState, aor?: string): string {
  const who = aor ? ` as ${aor.replace(/^sips?:/i, '')}` : '';
  switch (registration.state) {
    case 'registered':
      return `Online${who}`;
    case 'direct':
      return `Online (direct)${who}`;
    case 'registering':
      return 'Connecting…';
    case 'retrying':
      return registration.reason ? `Reconnecting… (${wordReason(registration.reason)})` : 'Reconnecting…';
    case 'failed':
      return registration.reason ? `Offline: ${wordReason(registration.reason)}` : 'Offline: sign-in failed';
    case 'unregistering':
      return 'Signing out…';
    case 'unregistered':
      return 'Offline';
  }
}
