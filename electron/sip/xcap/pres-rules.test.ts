import { describe, expect, it } from 'vitest';
import { XmlError } from '../presence/xml-reader.js';
import { decodePresRules, encodePresRules } from './pres-rules.js';

const BOB = 'sip:bob@example.org';
const MALLORY = 'sip:mallory@example.org';
const CAROL = 'sip:carol@example.org';

describe('pres-rules document', () => {
  it('round-trips decisions and contacts; a blocked contact is in the block rule only', () => {
    const xml = encodePresRules({ decisions: { [MALLORY]: 'block', [CAROL]: 'allow' }, contacts: [BOB, MALLORY] });
    expect(xml.indexOf('parley-block')).toBeLessThan(xml.indexOf('parley-allow'));
    expect(xml).toContain('<sub-handling>polite-block</sub-handling>');
    expect(decodePresRules(xml)).toEqual({ decisions: { [MALLORY]: 'block', [CAROL]: 'allow' }, contacts: [BOB] });
  });

  it('writes no rule with an empty identity', () => {
    expect(encodePresRules({ decisions: {}, contacts: [] })).not.toContain('<cr:rule ');
  });

  it('leaves out rules of other clients and refuses what is not a ruleset or carries a DTD', () => {
    const other = `<cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy"><cr:rule id="wp_prs_allow_own"><cr:conditions><cr:identity><cr:one id="${BOB}"/></cr:identity></cr:conditions></cr:rule></cr:ruleset>`;
    expect(decodePresRules(other)).toEqual({ decisions: {}, contacts: [] });
    expect(() => decodePresRules('<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"/>')).toThrow(XmlError);
    expect(() => decodePresRules('<!DOCTYPE x [<!ENTITY a "b">]><x/>')).toThrow(XmlError);
  });
});
