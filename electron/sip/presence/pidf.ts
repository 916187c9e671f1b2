/**
 * PIDF (RFC 3863) with the data model (RFC 4479: person, device, tuple) and RPID (RFC 4480)
 * decoder: one presence document -> a plain structure.
 *
 * Strict about safety (every byte goes through readXml: no DTD, bounded size and depth) and lenient
 * about content: unknown elements and namespaces are ignored, missing parts are left out, values
 * that are not what the RFC says (baresip writes <basic>?</basic> for "unknown") are dropped
 * rather than failing the whole document. Only a body that is not XML, or whose root is not a PIDF
 * <presence>, is an error (XmlError).
 */
import { DATA_MODEL_NS, PIDF_NS, RPID_NS } from './namespaces.js';
import { XML_NAMESPACE, XmlError, attribute, childElements, firstChild, readXml, type XmlElement, type XmlLimits } from './xml-reader.js';

export type BasicStatus = 'open' | 'closed';
/** RPID user-input: whether someone is at the device (RFC 4480 §3.2.7). */
export type UserInput = 'active' | 'idle';

export interface PidfNote {
  text: string;
  /** xml:lang, when given. */
  lang?: string;
}

/** A service (RFC 4479): how the presentity can be reached. */
export interface PidfTuple {
  id: string;
  /** Missing when absent or not 'open'/'closed'. */
  basic?: BasicStatus;
  contact?: string;
  /** Contact priority, 0..1 (RFC 3863 §4.1.5). */
  priority?: number;
  notes: PidfNote[];
  /** Epoch ms of the tuple's <timestamp>. */
  timestamp?: number;
  /** dm:deviceID: the device this service runs on. */
  deviceId?: string;
  /** RPID activities written inside a tuple (pre-data-model publishers); normally empty. */
  activities: string[];
  userInput?: UserInput;
}

/** The person (RFC 4479): what the human is doing. Composed documents can carry several. */
export interface PidfPerson {
  id?: string;
  /** RPID activity element names, e.g. 'on-the-phone'; unknown RPID activities kept by name. */
  activities: string[];
  /** Text of <rpid:other>, the free-form activity. */
  otherActivity?: string;
  /** RPID mood element names, e.g. 'happy'. */
  mood: string[];
  notes: PidfNote[];
  timestamp?: number;
  userInput?: UserInput;
}

export interface PidfDevice {
  id?: string;
  deviceId?: string;
  notes: PidfNote[];
  timestamp?: number;
  userInput?: UserInput;
}

export interface PidfDocument {
  /** The presentity (presence@entity). '' when a sloppy publisher left it out. */
  entity: string;
  tuples: PidfTuple[];
  persons: PidfPerson[];
  devices: PidfDevice[];
  /** Notes directly under <presence>. */
  notes: PidfNote[];
}

/** Activity spellings from older RPID drafts, read as their RFC 4480 names. */
const ACTIVITY_ALIASES: Readonly<Record<string, string>> = { onthephone: 'on-the-phone' };

/** Decodes one application/pidf+xml body. Throws XmlError (only). */
export function decodePidf(xml: string, limits?: Partial<XmlLimits>): PidfDocument {
  const root = readXml(xml, limits);
  // Lenient: a <presence> in no namespace is read as PIDF (some hand-written publishers omit xmlns).
  const ns = root.ns;
  if (root.name !== 'presence' || (ns !== PIDF_NS && ns !== '')) {
    throw new XmlError('unexpected-document', 'not a PIDF document: the root is not <presence>');
  }
  const doc: PidfDocument = { entity: attribute(root, 'entity')?.trim() ?? '', tuples: [], persons: [], devices: [], notes: [] };
  for (const el of root.children) {
    if (el.ns === ns && el.name === 'tuple') doc.tuples.push(readTuple(el, ns));
    else if (el.ns === ns && el.name === 'note') pushNote(doc.notes, el);
    else if (el.ns === DATA_MODEL_NS && el.name === 'person') doc.persons.push(readPerson(el, ns));
    else if (el.ns === DATA_MODEL_NS && el.name === 'device') doc.devices.push(readDevice(el, ns));
  }
  return doc;
}

