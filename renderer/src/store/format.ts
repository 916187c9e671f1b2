/** Words and numbers for the screen: pure functions of state and the current time. */
import type { ChatMessage, ListeningAddress, Reason, RegistrationState } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { formatTime } from './local-time.js';

export type Tone = 'ok' | 'busy' | 'bad' | 'idle';

export interface RegistrationView {
  label: string;
  detail: string;
  tone: Tone;
}

/** "45 s", "9 min 5 s", "2 h 10 min". Negative durations read as zero. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) return seconds && minutes < 10 ? `${minutes} min ${seconds} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Why the registration failed or waits: the core's reason, else one from the SIP status alone. */
export function registrationReason(registration: RegistrationState): Reason {
  return registration.reason ?? { code: 'register.status', params: registration.code !== undefined ? { status: registration.code } : {} };
}

function reasonText(registration: RegistrationState): string {
  const reason = wordReason(registrationReason(registration));
  const code = registration.code;
  return code !== undefined && !reason.includes(String(code)) ? `${reason} (SIP ${code})` : reason;
}

export function describeRegistration(
  registration: RegistrationState,
  now: number,
  listening: readonly ListeningAddress[] = [],
): RegistrationView {
  switch (registration.state) {
    case 'direct':
      return {
        label: 'Direct',
        detail: listening.length
          ? `No server: others reach you at ${listening.map((l) => l.uri).join(', ')}`
          : 'No server: waiting for a listening address…',
        tone: 'ok',
      };
    case 'unregistered':
      return { label: 'Not registered', detail: registration.reason ? wordReason(registration.reason) : '', tone: 'idle' };
    case 'registering':
      return { label: 'Registering…', detail: 'Contacting the server', tone: 'busy' };
    case 'registered': {
      const parts: string[] = [];
      if (registration.expiresAt !== undefined) parts.push(`expires in ${formatDuration(registration.expiresAt - now)}`);
      else if (registration.expires !== undefined) parts.push(`for ${formatDuration(registration.expires * 1000)}`);
      if (registration.publicAddress) parts.push(`seen as ${registration.publicAddress}`);
      return { label: 'Registered', detail: parts.join(' · '), tone: 'ok' };
    }
    case 'unregistering':
      return { label: 'Signing out…', detail: '', tone: 'busy' };
    case 'failed':
      return { label: 'Registration failed', detail: reasonText(registration), tone: 'bad' };
    case 'retrying': {
      const when =
        registration.retryAt === undefined
          ? 'retrying soon'
          : registration.retryAt <= now
            ? 'retrying now'
            : `next try in ${formatDuration(registration.retryAt - now)}`;
      return { label: 'Retrying', detail: `${reasonText(registration)} · ${when}`, tone: 'busy' };
    }
    default: {
      const never: never = registration.state;
      return { label: String(never), detail: '', tone: 'idle' };
    }
  }
}

const encoder = new TextEncoder();
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * The time line of a message. A message the server stored for later delivery arrives with its
 * original date (`sentAt`): both are shown when they differ by a minute or more.
 */
export function messageTimes(message: Pick<ChatMessage, 'at' | 'sentAt' | 'direction'>, now: number): string {
  const at = formatTime(message.at, now);
  if (message.direction !== 'in' || message.sentAt === undefined || Math.abs(message.at - message.sentAt) < 60_000) return at;
  return `sent ${formatTime(message.sentAt, now)}, received ${at}`;
}

/** A short name for a peer in running text ("bob is typing…"): the user part, else the host. */
export { userPart as peerName } from '../../../shared/words/person-name.js';

/** Outgoing messages the user may send again by hand or take out of the outbox. */
export function outboxActions(message: Pick<ChatMessage, 'direction' | 'state'>): { retry: boolean; cancel: boolean } {
  const open = message.direction === 'out' && (message.state === 'queued' || message.state === 'failed');
  return { retry: open, cancel: open };
}
