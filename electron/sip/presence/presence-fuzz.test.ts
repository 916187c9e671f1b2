/**
 * Property: for any body, decoding ends with a document or the reader's own XmlError — never
 * another exception, never a hang — and whatever composes is a valid domain view.
 * Seeded (mulberry32), so a failure replays from the seed printed with it.
 */
import { describe, expect, it } from 'vitest';
import { PresenceView } from '../../../shared/domain/presence.js';
import { mulberry32 } from '../testing/fuzz.js';
import { composePresence } from './compose.js';
import { decodePidf } from './pidf.js';
import { sample, sampleNames } from './testing/samples.js';
import { decodeWatcherInfo } from './watcherinfo.js';
import { XmlError } from './xml-reader.js';

/** Fragments that tend to hit XML reader edge cases when spliced in. */
const XML_TOKENS: readonly string[] = [
  '<',
  '>',
  '/>',
  '</',
  '<!',
  '<?',
  '?>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<!DOCTYPE x>',
  '<!ENTITY e "x">',
  '&',
  '&amp;',
  '&lt;',
  '&#',
  '&#x',
  '&#0;',
  '&#xD800;',
  '&#x10FFFF;',
  '&#65;',
  '&e;',
  ';',
  '"',
  "'",
  '=',
  ':',
  'xmlns',
  'xmlns:',
  ' xmlns="urn:ietf:params:xml:ns:pidf"',
  ' xmlns:rpid="urn:x"',
  ' xmlns:p=""',
  ' xml:lang="en"',
  ' a="1" a="2"',
  '<tuple id="z">',
  '</tuple>',
  '<basic>open</basic>',
  '<rpid:busy/>',
  '<dm:person>',
  '</dm:person>',
  '<x:y>',
  '</presence>',
  '\u0000',
  '\u0007',
  '\uffff',
  '\ud800',
  '\udc00',
  '\ufeff',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '😀',
  '\u00e9',
];

/** Values spliced into text and attribute values: edge cases for the decoders behind the reader. */
const VALUE_TOKENS: readonly string[] = [
  '',
  ' ',
  'open',
  'closed',
  'OPEN',
  '?',
  'busy',
  'idle',
  'active',
  'pending',
  'terminated',
  'full',
  'partial',
  '0',
  '1',
  '-1',
  '0.5',
  '.5',
  '1.0001',
  '2',
  'NaN',
  '1e3',
  '4294967296',
  '99999999999',
  '2024-02-30T25:61:00Z',
  'yesterday',
  'sip:x@y',
  'x'.repeat(2000),
  '😀'.repeat(600),
  '&amp;&lt;',
  '&#x1F600;',
];

/** Replaces the n-th match of `re` (global) with `make(match)`. */
function replaceNth(s: string, re: RegExp, n: number, make: (m: string) => string): string {
  let k = 0;
  return s.replace(re, (m) => (k++ === n ? make(m) : m));
}

function mutate(input: string, rnd: () => number): string {
  const int = (n: number): number => Math.floor(rnd() * n);
  const value = (): string => VALUE_TOKENS[int(VALUE_TOKENS.length)]!;
  let s = input;
  const edits = 1 + int(4);
  for (let e = 0; e < edits; e++) {
    const pos = int(s.length + 1);
    switch (int(10)) {
      case 7: // new text content (keeps the document well-formed)
        s = replaceNth(s, />[^<]*</g, int(40), () => `>${value()}<`);
        break;
      case 8: // new attribute value
        s = replaceNth(s, /="[^"]*"/g, int(20), () => `="${value()}"`);
        break;
      case 9: // drop an empty element
        s = replaceNth(s, /<[^<>!?]*\/>/g, int(8), () => '');
        break;
      case 0: // delete a short run
        s = s.slice(0, pos) + s.slice(pos + 1 + int(16));
        break;
      case 1: // insert a token
        s = s.slice(0, pos) + XML_TOKENS[int(XML_TOKENS.length)]! + s.slice(pos);
        break;
      case 2: // replace one code unit
        s = s.slice(0, pos) + String.fromCharCode(rnd() < 0.8 ? int(128) : int(0x10000)) + s.slice(pos + 1);
        break;
      case 3: // duplicate a slice somewhere else
        {
          const from = int(s.length);
          const piece = s.slice(from, from + 1 + int(80));
          const at = int(s.length + 1);
          s = s.slice(0, at) + piece + s.slice(at);
        }
        break;
      case 4: // swap two slices
        {
          const a = int(s.length);
          const b = int(s.length);
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const len = Math.min(1 + int(30), hi - lo);
          s = s.slice(0, lo) + s.slice(hi, hi + len) + s.slice(lo + len, hi) + s.slice(lo, lo + len) + s.slice(hi + len);
        }
        break;
      case 5: // nest: wrap a slice in a repeated element
        {
          const depth = 1 + int(40);
          s = s.slice(0, pos) + '<n>'.repeat(depth) + s.slice(pos, pos + int(50)) + '</n>'.repeat(depth) + s.slice(pos + 50);
        }
        break;
      default: // truncate
        s = s.slice(0, pos);
    }
  }
  return s;
}

describe('presence decoders under mutation', () => {
  it('20,000 mutated samples: a document or an XmlError, and composed views are valid', () => {
    const seed = 0x5eed_0005;
    const rnd = mulberry32(seed);
    const seeds = sampleNames().map((n) => ({ name: n, xml: sample(n), winfo: n.includes('winfo') }));
    const outcomes = { decoded: 0, refused: 0 };
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const base = seeds[Math.floor(rnd() * seeds.length)]!;
      let input = mutate(base.xml, rnd);
      if (rnd() < 0.2) input = mutate(input, rnd);
      try {
        if (base.winfo) {
          decodeWatcherInfo(input);
        } else {
          const view = composePresence([decodePidf(input)]);
          if (!PresenceView.safeParse(view).success) throw new Error(`invalid view from input #${i} (seed ${seed})`);
        }
        outcomes.decoded++;
      } catch (err) {
        if (!(err instanceof XmlError)) {
          throw new Error(`input #${i} (seed ${seed}, from ${base.name}) threw ${String(err)}: ${JSON.stringify(input.slice(0, 300))}`);
        }
        codes.add(err.code);
        outcomes.refused++;
      }
    }
    // Both paths were exercised, and refusals came for more than one reason.
    expect(outcomes.decoded).toBeGreaterThan(1000);
    expect(outcomes.refused).toBeGreaterThan(1000);
    expect(codes.size).toBeGreaterThanOrEqual(4);
  });

  it('random bytes as text: only XmlError', () => {
    const rnd = mulberry32(0xbad_b0d1);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 400);
      let s = rnd() < 0.5 ? '<presence xmlns="urn:ietf:params:xml:ns:pidf">' : '';
      for (let k = 0; k < len; k++) s += String.fromCharCode(rnd() < 0.9 ? 32 + Math.floor(rnd() * 95) : Math.floor(rnd() * 0x10000));
      try {
        decodePidf(s);
      } catch (err) {
        expect(err).toBeInstanceOf(XmlError);
      }
    }
  });
});
