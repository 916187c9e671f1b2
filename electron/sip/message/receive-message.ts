/**
 * An out-of-dialog MESSAGE taken before sip.js's transaction layer: the receive path of every
 * paging-mode chat message (RFC 3428).
 *
 * Why: for each request sip.js builds a server transaction, a user agent server, its logger and
 * an API wrapper, runs their state machines and a zero timer to end them, and sends its answer
 * through our transport, which reads that answer again to find where it goes. A MESSAGE outside a
 * dialog needs none of it here: over UDP the transport's absorber answers its copies (as it does for
 * every request sip.js answered, its transactions ending at their answer), and the chat keeps it
 * once by its ids whichever way it came (core/conversations/). The profile of a received flood had
 * that machinery at about a quarter of the CPU per message (docs/DESIGN.md §3).
 *
 * What it keeps of sip.js: the parser (the owner reads the same IncomingRequestMessage it always
 * did), the checks sip.js makes before its core takes a request (a request they would refuse goes
 * to sip.js untouched, which refuses it as before), and its response builder. A MESSAGE that names
 * a dialog (a To tag) is sip.js's too.
 */
import { UserAgentState, type UserAgent } from 'sip.js';
import { constructOutgoingResponse, IncomingRequestMessage, Parser, type ResponseOptions, type URI } from 'sip.js/lib/core/index.js';
import { header, type MessageHead } from '../wire/headers.js';

/** A received out-of-dialog MESSAGE as its owner sees it: sip.js's own Message has this shape too. */
export interface ReceivedMessage {
  readonly request: IncomingRequestMessage;
  accept(options?: ResponseOptions): Promise<void>;
  reject(options?: ResponseOptions): Promise<void>;
}

/** The headers sip.js requires of every request before it looks further (its minimum-headers check). */
const MANDATORY = ['from', 'to', 'call_id', 'cseq', 'via'];

/**
 * Take `text` (a request as the transport stamped it) when it is an out-of-dialog MESSAGE sip.js
 * would hand to its user: `onMessage` gets it, and its accept/reject answer through `answer`.
 * False: the transport gives it to sip.js as before.
 */
export function takeMessage(
  ua: UserAgent,
  onMessage: (message: ReceivedMessage) => void,
  text: string,
  head: MessageHead,
  answer: (response: string) => Promise<void>,
): boolean {
  // Cheap first: a To that so much as mentions a tag, or a stopped user agent, stays sip.js's.
  if (head.method !== 'MESSAGE' || ua.state !== UserAgentState.Started || /tag/i.test(header(head, 'to') ?? 'tag')) return false;
  const request = Parser.parseMessage(text, ua.getLogger('sip.Parser'));
  if (!(request instanceof IncomingRequestMessage) || !acceptedBySipJs(ua, request)) return false;
  let answered = false;
  // As sip.js's user agent server: a second answer or a wrong status throws at once, and an answer
  // the transport could not send is logged (the sender's retransmission or timeout tells it).
  const reply = (options: ResponseOptions, lowest: number, highest: number): Promise<void> => {
    if (options.statusCode < lowest || options.statusCode > highest) throw new TypeError(`Invalid statusCode: ${options.statusCode}`);
    if (answered) throw new Error('this MESSAGE is answered already');
    answered = true;
    const configuration = ua.userAgentCore.configuration;
    const response = constructOutgoingResponse(request, {
      ...options,
      userAgent: options.userAgent ?? configuration.userAgentHeaderFieldValue,
      supported: options.supported ?? configuration.supportedOptionTagsResponse,
    });
    return answer(response.message).catch((error: unknown) => {
      ua.getLogger('sip.user-agent-server').error(
        `could not send the answer to a MESSAGE: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  };
  onMessage({
    request,
    accept: (options = { statusCode: 200 }) => reply(options, 200, 299),
    reject: (options = { statusCode: 480 }) => reply(options, 300, 699),
  });
  return true;
}

/**
 * Whether sip.js would hand this request to its user as it is: its user agent's checks (the
 * mandatory headers, its own Call-IDs coming back, a body shorter than its Content-Length) and its
 * core's (a sip: or sips: Request-URI naming us, or anyone when acceptAnyRequestUser is set, and no
 * To tag). The merged-request check does not apply: acceptMergedMessages exempts MESSAGE.
 */
function acceptedBySipJs(ua: UserAgent, request: IncomingRequestMessage): boolean {
  const configuration = ua.userAgentCore.configuration;
  if (!MANDATORY.every((name) => request.hasHeader(name))) return false;
  if (request.toTag || request.callId.slice(0, 5) === configuration.sipjsId) return false;
  const contentLength = request.getHeader('content-length');
  if (contentLength && Buffer.byteLength(request.body) < Number(contentLength)) return false;
  const ruri = request.ruri;
  if (!ruri || (ruri.scheme !== 'sip' && ruri.scheme !== 'sips')) return false;
  if (configuration.acceptAnyRequestUser) return true;
  const names = (uri: URI | undefined) => uri !== undefined && uri.user === ruri.user;
  const contact = configuration.contact;
  return names(configuration.aor) || names(contact.uri) || names(contact.pubGruu) || names(contact.tempGruu);
}
