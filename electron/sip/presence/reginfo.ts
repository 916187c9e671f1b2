/**
 * Registration state (RFC 3680 "reg" event package, application/reginfo+xml): the bindings of an
 * address of record as the registrar reports them, decoded through xml-reader.ts (no DTD, bounded).
 * Only what Parley shows is kept: each contact's id, state, event, expiry and URI, and the two URI
 * parameters Parley registers with (register-client.ts): the device name and nothing else.
 * Everything else in the document (callid, cseq, received, path, unknown-param) is ignored.
 */
import { parseCount } from './watcherinfo.js';
import { XmlError, attribute, childElements, firstChild, readXml, type XmlLimits } from './xml-reader.js';

export const REGINFO_NS = 'urn:ietf:params:xml:ns:reginfo';
export const REGINFO_CONTENT_TYPE = 'application/reginfo+xml';
/** The Contact URI parameter that carries a Parley device's name (percent-encoded) in REGISTER. */
export const DEVICE_NAME_PARAM = 'parley-device';

export interface RegContact {
  /** The contact's id in the document (partial documents refer to it). */
  id: string;
  state: 'active' | 'terminated';
  /** What last happened to it (RFC 3680 §5.2: registered, created, refreshed, shortened, expired, deactivated, probation, unregistered, rejected). */
  event?: string;
  /** Seconds left, when given. */
  expires?: number;
  uri: string;
  /** The user part of the contact URI (Parley's stable per-install Contact user). */
  user?: string;
  /** A Parley device's name, from its Contact URI. */
  deviceName?: string;
}

export interface Registration {
  aor: string;
  state: 'init' | 'active' | 'terminated';
  contacts: RegContact[];
}

export interface RegInfoDocument {
  version: number;
  state: 'full' | 'partial';
  registrations: Registration[];
}

/** Decodes one application/reginfo+xml body. Throws XmlError (only). */
export function decodeRegInfo(xml: string, limits?: Partial<XmlLimits>): RegInfoDocument {
  const root = readXml(xml, limits);
  if (root.ns !== REGINFO_NS || root.name !== 'reginfo') {
    throw new XmlError('unexpected-document', 'not a reginfo document: the root is not <reginfo>');
  }
  // Lenient about the version: Kamailio's pua_reginfo sends 0 in every document (each one full).
  const version = parseCount(attribute(root, 'version')) ?? 0;
  const state = attribute(root, 'state')?.trim() === 'partial' ? 'partial' : 'full';
  const registrations: Registration[] = [];
  for (const reg of childElements(root, REGINFO_NS, 'registration')) {
    const regState = attribute(reg, 'state')?.trim();
    const registration: Registration = {
      aor: attribute(reg, 'aor')?.trim() ?? '',
      state: regState === 'active' || regState === 'terminated' ? regState : 'init',
      contacts: [],
    };
    for (const c of childElements(reg, REGINFO_NS, 'contact')) {
      const uri = firstChild(c, REGINFO_NS, 'uri')?.text.trim() ?? '';
      const contactState = attribute(c, 'state')?.trim();
      if (!uri || (contactState !== 'active' && contactState !== 'terminated')) continue;
      const contact: RegContact = { id: attribute(c, 'id')?.trim() || uri, state: contactState, uri };
      const event = attribute(c, 'event')?.trim();
      if (event) contact.event = event;
      const expires = parseCount(attribute(c, 'expires'));
      if (expires !== undefined) contact.expires = expires;
      const user = /^sips?:([^@;?]+)@/i.exec(uri)?.[1];
      if (user) contact.user = user;
      const name = deviceNameOf(uri);
      if (name) contact.deviceName = name;
      registration.contacts.push(contact);
    }
    registrations.push(registration);
  }
  return { version, state, registrations };
}

/** The `parley-device` parameter of a contact URI, decoded; undefined when absent or not decodable. */
function deviceNameOf(uri: string): string | undefined {
  const raw = new RegExp(`;${DEVICE_NAME_PARAM}=([^;?>]*)`, 'i').exec(uri)?.[1];
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `name` as a Contact URI parameter (RFC 3261 pvalue: percent-encoded beyond the unreserved). */
export function deviceNameParam(name: string): string {
  return `;${DEVICE_NAME_PARAM}=${encodeURIComponent(name)}`;
}
