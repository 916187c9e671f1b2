/**
 * A small XML reader for presence bodies (PIDF, watcher-info) that arrive from the network.
 *
 * Safe by construction rather than by configuration:
 *   - no DTD at all: a DOCTYPE is refused, so there are no external entities (XXE) and no entity
 *     expansion (billion laughs); only the five predefined entities and character references exist;
 *   - bounded: input size (checked before anything else), element depth, element count and
 *     attributes per element; depth is bounded before it can grow, so 100k nested tags stop at the
 *     limit and nothing recurses;
 *   - linear: every scan moves forward (indexOf from the current position, remembered look-aheads
 *     for '&' and CR), so no input can make it quadratic or hang;
 *   - one failure type: anything wrong throws XmlError with a code; nothing else is thrown.
 *
 * What it builds is a minimal tree with resolved namespaces: an element knows its namespace URI,
 * its local name, its attributes (namespace declarations removed) and the character data directly
 * inside it (text and CDATA, concatenated). Comments and processing instructions are skipped; the
 * XML declaration is accepted at the very start. Mixed content order is not kept: presence formats
 * do not need it.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export type XmlErrorCode =
  | 'too-large'
  | 'too-deep'
  | 'too-many-elements'
  | 'too-many-attributes'
  | 'doctype'
  | 'bad-char'
  | 'entity'
  | 'namespace'
  | 'malformed'
  /** Well-formed XML, but not the document type the caller asked for (e.g. not PIDF). */
  | 'unexpected-document';

/** The only error the presence readers throw. The message names positions, never document text. */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly code: XmlErrorCode,
    message: string,
    /** Offset in the input (UTF-16 code units) where the problem was seen, or -1. */
    readonly offset = -1,
  ) {
    super(offset >= 0 ? `${message} (at ${offset})` : message);
  }
}

export interface XmlLimits {
  /** Largest input in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest element nesting (the root is depth 1). */
  maxDepth: number;
  maxElements: number;
  /** Attributes on one element, namespace declarations included. */
  maxAttributes: number;
}

/** Sized for a presence document: a composed PIDF from a server with many devices fits easily. */
export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 64 * 1024,
  maxDepth: 32,
  maxElements: 4096,
  maxAttributes: 32,
});

export interface XmlAttribute {
  /** Namespace URI; '' for an unprefixed attribute (attributes do not take the default namespace). */
  readonly ns: string;
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI, '' when none is in scope. */
  readonly ns: string;
  /** Local name (without prefix). */
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element (text and CDATA), entities resolved. */
  readonly text: string;
}

/**
 * Characters XML 1.0 does not allow anywhere (C0 controls except TAB/LF/CR, U+FFFE/U+FFFF, lone
 * surrogates: with the u flag a lone surrogate is its own code point and falls outside every range).
 */
export const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** As readXml, for callers to whom an unreadable document is simply none: undefined instead of XmlError. */
export function readXmlOrNone(input: string, limits: Partial<XmlLimits> = {}): XmlElement | undefined {
  try {
    return readXml(input, limits);
  } catch (error) {
    if (error instanceof XmlError) return undefined;
    throw error;
  }
}

/** Parses a whole document and returns its root element. Throws XmlError, nothing else. */
export function readXml(input: string, limits: Partial<XmlLimits> = {}): XmlElement {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  if (typeof input !== 'string') throw new XmlError('malformed', 'input is not text');
  checkSize(input, lim.maxBytes);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const bad = NOT_XML_CHAR.exec(text);
  if (bad)
    throw new XmlError(
      'bad-char',
      `character U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`,
      bad.index,
    );
  try {
    return new Reader(text, lim).document();
  } catch (err) {
    if (err instanceof XmlError) throw err;
    // Defensive: a bug in the reader must still surface as the reader's error, never as a crash elsewhere.
    throw new XmlError('malformed', 'unreadable document');
  }
}

