/**
 * The account's MSRP relay (RFC 4976, docs/DESIGN.md#msrp-relay) for chat sessions: where it is
 * (the account setting msrpRelay, shared/domain/account.ts), who we are to it (the account's
 * authorization user, or its address's user part, and password: the bundled relay checks the same
 * subscriber table as SIP), and one login per session on a connection of its own
 * (sip/msrp/relay-client.ts). A TLS relay is verified as a server with the account's trusted
 * certificates (sip/msrp/listener.ts). Every failure is a reservation with a reason, logged here.
 */
import type { AccountConfig } from '../../../shared/domain/account.js';
import type { MsrpListener } from '../../sip/msrp/listener.js';
import { reserveRelay, type Reservation } from '../../sip/msrp/relay-client.js';
import { parseMsrpUri, type MsrpUri } from '../../sip/msrp/uri.js';
import { parseSipUri } from '../../sip/transport/next-hop.js';
import type { Reason } from '../../../shared/domain/reason.js';
import type { Logger } from '../../support/logger.js';
import { relayProblem } from './relay-status.js';

/** A session on a relay ends this long before its reservation runs out (chat-sessions.ts renewBefore). */
export const RELAY_RENEW_MARGIN_S = 120;

export interface AccountRelay {
  uri: MsrpUri;
  /** Logs in to the relay for `local` (our URI in one session): the connection is the session's. */
  reserve(local: MsrpUri): Promise<Reservation>;
}

/** undefined when the account names no relay (or one that is not an MSRP URI after all). */
export function accountRelay(
  account: AccountConfig | undefined,
  password: string | undefined,
  listener: MsrpListener,
  trust: readonly string[],
  logger: Logger,
  /** Each login's outcome, for the window (relay-status.ts): null when it worked. */
  outcome: (problem: Reason | null) => void = () => {},
): AccountRelay | undefined {
  if (!account?.msrpRelay) return undefined;
  const text = account.msrpRelay.trim();
  const uri = parseMsrpUri(/;tcp$/i.test(text) ? text : `${text};tcp`);
  if (!uri) {
    logger.warn('the MSRP relay setting is not an MSRP URI: sessions go direct', { relay: text });
    return undefined;
  }
  const username = account.authUser ?? parseSipUri(account.aor)?.user ?? account.aor;
  const credentials = password !== undefined ? { username, password } : undefined;
  return {
    uri,
    reserve: async (local) => {
      let reservation: Reservation;
      let unreachable: string | undefined;
      try {
        const connection = await listener.connect(uri, { ca: trust });
        reservation = await reserveRelay(connection, uri, local, credentials);
      } catch (error) {
        unreachable = error instanceof Error ? error.message : String(error);
        reservation = { ok: false, code: undefined, reason: `the relay cannot be reached: ${unreachable}` };
      }
      if (!reservation.ok)
        logger.warn('the MSRP relay refused us: this chat goes by paging mode', { relay: text, reason: reservation.reason });
      outcome(relayProblem(text, reservation, unreachable));
      return reservation;
    },
  };
}
