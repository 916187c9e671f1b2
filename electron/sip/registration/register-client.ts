/**
 * REGISTER on sip.js's user agent core (RFC 3261 §10.2), below any policy. sip.js's Registerer
 * hides 423 handling and the other devices' bindings, so the request is driven here directly:
 *  - one Call-ID for the client's lifetime, CSeq rising by one per REGISTER (§10.2);
 *  - our Contact with the expires asked for (0 removes our binding, §10.2.2) and Allow;
 *  - the answer as a typed value: the registrar's grant for our own binding, found among every
 *    device's Contact (§10.2.4), the others counted, and our public address from the Via
 *    (RFC 3581); or the refusal with what it asks for (423 Min-Expires, §10.2.8; Retry-After) and
 *    whether it is sip.js's own transport-error 503 (request-failure.ts).
 *  - with an instance id, the Contact carries `+sip.instance` and `reg-id=1` (RFC 5626 §4.2): the
 *    registrar replaces this install's earlier binding instead of keeping a stale one beside it
 *    (each start has a new Contact user part), and our own binding is found by its instance;
 *  - `Supported: gruu` (RFC 5627 §4.1): a registrar that offers GRUUs lists our pub-gruu and
 *    temp-gruu on our binding; they become our Contact in every request and response outside
 *    REGISTER (RFC 5627 §3.3; the temp-gruu first, user-agent.ts), and are dropped
 *    when our binding is removed or the registrar stops offering them.
 * Digest challenges are answered by sip.js. What to register, when to refresh and when to retry is
 * the owner's (electron/core/account/registration.ts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingResponse, OutgoingRequestMessage } from 'sip.js/lib/core/index.js';
import { isTransportError } from '../request-failure.js';
import { UserAgent } from 'sip.js';
import { sipUri } from '../user-agent.js';

const ALLOW = 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER';

/** The registrar's answer to one REGISTER. */
export type RegisterAnswer =
  | {
      accepted: true;
      /** Seconds granted for our binding: its Contact's expires, else the Expires header, else what we asked. */
      expires: number;
      /** Where the registrar saw us come from (Via received and rport), when it said. */
      publicAddress?: string;
      /** Bindings of the same address of record that are not ours. */
      otherDevices: number;
      /** Our public GRUU (RFC 5627), when the registrar offered one. */
      pubGruu?: string;
      /** Our temporary GRUU, when the registrar offered one. */
      tempGruu?: string;
    }
  | {
      accepted: false;
      /** 0 when the answer carried none. */
      status: number;
      phrase?: string;
      /** A 423's Min-Expires, when it is a whole number. */
      minExpires?: number;
      /** Retry-After in seconds, when it is a positive whole number. */
      retryAfter?: number;
      /** sip.js's own 503 for a transport error: the network never answered. */
      transportError: boolean;
    };

export class RegisterClient {
  private readonly request: OutgoingRequestMessage;
  private readonly contactUser: string;
  /** `urn:uuid:…`, or undefined without an instance id. */
  private readonly instance?: string;

  /**
   * Throws when `aor` is not a SIP URI. `instanceId`: this install's UUID (instance-id.ts in core).
   * `uriParams`: Contact URI parameters for the registered binding only (the device's name, which
   * the account's other devices read from the registration state; never sent to peers).
   */
  constructor(
    private readonly ua: UserAgent,
    aor: string,
    instanceId?: string,
    private readonly uriParams: () => string = () => '',
  ) {
    const uri = sipUri(aor);
    if (!uri) throw new Error(`not a SIP URI: ${aor}`);
    const registrar = sipUri(`${uri.scheme}:${uri.host}`)!;
    this.request = ua.userAgentCore.makeOutgoingRequestMessage('REGISTER', registrar, uri, uri, {
      callId: randomBytes(16).toString('hex'),
      cseq: 0,
    });
    this.contactUser = ua.contact.uri.user ?? '';
    if (instanceId) this.instance = `urn:uuid:${instanceId.toLowerCase()}`;
  }

  /** One REGISTER asking for `expires` seconds (0: remove our binding). Throws when it cannot be sent. */
  send(expires: number, onAnswer: (answer: RegisterAnswer) => void): void {
    this.request.cseq++;
    this.request.setHeader('cseq', `${this.request.cseq} REGISTER`);
    const instance = this.instance ? `;+sip.instance="<${this.instance}>";reg-id=1` : '';
    this.request.extraHeaders = [
      `Contact: ${this.ua.contact.toString({ register: true }).replace('>', `${this.uriParams()}>`)}${instance};expires=${expires}`,
      ALLOW,
      ...(this.instance ? ['Supported: gruu'] : []),
    ];
    this.ua.userAgentCore.register(this.request, {
      onAccept: (response) => {
        const answer = this.granted(response, expires);
        this.useGruus(expires > 0 && answer.accepted ? answer : {});
        onAnswer(answer);
      },
      onReject: (response) => onAnswer(refusal(response)),
    });
  }

