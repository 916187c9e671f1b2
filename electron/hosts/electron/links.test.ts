import { describe, expect, it } from 'vitest';
import { linkAddress, linkInArgv } from './links.js';

describe('links', () => {
  it('reads the address of sip:, sips: and im: links', () => {
    expect(linkAddress('sip:bob@example.org')).toBe('sip:bob@example.org');
    expect(linkAddress('SIPS:bob@example.org:5061')).toBe('sips:bob@example.org:5061');
    expect(linkAddress('im:bob@example.org')).toBe('sip:bob@example.org');
    expect(linkAddress('sip://bob%40example.org')).toBe('sip:bob@example.org');
  });

  it('drops headers and parameters and refuses what is not an address', () => {
    expect(linkAddress('sip:bob@example.org;transport=tcp?subject=hi')).toBe('sip:bob@example.org');
    expect(linkAddress('sip:<script>@x')).toBeNull();
    expect(linkAddress('https://example.org')).toBeNull();
    expect(linkAddress('sip:')).toBeNull();
  });

  it('finds a link among the arguments of a launch', () => {
    expect(linkInArgv(['/usr/bin/parley', '--no-sandbox', 'sip:carol@example.org'])).toBe('sip:carol@example.org');
    expect(linkInArgv(['/usr/bin/parley', '.'])).toBeNull();
  });
});
