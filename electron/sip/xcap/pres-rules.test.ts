import { describe, expect, it } from 'vitest';
import { XmlError } from '../presence/xml-reader.js';
import { decodePresRules, encodePresRules } from './pres-rules.js';

const BOB = 'sip:bob@example.org';
const MALLORY = 'sip:mallory@example.org';
const CAROL = 'sip:carol@example.org';
const DAVE = 'sip:dave@example.org';

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

  it('with views: one allow rule per class providing that class and the shared one, and the self rule with the key', () => {
    const views = { key: 'KEY', self: 'sip:alice@example.org', shared: 'vS', classes: { [BOB]: 'vF', [CAROL]: 'vW', [DAVE]: 'vF' } };
    const xml = encodePresRules({ decisions: { [MALLORY]: 'block', [CAROL]: 'allow' }, contacts: [BOB, DAVE, MALLORY], views });
    expect(xml.indexOf('parley-block')).toBeLessThan(xml.indexOf('parley-allow.vW'));
    expect(xml).toContain(
      `<cr:rule id="parley-contacts.vF"><cr:conditions><cr:identity><cr:one id="${BOB}"/><cr:one id="${DAVE}"/></cr:identity></cr:conditions>` +
        '<cr:actions><sub-handling>allow</sub-handling></cr:actions><cr:transformations>' +
        '<provide-services><class>vF</class><class>vS</class></provide-services><provide-persons><class>vF</class><class>vS</class></provide-persons>' +
        '</cr:transformations></cr:rule>',
    );
    expect(xml).toContain('<provide-services><class>KEY</class></provide-services>');
    // no class rule anywhere provides everything
    expect(xml.match(/provide-all-attributes/g)).toHaveLength(1);
    expect(decodePresRules(xml)).toEqual({ decisions: { [MALLORY]: 'block', [CAROL]: 'allow' }, contacts: [BOB, DAVE], views });
  });
});