/** Rejects by size before any parsing: a JS string of n code units is at least n UTF-8 bytes. */
function checkSize(s: string, maxBytes: number): void {
  if (s.length > maxBytes) throw new XmlError('too-large', `document larger than ${maxBytes} bytes`);
  if (s.length * 3 <= maxBytes) return;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  if (bytes > maxBytes) throw new XmlError('too-large', `document larger than ${maxBytes} bytes`);
}

interface MutableElement {
  ns: string;
  name: string;
  attributes: XmlAttribute[];
  children: MutableElement[];
  text: string;
}

/** One open element: its raw qualified name (to match the end tag) and the namespaces it declared. */
interface Frame {
  qname: string;
  element: MutableElement;
  defaultNs: string;
  prefixes: string[] | undefined;
  uris: string[] | undefined;
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const QUOT = 0x22;
const APOS = 0x27;
const AMP = 0x26;
const CR = 0x0d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

// Name characters, simplified to ASCII rules plus "any non-ASCII letter-ish code unit": exact
// Unicode name classes buy no safety here, and presence vocabularies are ASCII.
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

class Reader {
  private readonly n: number;
  /** Look-aheads: the next '&' and CR at or after the last place asked about (n when none). */
  private nextAmp = -1;
  private nextCr = -1;
  private elementCount = 0;

  constructor(
    private readonly s: string,
    private readonly lim: XmlLimits,
  ) {
    this.n = s.length;
  }

  document(): XmlElement {
    const s = this.s;
    const n = this.n;
    let i = 0;
    if (s.startsWith('<?xml', 0) && (isSpace(s.charCodeAt(5)) || s.charCodeAt(5) === QUESTION)) {
      const end = s.indexOf('?>', 5);
      if (end < 0) throw new XmlError('malformed', 'unterminated XML declaration', 0);
      i = end + 2;
    }
    const stack: Frame[] = [];
    let root: MutableElement | undefined;
    while (i < n) {
      const lt = s.indexOf('<', i);
      const textEnd = lt < 0 ? n : lt;
      if (textEnd > i) {
        const top = stack[stack.length - 1];
        if (top) top.element.text += this.decode(i, textEnd);
        else this.requireSpace(i, textEnd);
      }
      if (lt < 0) break;
      const c = s.charCodeAt(lt + 1);
      if (c === SLASH) {
        i = this.endTag(lt, stack);
      } else if (c === BANG) {
        i = this.markup(lt, stack);
      } else if (c === QUESTION) {
        i = this.processingInstruction(lt);
      } else {
        if (stack.length === 0 && root) throw new XmlError('malformed', 'content after the root element', lt);
        const opened = this.startTag(lt, stack);
        root ??= opened.element;
        i = opened.next;
      }
    }
    if (stack.length > 0) throw new XmlError('malformed', `unclosed element <${clip(stack[stack.length - 1]!.qname)}>`, n);
    if (!root) throw new XmlError('malformed', 'no root element', n);
    return root;
  }

  private requireSpace(from: number, to: number): void {
    for (let k = from; k < to; k++) {
      if (!isSpace(this.s.charCodeAt(k))) throw new XmlError('malformed', 'text outside the root element', k);
    }
  }

  /** Name at p (a QName: prefix:local); returns its end. */
  private nameEnd(p: number): number {
    const s = this.s;
    if (p >= this.n || !isNameStart(s.charCodeAt(p))) throw new XmlError('malformed', 'expected a name', p);
    let q = p + 1;
    while (q < this.n && isNameChar(s.charCodeAt(q))) q++;
    return q;
  }

  private skipSpace(p: number): number {
    while (p < this.n && isSpace(this.s.charCodeAt(p))) p++;
    return p;
  }

