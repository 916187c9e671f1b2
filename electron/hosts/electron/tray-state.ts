/**
 * What the tray shows, as a pure function: the picture for our presence (assets/tray/, copied to
 * dist/electron/tray/ by electron/build.ts), the tooltip (connection, status, unread) and the
 * statuses its menu offers. No Electron import: electron/main/tray.ts draws it.
 */
import type { Availability } from '../../../shared/domain/availability.js';
import type { RegistrationState } from '../../../shared/ipc.js';
import { AVAILABILITY_LABELS } from '../../../shared/words/presence.js';

export interface TrayFacts {
  registration: RegistrationState['state'];
  availability: Availability;
  /** The connection line (electron/hosts/electron/status.ts). */
  line: string;
  unread: number;
}

/** The statuses the tray and the application menu set, in menu order, with their words. */
export const TRAY_STATUSES: ReadonlyArray<{ availability: Availability; label: string }> = [
  { availability: 'online', label: AVAILABILITY_LABELS.online },
  { availability: 'away', label: AVAILABILITY_LABELS.away },
  { availability: 'busy', label: AVAILABILITY_LABELS.busy },
  { availability: 'offline', label: 'Appear offline' },
];

/** Not reachable by others: whatever we chose, the tray shows offline. */
const connected = (state: RegistrationState['state']) => state === 'registered' || state === 'direct';

/** The state picture's base name in the tray folder. */
export function trayPicture(facts: Pick<TrayFacts, 'registration' | 'availability'>): Availability {
  return connected(facts.registration) ? facts.availability : 'offline';
}

/** File name in the tray folder: macOS draws a template (monochrome, tinted by the menu bar). */
export function trayImageFile(facts: Pick<TrayFacts, 'registration' | 'availability'>, platform: NodeJS.Platform): string {
  return platform === 'darwin' ? 'trayTemplate.png' : `${trayPicture(facts)}.png`;
}

export function trayTooltip(facts: TrayFacts): string {
  const status = connected(facts.registration) ? ` — ${AVAILABILITY_LABELS[facts.availability]}` : '';
  return `Parley — ${facts.line}${status}${facts.unread > 0 ? ` — ${facts.unread} unread` : ''}`;
}