  /** RFC 5627 §3.3: our GRUU is the Contact of everything but REGISTER (sip.js reads these two). */
  private useGruus(gruus: { pubGruu?: string; tempGruu?: string }): void {
    const contact = this.ua.contact;
    contact.pubGruu = gruus.pubGruu ? UserAgent.makeURI(gruus.pubGruu) : undefined;
    contact.tempGruu = gruus.tempGruu ? UserAgent.makeURI(gruus.tempGruu) : undefined;
  }

  private isOurs(binding: Binding): boolean {
    return this.instance && binding.instance ? binding.instance === this.instance : binding.user === this.contactUser;
  }

  private granted(response: IncomingResponse, asked: number): RegisterAnswer {
    const bindings = contactBindings(response);
    // The newest of ours first: a registrar may still list the binding this one replaced.
    const ours = bindings.find((b) => b.user === this.contactUser) ?? bindings.find((b) => this.isOurs(b));
    const header = response.message.getHeader('expires');
    const expires = ours?.expires ?? (header && /^\d+$/.test(header.trim()) ? Number(header) : asked);
    const publicAddress = publicAddressOf(response);
    return {
      accepted: true,
      expires,
      ...(publicAddress ? { publicAddress } : {}),
      otherDevices: bindings.filter((b) => !this.isOurs(b)).length,
      ...(ours?.pubGruu ? { pubGruu: ours.pubGruu } : {}),
      ...(ours?.tempGruu ? { tempGruu: ours.tempGruu } : {}),
    };
  }
}

/**
 * When to refresh a grant of `expires` seconds, in ms: at 90 % of it and no later than 30 s before
 * it runs out, but never before half of it has passed (a short grant must not turn into a REGISTER
 * every second), and not within the first second.
 */
export function refreshDelay(expires: number): number {
  return Math.max(expires * 500, Math.min(expires * 900, (expires - 30) * 1000), 1000);
}

function refusal(response: IncomingResponse): RegisterAnswer {
  const status = response.message.statusCode ?? 0;
  const minExpires = status === 423 ? Number(response.message.getHeader('min-expires')) : NaN;
  const retryAfter = Number(response.message.getHeader('retry-after'));
  return {
    accepted: false,
    status,
    ...(response.message.reasonPhrase ? { phrase: response.message.reasonPhrase } : {}),
    ...(Number.isInteger(minExpires) ? { minExpires } : {}),
    ...(Number.isInteger(retryAfter) && retryAfter > 0 ? { retryAfter } : {}),
    transportError: isTransportError(response),
  };
}

interface Binding {
  user?: string;
  expires?: number;
  /** The `+sip.instance` URN, lower-case, without its angle brackets. */
  instance?: string;
  pubGruu?: string;
  tempGruu?: string;
}

/** Every binding the registrar listed (RFC 3261 §10.3 step 8), with its expires parameter. */
function contactBindings(response: IncomingResponse): Binding[] {
  const bindings: Binding[] = [];
  const count = response.message.getHeaders('contact').length;
  for (let i = 0; i < count; i++) {
    // parseHeader splits comma-joined values; it returns undefined for what it cannot parse.
    const contact = response.message.parseHeader('contact', i) as
      { uri?: { user?: string }; getParam(name: string): string | undefined } | undefined;
    if (!contact) continue;
    const raw = contact.getParam('expires');
    const instance = unquote(contact.getParam('+sip.instance'))?.replace(/^<|>$/g, '').toLowerCase();
    const pubGruu = unquote(contact.getParam('pub-gruu'));
    const tempGruu = unquote(contact.getParam('temp-gruu'));
    bindings.push({
      user: contact.uri?.user,
      ...(raw !== undefined && /^\d+$/.test(raw) ? { expires: Number(raw) } : {}),
      ...(instance ? { instance } : {}),
      ...(pubGruu && UserAgent.makeURI(pubGruu) ? { pubGruu } : {}),
      ...(tempGruu && UserAgent.makeURI(tempGruu) ? { tempGruu } : {}),
    });
  }
  return bindings;
}

/** A quoted parameter value's content (sip.js keeps the quotes). */
function unquote(value: string | undefined): string | undefined {
  return value?.replace(/^"(.*)"$/, '$1') || undefined;
}

function publicAddressOf(response: IncomingResponse): string | undefined {
  const via = response.message.getHeader('via') ?? '';
  const received = /;\s*received=([^;,\s]+)/i.exec(via)?.[1];
  const rport = /;\s*rport=(\d+)/i.exec(via)?.[1];
  return received && rport ? `${received}:${rport}` : undefined;
}