  private startTag(lt: number, stack: Frame[]): { element: MutableElement; next: number } {
    const s = this.s;
    if (stack.length >= this.lim.maxDepth) throw new XmlError('too-deep', `elements nested deeper than ${this.lim.maxDepth}`, lt);
    if (++this.elementCount > this.lim.maxElements)
      throw new XmlError('too-many-elements', `more than ${this.lim.maxElements} elements`, lt);
    const nameStart = lt + 1;
    let p = this.nameEnd(nameStart);
    const qname = s.slice(nameStart, p);
    const rawNames: string[] = [];
    const rawValues: string[] = [];
    let selfClosing = false;
    for (;;) {
      const afterName = p;
      p = this.skipSpace(p);
      if (p >= this.n) throw new XmlError('malformed', `unterminated tag <${clip(qname)}>`, lt);
      const c = s.charCodeAt(p);
      if (c === GT) {
        p++;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(p + 1) !== GT) throw new XmlError('malformed', "expected '>' after '/'", p);
        p += 2;
        selfClosing = true;
        break;
      }
      if (p === afterName) throw new XmlError('malformed', 'attributes must be separated by white space', p);
      const attrStart = p;
      p = this.nameEnd(p);
      const attrName = s.slice(attrStart, p);
      p = this.skipSpace(p);
      if (s.charCodeAt(p) !== EQUALS) throw new XmlError('malformed', `attribute ${clip(attrName)} has no value`, p);
      p = this.skipSpace(p + 1);
      const quote = s.charCodeAt(p);
      if (quote !== QUOT && quote !== APOS) throw new XmlError('malformed', 'attribute value must be quoted', p);
      const close = s.indexOf(quote === QUOT ? '"' : "'", p + 1);
      if (close < 0) throw new XmlError('malformed', 'unterminated attribute value', p);
      if (rawNames.length >= this.lim.maxAttributes)
        throw new XmlError('too-many-attributes', `more than ${this.lim.maxAttributes} attributes`, attrStart);
      if (rawNames.includes(attrName)) throw new XmlError('malformed', `duplicate attribute ${clip(attrName)}`, attrStart);
      rawNames.push(attrName);
      rawValues.push(this.attributeValue(p + 1, close));
      p = close + 1;
    }

    const parent = stack[stack.length - 1];
    const { prefix, local } = splitQName(qname, lt);
    const element: MutableElement = { ns: '', name: local, attributes: [], children: [], text: '' };
    const frame: Frame = { qname, element, defaultNs: parent ? parent.defaultNs : '', prefixes: undefined, uris: undefined };
    // Namespace declarations first: they apply to this element's own name and attributes.
    for (let k = 0; k < rawNames.length; k++) {
      const name = rawNames[k]!;
      if (name === 'xmlns') {
        if (rawValues[k] === XML_NAMESPACE) throw new XmlError('namespace', 'the xml namespace cannot be the default', lt);
        frame.defaultNs = checkNamespaceUri(rawValues[k]!, lt);
      } else if (name.startsWith('xmlns:')) {
        const prefix = name.slice(6);
        const uri = rawValues[k]!;
        checkPrefix(prefix, lt);
        if (prefix === 'xmlns') throw new XmlError('namespace', 'the xmlns prefix cannot be declared', lt);
        if ((prefix === 'xml') !== (uri === XML_NAMESPACE))
          throw new XmlError('namespace', 'the xml prefix and its namespace belong only to each other', lt);
        if (uri === '') throw new XmlError('namespace', `prefix ${clip(prefix)} bound to an empty namespace`, lt);
        checkNamespaceUri(uri, lt);
        (frame.prefixes ??= []).push(prefix);
        (frame.uris ??= []).push(uri);
      }
    }
    stack.push(frame);
    element.ns = prefix === undefined ? frame.defaultNs : this.lookup(prefix, stack, lt);
    for (let k = 0; k < rawNames.length; k++) {
      const name = rawNames[k]!;
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const parts = splitQName(name, lt);
      const ns = parts.prefix === undefined ? '' : this.lookup(parts.prefix, stack, lt);
      if (element.attributes.some((a) => a.ns === ns && a.name === parts.local))
        throw new XmlError('namespace', `attribute ${clip(name)} appears twice`, lt);
      element.attributes.push({ ns, name: parts.local, value: rawValues[k]! });
    }
    if (parent) parent.element.children.push(element);
    if (selfClosing) stack.pop();
    return { element, next: p };
  }

