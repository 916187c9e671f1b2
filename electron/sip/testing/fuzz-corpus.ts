/**
 * Fuzz inputs for a live core's inbound path, built from the real samples (parser-samples.ts), the
 * seeded mutator (fuzz.ts) and, optionally, messages captured from a live exchange.
 *
 * Every input is kept on loopback: the documentation addresses in the samples (and any a mutation
 * splices in) become 127.0.0.1 and our own port, so whatever the core answers comes back to the
 * fuzzer. Every request gets a fresh branch, so the transport's absorber (which replays the answer
 * to a repeated branch) does not shield sip.js from the input.
 *
 * Reproducible: mutation works on text with a fixed placeholder port, which becomes the fuzzer's
 * real port only afterwards, so one seed gives the same inputs on every run (captured messages
 * must be normalised by the caller, see normaliseCaptured).
 */
import { mutateSipMessage } from './fuzz.js';
import { MALFORMED_MESSAGES, OK_RESPONSE, OUT_OF_RANGE_STATUS_LINES, RECEIVE_PATH_REQUESTS, VALID_MESSAGES } from './parser-samples.js';

const DOC_V4 = /\b(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}(?::\d{1,5})?/g;
const DOC_V6 = /2001:db8::1/gi;
const BRANCH = /branch=z9hG4bK[^;,\s\r\n]*/gi;

/** Documentation addresses -> 127.0.0.1 (with a port: the fuzzer's own port). */
export function onLoopback(text: string, port: number): string {
  return text.replace(DOC_V4, (match) => (match.includes(':') ? `127.0.0.1:${port}` : '127.0.0.1')).replace(DOC_V6, '::1');
}

/** The port written into inputs while they are built and mutated. */
const PLACEHOLDER_PORT = 59999;

/**
 * Makes a captured message run- and machine-independent: every 127.0.0.1:port becomes a
 * documentation address, and whatever is random or local (tags, Call-ID, rport, the user part
 * taken from the login name) becomes fixed text.
 */
export function normaliseCaptured(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, '192.0.2.99:5060')
    .replace(/;tag=[^;>\s]+/gi, ';tag=0123456789')
    .replace(/;rport=\d+/gi, ';rport=5060')
    .replace(BRANCH, 'branch=z9hG4bK.captured')
    .replace(/^(call-id|i)[ \t]*:.*$/gim, 'Call-ID: 0123456789abcdef0123456789abcdef')
    .replace(/^(from|f)([ \t]*:[ \t]*<sip:)[^@>]+@/gim, '$1$2parley@');
}

export function freshBranches(text: string, tag: string): string {
  let n = 0;
  return text.replace(BRANCH, () => `branch=z9hG4bK.fz${tag}${n++ === 0 ? '' : '.' + n}`);
}

/**
 * Frames a (possibly mangled) message for a stream: one Content-Length that matches the body, so
 * the framer hands it to the parser instead of the connection falling out of step. Leading CRLFs
 * (which the framer takes as keep-alives) are dropped.
 */
