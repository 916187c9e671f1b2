import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/fuzz.js';
import { MultipartError, parseMultipart } from './multipart.js';
import { applyRlmi, decodeRlmi } from './rlmi.js';
import { XmlError } from './xml-reader.js';

const NS = 'urn:ietf:params:xml:ns:rlmi';
const rlmi = (version: number, full: boolean, resources: string) =>
  `<?xml version="1.0"?>\n<list xmlns="${NS}" uri="sip:alice+buddies@x" version="${version}" fullState="${full}">${resources}</list>`;

// What Kamailio's rls sent in server/xcap-rls.int.test.ts, shape for shape.
const CT = 'multipart/related;type="application/rlmi+xml";start="<1.root@x>";boundary="TEKHiLcPWcYTltnjdeEpTK2s"';
const pidf =
  '<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@x"><tuple id="t"><status><basic>open</basic></status></tuple></presence>';
const BODY = [
  '--TEKHiLcPWcYTltnjdeEpTK2s',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <1.root@x>',
  'Content-Type: application/rlmi+xml;charset="UTF-8"',
  '',
  rlmi(2, false, '<resource uri="sip:bob@x"><instance id="i1" state="active" cid="bob.cid@x"/></resource>'),
  '',
  '--TEKHiLcPWcYTltnjdeEpTK2s',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <bob.cid@x>',
  'Content-Type: application/pidf+xml;charset="UTF-8"',
  '',
  pidf,
  '',
  '--TEKHiLcPWcYTltnjdeEpTK2s--',
  '',
].join('\r\n');

describe('multipart/related', () => {
  it("splits the parts, finds the root by start, keeps each body exactly (the line break before a delimiter is not the body's)", () => {
    const body = parseMultipart(CT, BODY);
    expect(body.type).toBe('application/rlmi+xml');
    expect(body.parts.map((p) => [p.contentType, p.contentId])).toEqual([
      ['application/rlmi+xml', '1.root@x'],
      ['application/pidf+xml', 'bob.cid@x'],
    ]);
    expect(body.root).toBe(body.parts[0]);
    expect(body.parts[1]!.body).toBe(`${pidf}\r\n`);
    expect(parseMultipart(CT.replace(/start="[^"]*";/, ''), BODY.replace(/\r\n/g, '\n')).root!.contentId).toBe('1.root@x');
  });

  it('refuses what does not frame with MultipartError only', () => {
    const bad: [string, string][] = [
      ['multipart/related', BODY],
      [`multipart/related;boundary="${'b'.repeat(71)}"`, BODY],
      [CT, BODY.replace('--TEKHiLcPWcYTltnjdeEpTK2s--', '')],
      [CT, 'no delimiter at all'],
      [CT, '--TEKHiLcPWcYTltnjdeEpTK2s\r\nContent-Type: a/b\r\nno blank line\r\n--TEKHiLcPWcYTltnjdeEpTK2s--'],
      [CT, `--TEKHiLcPWcYTltnjdeEpTK2s\r\n${'X: y\r\n'.repeat(40)}\r\nbody\r\n--TEKHiLcPWcYTltnjdeEpTK2s--`],
      [CT, `${'--TEKHiLcPWcYTltnjdeEpTK2s\r\n\r\nx\r\n'.repeat(20_001)}--TEKHiLcPWcYTltnjdeEpTK2s--`],
    ];
    for (const [type, text] of bad) expect(() => parseMultipart(type, text), type.slice(0, 40)).toThrow(MultipartError);
  });

  it('property: any mutilation frames or throws MultipartError, nothing else', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      let text = BODY;
      for (let i = 0; i < 3; i++) {
        const at = Math.floor(random() * text.length);
        const insert = ['\r\n', '--', '--TEKHiLcPWcYTltnjdeEpTK2s', ':', ''][Math.floor(random() * 5)]!;
        text = text.slice(0, at) + insert + text.slice(at + Math.floor(random() * 10));
      }
      try {
        parseMultipart(CT, text);
      } catch (error) {
        expect(error, `seed ${seed}`).toBeInstanceOf(MultipartError);
      }
    }
  });
});

describe('RLMI', () => {
  it('reads resources, instances, states and content ids', () => {
    const doc = decodeRlmi(
      rlmi(
        1,
        true,
        '<resource uri="sip:bob@x"><name>Bob</name><instance id="i1" state="active" cid="c1"/></resource><resource uri="sip:carol@x"/><resource uri="sip:dave@x"><instance id="d" state="terminated" reason="rejected"/><instance id="bad" state="weird"/></resource>',
      ),
    );
    expect(doc).toEqual({
      uri: 'sip:alice+buddies@x',
      version: 1,
      fullState: true,
      resources: [
        { uri: 'sip:bob@x', instances: [{ id: 'i1', state: 'active', cid: 'c1' }] },
        { uri: 'sip:carol@x', instances: [] },
        { uri: 'sip:dave@x', instances: [{ id: 'd', state: 'terminated', reason: 'rejected' }] },
      ],
    });
  });

  it('full state replaces, partial state applies on the version before it; duplicates and gaps are told', () => {
    const full = applyRlmi(undefined, decodeRlmi(rlmi(1, true, '<resource uri="sip:bob@x"/><resource uri="sip:carol@x"/>')));
    expect(full.kind).toBe('applied');
    const state = full.kind === 'applied' ? full.state : undefined;
    const partial = applyRlmi(state, decodeRlmi(rlmi(2, false, '<resource uri="sip:bob@x"><instance id="i" state="active"/></resource>')));
    expect(partial.kind === 'applied' && [...partial.state.resources]).toEqual([
      ['sip:bob@x', [{ id: 'i', state: 'active' }]],
      ['sip:carol@x', []],
    ]);
    expect(applyRlmi(state, decodeRlmi(rlmi(1, false, ''))).kind).toBe('duplicate');
    expect(applyRlmi(state, decodeRlmi(rlmi(5, false, ''))).kind).toBe('gap');
    expect(applyRlmi(undefined, decodeRlmi(rlmi(2, false, ''))).kind).toBe('gap');
    const again = applyRlmi(state, decodeRlmi(rlmi(1, true, '<resource uri="sip:carol@x"/>')));
    expect(again.kind === 'applied' && again.removed).toEqual(['sip:bob@x']);
  });

  it('refuses hostile or foreign documents with XmlError only', () => {
    for (const xml of [
      `<!DOCTYPE list [<!ENTITY e "x">]><list xmlns="${NS}" version="1" fullState="true"/>`,
      `<list xmlns="${NS}" fullState="true"/>`,
      `<list xmlns="${NS}" version="99999999999" fullState="true"/>`,
      `<list xmlns="urn:other" version="1"/>`,
      `<list xmlns="${NS}" version="1">${'<resource uri="sip:a@b"/>'.repeat(100_001)}</list>`,
      '<list',
    ]) {
      expect(() => decodeRlmi(xml), xml.slice(0, 60)).toThrow(XmlError);
    }
  });
});