function readTuple(el: XmlElement, ns: string): PidfTuple {
  const tuple: PidfTuple = { id: attribute(el, 'id') ?? '', notes: [], activities: [] };
  const status = firstChild(el, ns, 'status');
  if (status) {
    const basic = firstChild(status, ns, 'basic')?.text.trim().toLowerCase();
    if (basic === 'open' || basic === 'closed') tuple.basic = basic;
    // Pre-data-model RPID put activities and user-input into the tuple's status.
    readRpidInto(status, tuple);
  }
  const contact = firstChild(el, ns, 'contact');
  if (contact) {
    const uri = contact.text.trim();
    if (uri) tuple.contact = uri;
    const priority = parsePriority(attribute(contact, 'priority'));
    if (priority !== undefined) tuple.priority = priority;
  }
  for (const note of childElements(el, ns, 'note')) pushNote(tuple.notes, note);
  const timestamp = readTimestamp(el, ns);
  if (timestamp !== undefined) tuple.timestamp = timestamp;
  const deviceId = firstChild(el, DATA_MODEL_NS, 'deviceID')?.text.trim();
  if (deviceId) tuple.deviceId = deviceId;
  readRpidInto(el, tuple);
  return tuple;
}

function readPerson(el: XmlElement, ns: string): PidfPerson {
  const person: PidfPerson = { activities: [], mood: [], notes: [] };
  const id = attribute(el, 'id');
  if (id) person.id = id;
  readRpidInto(el, person);
  const mood = firstChild(el, RPID_NS, 'mood');
  if (mood)
    for (const m of mood.children) if (m.ns === RPID_NS && m.name !== 'note' && !person.mood.includes(m.name)) person.mood.push(m.name);
  // RFC 4479 puts the person's note in dm:; liblinphone and others also use the PIDF note.
  for (const note of el.children) if (note.name === 'note' && (note.ns === DATA_MODEL_NS || note.ns === ns)) pushNote(person.notes, note);
  const timestamp = readTimestamp(el, ns);
  if (timestamp !== undefined) person.timestamp = timestamp;
  return person;
}

function readDevice(el: XmlElement, ns: string): PidfDevice {
  const device: PidfDevice = { notes: [] };
  const id = attribute(el, 'id');
  if (id) device.id = id;
  const deviceId = firstChild(el, DATA_MODEL_NS, 'deviceID')?.text.trim();
  if (deviceId) device.deviceId = deviceId;
  for (const note of el.children) if (note.name === 'note' && (note.ns === DATA_MODEL_NS || note.ns === ns)) pushNote(device.notes, note);
  const timestamp = readTimestamp(el, ns);
  if (timestamp !== undefined) device.timestamp = timestamp;
  const input = readUserInput(el);
  if (input) device.userInput = input;
  return device;
}

/** RPID activities (and the free-form <rpid:other>) and user-input found directly in `el`. */
function readRpidInto(el: XmlElement, into: { activities: string[]; otherActivity?: string; userInput?: UserInput }): void {
  for (const activities of childElements(el, RPID_NS, 'activities')) {
    for (const a of activities.children) {
      // <rpid:note> inside <activities> describes them; it is not an activity.
      if (a.ns !== RPID_NS || a.name === 'note') continue;
      const name = ACTIVITY_ALIASES[a.name] ?? a.name;
      if (!into.activities.includes(name)) into.activities.push(name);
      if (name === 'other') {
        const text = a.text.trim();
        if (text && into.otherActivity === undefined) into.otherActivity = text;
      }
    }
  }
  const input = readUserInput(el);
  if (input) into.userInput = input;
}

function readUserInput(el: XmlElement): UserInput | undefined {
  const v = firstChild(el, RPID_NS, 'user-input')?.text.trim().toLowerCase();
  return v === 'idle' || v === 'active' ? v : undefined;
}

function pushNote(into: PidfNote[], el: XmlElement): void {
  const text = el.text.trim();
  if (!text) return;
  const lang = attribute(el, 'lang', XML_NAMESPACE);
  into.push(lang ? { text, lang } : { text });
}

/** <timestamp> in PIDF (RFC 3863) or data-model (RFC 4479) namespace; liblinphone writes the former in persons. */
function readTimestamp(el: XmlElement, ns: string): number | undefined {
  const t = (firstChild(el, ns, 'timestamp') ?? firstChild(el, DATA_MODEL_NS, 'timestamp'))?.text.trim();
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : undefined;
}

/** qvalue (RFC 3261 §25.1): 0 to 1, at most three decimals; lenient about the decimals. */
function parsePriority(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (!/^(?:0(?:\.\d{0,6})?|1(?:\.0{0,6})?|\.\d{1,6})$/.test(t)) return undefined;
  return Number(t);
}
