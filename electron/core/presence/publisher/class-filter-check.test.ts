import { describe, expect, it } from 'vitest';
import { verdictOf } from './class-filter-check.js';

const PIDF = 'application/pidf+xml';
const presence = (inner: string) =>
  `<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:alice@x">${inner}</presence>`;

describe('what a fetch of our own presence says about class filtering', () => {
  it('no tuple left: the server filtered; our tuple there: it does not', () => {
    expect(verdictOf(presence(''), PIDF)).toBe('filters');
    expect(verdictOf(presence('<tuple id="t"><status><basic>open</basic></status></tuple>'), `${PIDF};charset=utf-8`)).toBe(
      'does-not-filter',
    );
  });

  it('no body, another type or a broken document proves nothing', () => {
    expect(verdictOf('', PIDF)).toBe('unknown');
    expect(verdictOf(presence(''), 'application/xml')).toBe('unknown');
    expect(verdictOf(presence(''), undefined)).toBe('unknown');
    expect(verdictOf('<presence', PIDF)).toBe('unknown');
    expect(verdictOf('<!DOCTYPE x [<!ENTITY a "b">]><presence xmlns="urn:ietf:params:xml:ns:pidf"/>', PIDF)).toBe('unknown');
  });
});
