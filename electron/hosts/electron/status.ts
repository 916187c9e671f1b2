/**
 * What the tray and the notifications say, as pure functions of core state and events.
 */
import type { RegistrationState, SequencedEvent } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { escapeNotificationMarkup } from './security.js';

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

export interface MessageNotification {
  title: string;
  body: string;
  conversationId: string;
}

const MAX_BODY = 240;

/**
 * The notification to show for an event, or null: only incoming messages, and only while no
 * Parley window has the focus. Bodies are cut short and, on Linux, escaped (servers read markup).
 */
export function notificationFor(
  event: SequencedEvent,
  context: { windowFocused: boolean; platform?: NodeJS.Platform },
): MessageNotification | null {
  if (event.type !== 'message' || event.direction !== 'in' || context.windowFocused) return null;
  let body = event.body.replace(/\s+/g, ' ').trim();
  if (body.length > MAX_BODY) body = body.slice(0, MAX_BODY - 1) + '…';
  const title = event.from.replace(/^sips?:/i, '') || 'New message';
  const linux = (context.platform ?? process.platform) === 'linux';
  return {
    title,
    body: linux ? escapeNotificationMarkup(body) : body,
    conversationId: event.conversationId,
  };
}
