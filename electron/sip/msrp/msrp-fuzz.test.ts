/**
 * Property: for any bytes, split anywhere, the MSRP frame parser returns items (never throws,
 * never hangs), holds no more than its bound, frames nothing after a fatal error, and what it
 * frames can go through reassembly and the answer rules without a throw. Seeded (mulberry32),
 * so a failure replays from the seed printed with it; in the style of the SIP parser fuzz
 * (electron/sip/fuzz.int.test.ts, electron/sip/parser/).
 */
import { describe, expect, it } from 'vitest';
import { maxBufferedBytes, MsrpFrameParser, type FrameItem, type MsrpLimits } from './frame-parser.js';
import { Reassembly } from './reassembly.js';
import { transactionResponse } from './report.js';
import { parseMsrpUri } from './uri.js';
import { mulberry32, mutateSipMessage } from '../testing/fuzz.js';
import { ALL_SAMPLES } from './testing/samples.js';

/** Fragments that tend to hit MSRP edge cases when spliced in. */
const MSRP_TOKENS: readonly string[] = [
  '-------',
  '-------a786hjs2$\r\n',
  '-------7443jv+\r\n',
  '-------dkei38sd#\r\n',
  '\r\n-------',
  '$',
  '+',
  '#',
  '*',
  '/',
  '-',
  'MSRP ',
  'MSRP a786hjs2 SEND\r\n',
  'MSRP x 200 OK\r\n',
  'Byte-Range: 1-*/*',
  'Byte-Range: 0-0/0',
  'Byte-Range: 5-1/3',
  'Byte-Range: 1-99999999999999999/*',
  'Byte-Range: 9007199254740993-9007199254740993/*',
  'Status: 000 200 OK',
  'Status: 000 999',
  'Success-Report: yes',
  'Failure-Report: partial',
  'Failure-Report: no',
  'Message-ID: 87652491',
  'Message-ID: x',
  'Content-Type: text/plain',
  'To-Path: msrp://[::1]:1/s;tcp',
  'From-Path: msrps://a@b;tcp msrp://c:1/d;tcp',
  'msrp://h:99999/s;tcp',
  ';tcp',
  '\r\n\r\n',
  'x'.repeat(300),
  '\u0000',
  '\u00ff',
  '😀',
];

function mutate(input: string, rnd: () => number): string {
  const int = (n: number): number => Math.floor(rnd() * n);
  let s = input;
  for (let e = 1 + int(3); e > 0; e--) {
    if (rnd() < 0.4) {
      s = mutateSipMessage(s, rnd);
    } else {
      const pos = int(s.length + 1);
      s = s.slice(0, pos) + MSRP_TOKENS[int(MSRP_TOKENS.length)]!.repeat(rnd() < 0.1 ? 1 + int(40) : 1) + s.slice(pos);
    }
  }
  return s;
}

const LIMITS: MsrpLimits = { maxLineBytes: 512, maxHeaderBytes: 2048, maxHeaders: 16, maxBodyBytes: 4096 };
const SELF = parseMsrpUri('msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp')!;

describe('MSRP framing under mutation', () => {
  it('20,000 mutated streams split at random points: items only, bounded, nothing after a fatal error', () => {
    const seed = 0x5eed_4975;
    const rnd = mulberry32(seed);
    const samples = Object.values(ALL_SAMPLES);
    const bound = maxBufferedBytes(LIMITS);
    const kinds = { request: 0, response: 0, invalid: 0, error: 0 };
    const reasons = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const count = 1 + Math.floor(rnd() * 4);
      let text = '';
      for (let k = 0; k < count; k++) text += samples[Math.floor(rnd() * samples.length)]!;
      const bytes = Buffer.from(rnd() < 0.9 ? mutate(text, rnd) : text, rnd() < 0.1 ? 'latin1' : 'utf8');
      const parser = new MsrpFrameParser(LIMITS);
      const reassembly = new Reassembly({ maxMessageBytes: 8192, maxMessages: 4 });
      const items: FrameItem[] = [];
      try {
        for (let at = 0; at < bytes.length;) {
          const n = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 4 : 200));
          items.push(...parser.push(bytes.subarray(at, at + n)));
          at += n;
          if (parser.pending > bound) throw new Error(`holds ${parser.pending} bytes, over ${bound}`);
        }
        for (const item of items) {
          if (item.kind === 'request') {
            if (item.request.body.length > LIMITS.maxBodyBytes) throw new Error('a body over the limit');
            const outcome = item.request.method === 'SEND' ? reassembly.accept(item.request, i) : undefined;
            transactionResponse(item.request, outcome?.code ?? 200, SELF);
          } else if (item.kind === 'invalid') {
            transactionResponse(item, 400, SELF);
          }
        }
      } catch (err) {
        throw new Error(`input #${i} (seed ${seed}) threw ${String(err)}: ${JSON.stringify(bytes.toString('latin1').slice(0, 400))}`);
      }
      const fatal = items.findIndex((it) => it.kind === 'error');
      expect(fatal === -1 || fatal === items.length - 1, `input #${i} (seed ${seed}): items after a fatal error`).toBe(true);
      for (const it of items) {
        kinds[it.kind]++;
        if (it.kind === 'invalid' || it.kind === 'error') reasons.add(it.reason);
      }
    }
    // Every path was taken, and refusals came for many reasons.
    expect(kinds.request).toBeGreaterThan(5000);
    expect(kinds.response).toBeGreaterThan(1000);
    expect(kinds.invalid).toBeGreaterThan(1000);
    expect(kinds.error).toBeGreaterThan(1000);
    expect(reasons.size).toBeGreaterThanOrEqual(12);
  }, 120_000);

  it('random bytes after a valid start line: only items, and the buffer stays bounded', () => {
    const rnd = mulberry32(0xbad_4975);
    const bound = maxBufferedBytes(LIMITS);
    for (let i = 0; i < 500; i++) {
      const parser = new MsrpFrameParser(LIMITS);
      parser.push(Buffer.from('MSRP a786hjs2 SEND\r\n'));
      let failed = false;
      for (let k = 0; k < 40 && !failed; k++) {
        const chunk = Buffer.from(Array.from({ length: Math.floor(rnd() * 600) }, () => Math.floor(rnd() * 256)));
        failed = parser.push(chunk).some((it) => it.kind === 'error');
        expect(parser.pending).toBeLessThanOrEqual(bound);
      }
    }
  });
});