  private lookup(prefix: string, stack: readonly Frame[], at: number): string {
    if (prefix === 'xml') return XML_NAMESPACE;
    for (let k = stack.length - 1; k >= 0; k--) {
      const f = stack[k]!;
      if (!f.prefixes) continue;
      const idx = f.prefixes.lastIndexOf(prefix);
      if (idx >= 0) return f.uris![idx]!;
    }
    throw new XmlError('namespace', `undeclared prefix ${clip(prefix)}`, at);
  }

  private endTag(lt: number, stack: Frame[]): number {
    const p = this.nameEnd(lt + 2);
    const qname = this.s.slice(lt + 2, p);
    const q = this.skipSpace(p);
    if (this.s.charCodeAt(q) !== GT) throw new XmlError('malformed', `unterminated end tag </${clip(qname)}>`, lt);
    const top = stack.pop();
    if (!top) throw new XmlError('malformed', `end tag </${clip(qname)}> without a start tag`, lt);
    if (top.qname !== qname) throw new XmlError('malformed', `end tag </${clip(qname)}> does not match <${clip(top.qname)}>`, lt);
    return q + 1;
  }

  /** `<!` : a comment, CDATA, or a DOCTYPE (refused). */
  private markup(lt: number, stack: readonly Frame[]): number {
    const s = this.s;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('malformed', 'unterminated comment', lt);
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', lt)) {
      const top = stack[stack.length - 1];
      if (!top) throw new XmlError('malformed', 'CDATA outside the root element', lt);
      const end = s.indexOf(']]>', lt + 9);
      if (end < 0) throw new XmlError('malformed', 'unterminated CDATA section', lt);
      top.element.text += this.normaliseLineEnds(lt + 9, end);
      return end + 3;
    }
    if (s.startsWith('<!DOCTYPE', lt)) throw new XmlError('doctype', 'document type declarations are not accepted', lt);
    throw new XmlError('malformed', "unexpected '<!'", lt);
  }

  private processingInstruction(lt: number): number {
    const p = this.nameEnd(lt + 2);
    if (p - (lt + 2) === 3 && this.s.slice(lt + 2, p).toLowerCase() === 'xml') {
      throw new XmlError('malformed', 'XML declaration not at the start', lt);
    }
    const end = this.s.indexOf('?>', p);
    if (end < 0) throw new XmlError('malformed', 'unterminated processing instruction', lt);
    return end + 2;
  }

  private ampFrom(from: number): number {
    if (this.nextAmp < from) {
      const k = this.s.indexOf('&', from);
      this.nextAmp = k < 0 ? this.n : k;
    }
    return this.nextAmp;
  }

  private crFrom(from: number): number {
    if (this.nextCr < from) {
      const k = this.s.indexOf('\r', from);
      this.nextCr = k < 0 ? this.n : k;
    }
    return this.nextCr;
  }

  /** CRLF and lone CR become LF (XML 1.0 §2.11). */
  private normaliseLineEnds(from: number, to: number): string {
    const raw = this.s.slice(from, to);
    return this.crFrom(from) < to ? raw.replace(/\r\n?/g, '\n') : raw;
  }

  /** Character data: line ends normalised, references resolved. */
  private decode(from: number, to: number): string {
    let amp = this.ampFrom(from);
    if (amp >= to) return this.normaliseLineEnds(from, to);
    let out = '';
    let last = from;
    while (amp < to) {
      out += this.normaliseLineEnds(last, amp);
      const { char, end } = this.reference(amp, to);
      out += char;
      last = end;
      amp = this.ampFrom(last);
    }
    return out + this.normaliseLineEnds(last, to);
  }

  /** Attribute value: like character data, then TAB/LF (and normalised CR) become spaces. '<' is not allowed. */
  private attributeValue(from: number, to: number): string {
    const s = this.s;
    let plain = true;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      if (c === LT) throw new XmlError('malformed', "'<' in an attribute value", k);
      if (c === AMP || c === CR || c === 0x0a || c === 0x09) plain = false;
    }
    if (plain) return s.slice(from, to);
    let out = '';
    let last = from;
    let amp = this.ampFrom(from);
    while (amp < to) {
      out += whitespaceToSpaces(this.normaliseLineEnds(last, amp));
      const { char, end } = this.reference(amp, to);
      out += char; // a character reference keeps its character (that is how TAB/LF survive in values)
      last = end;
      amp = this.ampFrom(last);
    }
    return out + whitespaceToSpaces(this.normaliseLineEnds(last, to));
  }

  /** A reference at `amp`: the five predefined entities or a character reference. */
  private reference(amp: number, to: number): { char: string; end: number } {
    const s = this.s;
    let semi = -1;
    // References are short; looking no further than this keeps the scan linear.
    for (let k = amp + 1; k < to && k <= amp + 12; k++) {
      if (s.charCodeAt(k) === 0x3b) {
        semi = k;
        break;
      }
    }
    if (semi < 0) throw new XmlError('entity', "'&' that does not start a reference", amp);
    const name = s.slice(amp + 1, semi);
    let char: string;
    switch (name) {
      case 'lt':
        char = '<';
        break;
      case 'gt':
        char = '>';
        break;
      case 'amp':
        char = '&';
        break;
      case 'quot':
        char = '"';
        break;
      case 'apos':
        char = "'";
        break;
      default: {
        let code = NaN;
        if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) code = parseInt(name.slice(2), 16);
        else if (/^#[0-9]{1,7}$/.test(name)) code = parseInt(name.slice(1), 10);
        else if (name.startsWith('#')) throw new XmlError('entity', 'malformed character reference', amp);
        else throw new XmlError('entity', `undefined entity &${clip(name)}; (no DTD is read)`, amp);
        if (!isXmlCodePoint(code)) throw new XmlError('bad-char', 'character reference to a character XML does not allow', amp);
        char = String.fromCodePoint(code);
      }
    }
    return { char, end: semi + 1 };
  }
}

