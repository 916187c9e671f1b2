/** Why a MESSAGE failed, in words a person understands (RFC 3428 §7 and the usual SIP answers). */
export function explainDeliveryFailure(status: number, peer: string, reasonPhrase?: string): string {
  switch (status) {
    case 404:
      return `${peer} is not a known user on that server.`;
    case 480:
      return `${peer} is offline and the server could not keep the message.`;
    case 408:
      return `No answer from ${peer} or the server in time.`;
    case 415:
      return `${peer} does not accept this kind of message.`;
    case 401:
    case 407:
    case 403:
      return 'The server refused to pass the message on (check your account and password).';
    case 413:
    case 513:
      return 'The message is too large for the server or the recipient.';
    case 486:
    case 600:
    case 603:
      return `${peer} declined the message.`;
    case 503:
      return 'The server could not be reached. Parley will try again when the connection returns.';
    default:
      return `Not delivered: ${status}${reasonPhrase ? ' ' + reasonPhrase : ''}.`;
  }
}