export function frameForStream(text: string): Buffer {
  const trimmed = text.replace(/^(?:\r\n)+/, '');
  const split = trimmed.indexOf('\r\n\r\n');
  const head = (split < 0 ? trimmed : trimmed.slice(0, split))
    .replace(/^(?:content-length|l)[ \t]*:.*$/gim, '')
    .replace(/(?:\r\n){2,}/g, '\r\n');
  const body = Buffer.from(split < 0 ? '' : trimmed.slice(split + 4), 'utf8');
  const headText = head.replace(/(?:\r\n)+$/, '') + `\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(headText, 'utf8'), body]);
}

export type FuzzKind = 'mutated' | 'malformed' | 'valid' | 'status' | 'random-bytes' | 'structure';

export interface FuzzInput {
  kind: FuzzKind;
  data: Buffer;
  /** For an unmutated request: the top Via branch its answer will carry. */
  answerBranch?: string;
}

export interface CorpusOptions {
  /** The fuzzer's port: answers are addressed here. */
  replyPort: number;
  /** Extra real messages (captured from a live exchange). */
  captured?: readonly string[];
  /** Largest input in bytes (UDP: keep under 65,507). */
  maxBytes?: number;
}

/** An endless, seeded source of inputs. */
export class FuzzCorpus {
  readonly seeds: string[];
  private readonly malformed: string[];
  private counter = 0;

  constructor(
    private readonly rnd: () => number,
    private readonly options: CorpusOptions,
  ) {
    const port = PLACEHOLDER_PORT;
    this.seeds = [...VALID_MESSAGES.map((m) => m.data), ...RECEIVE_PATH_REQUESTS.map((m) => m.data), ...(options.captured ?? [])].map((s) =>
      onLoopback(s, port),
    );
    this.malformed = MALFORMED_MESSAGES.map((m) => onLoopback(m.data, port));
  }

  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  next(): FuzzInput {
    const tag = (this.counter++).toString(36);
    const roll = this.rnd();
    const port = PLACEHOLDER_PORT;
    let kind: FuzzKind;
    let text: string;
    if (roll < 0.72) {
      kind = 'mutated';
      const seed = freshBranches(this.rnd() < 0.85 ? this.pick(this.seeds) : this.pick(this.malformed), tag);
      text = mutateSipMessage(seed, this.rnd);
      if (this.rnd() < 0.2) text = mutateSipMessage(text, this.rnd);
    } else if (roll < 0.8) {
      kind = 'malformed';
      text = freshBranches(this.pick(this.malformed), tag);
    } else if (roll < 0.86) {
      kind = 'valid';
      text = freshBranches(this.pick(this.seeds), tag);
      if (!text.startsWith('SIP/2.0 ')) return { kind, data: this.finish(text), answerBranch: `z9hG4bK.fz${tag}` };
    } else if (roll < 0.9) {
      kind = 'status';
      text = onLoopback(OK_RESPONSE, port).replace(
        /^SIP\/2\.0 200 OK/,
        this.pick([...OUT_OF_RANGE_STATUS_LINES, 'SIP/2.0 200', 'SIP/2.0 100 Trying', 'SIP/2.0 481 Gone']),
      );
    } else if (roll < 0.95) {
      kind = 'random-bytes';
      const bytes = Buffer.alloc(this.int(1400));
      for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
      return { kind, data: bytes };
    } else {
      kind = 'structure';
      text = this.structural(tag);
    }
    return { kind, data: this.finish(text) };
  }

  /** Loopback addresses, the real reply port, the size cap. */
  private finish(text: string): Buffer {
    const data = Buffer.from(onLoopback(text, PLACEHOLDER_PORT).replace(/:59999\b/g, `:${this.options.replyPort}`), 'utf8');
    const max = this.options.maxBytes ?? 60_000;
    return data.length > max ? data.subarray(0, max) : data;
  }

  /** Shapes the mutator does not reach: many headers, long lines, CRLF runs, deep nesting. */
  private structural(tag: string): string {
    const base = freshBranches(this.pick(this.seeds), tag);
    const split = base.indexOf('\r\n');
    const start = base.slice(0, split);
    const rest = base.slice(split);
    switch (this.int(9)) {
      case 0: // hundreds of Via headers
        return start + `\r\nVia: SIP/2.0/UDP 127.0.0.1:${PLACEHOLDER_PORT};branch=z9hG4bK.v${tag}`.repeat(100 + this.int(400)) + rest;
      case 1: // one very long header line
        return start + `\r\nSubject: ${'x'.repeat(1000 + this.int(30_000))}` + rest;
      case 2: // a CRLF storm inside the head
        return start + '\r\n'.repeat(1 + this.int(2000)) + rest;
      case 3: // a datagram of nothing but CRLFs
        return '\r\n'.repeat(1 + this.int(4000));
      case 4: // deeply nested angle brackets / quotes in From
        return base.replace(/^(From|f)\s*:.*$/im, `From: ${'<'.repeat(500 + this.int(2000))}sip:a@b${'>'.repeat(this.int(2500))};tag=x`);
      case 5: // thousands of parameters on the top Via
        return base.replace(
          /^(Via|v)\s*:(.*)$/im,
          (_m, name: string, value: string) => `${name}:${value}` + ';p=1'.repeat(500 + this.int(3000)),
        );
      case 6: // a huge Content-Length in a datagram
        return base.replace(
          /^(?:content-length|l)\s*:.*$/im,
          `Content-Length: ${this.pick(['99999999999999999999', '4294967296', '65536', '-1', '1e9'])}`,
        );
      case 7: // header folding storm
        return start + '\r\nSubject: a' + '\r\n b'.repeat(500 + this.int(3000)) + rest;
      default: // NUL bytes and invalid UTF-8 sequences around the start line
        return '\u0000'.repeat(this.int(10)) + base.replace(' SIP/2.0', ' SIP/2.0\u0000\ufffd');
    }
  }
}
