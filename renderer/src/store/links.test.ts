import { describe, expect, it } from 'vitest';
import { linkPieces } from './links.js';

describe('linkPieces', () => {
  it('cuts out http(s) links, bare domains and e-mail addresses, keeping the text whole', () => {
    const text = 'see https://example.org/a?b=1#c, www.example.com and write to bob@example.org.';
    const pieces = linkPieces(text);
    expect(pieces).toEqual([
      { text: 'see ' },
      { text: 'https://example.org/a?b=1#c', href: 'https://example.org/a?b=1#c' },
      { text: ', ' },
      { text: 'www.example.com', href: 'http://www.example.com' },
      { text: ' and write to ' },
      { text: 'bob@example.org', href: 'mailto:bob@example.org' },
      { text: '.' },
    ]);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('never links other schemes', () => {
    for (const text of [
      'javascript:alert(1)',
      'ftp://example.org/file',
      '//example.org/x',
      'file:///etc/passwd',
      'data:text/html,<b>x</b>',
    ]) {
      expect(linkPieces(text).filter((p) => p.href && !/^https?:|^mailto:/.test(p.href))).toEqual([]);
    }
    expect(linkPieces('ftp://example.org/file')).toEqual([{ text: 'ftp://example.org/file' }]);
  });

  it('leaves text without links as one piece', () => {
    expect(linkPieces('just words')).toEqual([{ text: 'just words' }]);
    expect(linkPieces('')).toEqual([{ text: '' }]);
  });
});
