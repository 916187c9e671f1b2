/** Why a MESSAGE failed, as a reason (RFC 3428 §7 and the usual SIP answers); `peer` is its address. */
import type { Reason } from '../../../shared/domain/reason.js';

export function explainDeliveryFailure(status: number, peer: string, reasonPhrase?: string): Reason {
  switch (status) {
    case 404:
      return { code: 'delivery.unknown-user', params: { peer } };
    case 480:
      return { code: 'delivery.offline', params: { peer } };
    case 408:
      return { code: 'delivery.timeout', params: { peer } };
    case 415:
      return { code: 'delivery.unsupported', params: { peer } };
    case 401:
    case 407:
    case 403:
      return { code: 'delivery.refused' };
    case 413:
    case 513:
      return { code: 'delivery.too-large' };
    case 486:
    case 600:
    case 603:
      return { code: 'delivery.declined', params: { peer } };
    case 503:
      return { code: 'delivery.unreachable' };
    default:
      return { code: 'delivery.failed', params: { status, ...(reasonPhrase ? { phrase: reasonPhrase } : {}) } };
  }
}

/**
 * Why Parley stopped sending a message by itself: the connection closed under it `times` times
 * without an answer, which is how a server drops a message it will not take (one too large for it).
 */
export function explainConnectionLost(times: number): Reason {
  return { code: 'delivery.connection-lost', params: { times } };
}