function isXmlCodePoint(c: number): boolean {
  return (
    c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)
  );
}

function whitespaceToSpaces(s: string): string {
  return s.replace(/[\t\n]/g, ' ');
}

function splitQName(qname: string, at: number): { prefix: string | undefined; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { prefix: undefined, local: qname };
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  if (prefix === '' || local === '' || local.includes(':')) throw new XmlError('namespace', `malformed qualified name ${clip(qname)}`, at);
  return { prefix, local };
}

function checkPrefix(prefix: string, at: number): void {
  if (prefix === '' || prefix.includes(':')) throw new XmlError('namespace', 'malformed namespace prefix', at);
}

/** The xmlns namespace is never bound, and the xml namespace only to its own prefix (checked by the caller). */
function checkNamespaceUri(uri: string, at: number): string {
  if (uri === XMLNS_NAMESPACE) throw new XmlError('namespace', 'the xmlns namespace cannot be declared', at);
  return uri;
}

/** Names in messages are cut short: an error message must not carry a document's bulk. */
function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

// ---- Reading helpers for the document decoders ----

/** Child elements with this namespace and local name. */
export function childElements(el: XmlElement, ns: string, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.name === name && c.ns === ns) out.push(c);
  return out;
}

export function firstChild(el: XmlElement, ns: string, name: string): XmlElement | undefined {
  for (const c of el.children) if (c.name === name && c.ns === ns) return c;
  return undefined;
}

/** An attribute's value; unprefixed attributes have namespace ''. */
export function attribute(el: XmlElement, name: string, ns = ''): string | undefined {
  for (const a of el.attributes) if (a.name === name && a.ns === ns) return a.value;
  return undefined;
}
