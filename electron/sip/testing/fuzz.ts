/**
 * Seeded mutation of SIP messages for property-style tests ("never throws on anything framed").
 * Deterministic: the same seed gives the same sequence, so a failure can be replayed from its seed.
 */

/** mulberry32: a small, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fragments that tend to hit parser edge cases when spliced into a message. */
export const FUZZ_TOKENS: readonly string[] = [
  '',
  ' ',
  '\t',
  ':',
  ';',
  ',',
  '<',
  '>',
  '"',
  '\\',
  '=',
  '@',
  '[',
  ']',
  '%',
  '%zz',
  '?',
  '&',
  '\r\n',
  '\r\n ',
  '\r\n\r\n',
  '\n',
  '\r',
  'sip:',
  'sips:',
  'tel:+1',
  ';tag=x',
  ';branch=z9hG4bK.f',
  ';lr',
  ';transport=tcp',
  ';expires=-1',
  ';q=2',
  '0',
  '-1',
  '4294967296',
  '99999999999999999999',
  '1.5',
  'NaN',
  'ACK',
  'CANCEL',
  'PRACK',
  'INVITE',
  'BYE',
  'NOTIFY',
  'MESSAGE',
  'SUBSCRIBE',
  'FOO',
  'SIP/2.0',
  'SIP/3.0',
  '\u0000',
  '\u00ff',
  '\u2028',
  '\ud800',
  '::1',
  '[2001:db8::1]',
  'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK.v',
  'CSeq: x',
  'CSeq: 1',
  'Content-Length: 5',
  'Content-Length: -1',
  'Contact: *',
  'Expires: abc',
  'Event: ',
  'Subscription-State: terminated',
  'Max-Forwards: 0',
  'Record-Route: <sip:p.example.org;lr>',
  'WWW-Authenticate: Digest',
  'Refer-To: <>',
  '__proto__: x',
];

const METHODS = [
  'ACK',
  'BYE',
  'CANCEL',
  'INFO',
  'INVITE',
  'MESSAGE',
  'NOTIFY',
  'OPTIONS',
  'PRACK',
  'PUBLISH',
  'REFER',
  'REGISTER',
  'SUBSCRIBE',
  'UPDATE',
  'X',
];

/** Applies 1–4 random edits (delete, insert token, drop/duplicate/swap a line, flip a byte, swap a method). */
export function mutateSipMessage(input: string, rnd: () => number): string {
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  let s = input;
  const edits = 1 + int(4);
  for (let e = 0; e < edits; e++) {
    const pos = int(s.length + 1);
    const lines = s.split('\r\n');
    switch (int(8)) {
      case 0: // delete a short run
        s = s.slice(0, pos) + s.slice(pos + 1 + int(12));
        break;
      case 1: // insert a token
        s = s.slice(0, pos) + pick(FUZZ_TOKENS) + s.slice(pos);
        break;
      case 2: // drop a line
        lines.splice(int(lines.length), 1);
        s = lines.join('\r\n');
        break;
      case 3: // duplicate a line somewhere
        lines.splice(int(lines.length), 0, pick(lines));
        s = lines.join('\r\n');
        break;
      case 4: // swap two lines
        {
          const i = int(lines.length);
          const j = int(lines.length);
          [lines[i], lines[j]] = [lines[j]!, lines[i]!];
          s = lines.join('\r\n');
        }
        break;
      case 5: // replace one character with a random code unit
        s = s.slice(0, pos) + String.fromCharCode(rnd() < 0.8 ? int(128) : int(0x10000)) + s.slice(pos + 1);
        break;
      case 6: // swap a method name (start line or CSeq)
        {
          const i = rnd() < 0.5 ? 0 : lines.findIndex((l) => /^cseq\s*:/i.test(l));
          if (i >= 0) lines[i] = lines[i]!.replace(/\b[A-Z]{3,}\b/, pick(METHODS));
          s = lines.join('\r\n');
        }
        break;
      default: // truncate
        s = s.slice(0, pos);
    }
  }
  return s;
}
