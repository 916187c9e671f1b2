import { describe, expect, it } from 'vitest';
import { formatFileOffer, formatFileSelector, MAX_NAME_CHARS, parseFileOffer, parseFileSelector, type FileOffer } from './file-selector.js';

const SHA1 = '72:24:5F:E8:65:3D:DA:F3:71:36:2F:86:D4:71:91:3E:E4:A2:CE:2E';

describe('a=file-selector (RFC 5547 §6)', () => {
  it("reads the RFC's example, in any order, and writes it back", () => {
    const value = `name:"My cool picture.jpg" type:image/jpeg size:32349 hash:sha-1:${SHA1}`;
    const selector = parseFileSelector(value);
    expect(selector).toEqual({
      name: 'My cool picture.jpg',
      type: 'image/jpeg',
      size: 32349,
      hash: { algorithm: 'sha-1', hex: '72245fe8653ddaf371362f86d471913ee4a2ce2e' },
    });
    expect(formatFileSelector(selector!)).toBe(value);
    expect(parseFileSelector(`size:1 name:"a b.txt"`)).toEqual({ size: 1, name: 'a b.txt' });
  });

  it('percent-decodes the name and writes quotes, percent signs and line breaks encoded', () => {
    expect(parseFileSelector('name:"50%25 %22off%22 caf%C3%A9.txt"')?.name).toBe('50% "off" café.txt');
    // A lone % is taken as itself (some clients do not encode it).
    expect(parseFileSelector('name:"100% sure.txt"')?.name).toBe('100% sure.txt');
    const name = 'a "b" 100%\r\n.txt';
    expect(formatFileSelector({ name })).toBe('name:"a %22b%22 100%25%0D%0A.txt"');
    expect(parseFileSelector(formatFileSelector({ name }))?.name).toBe(name);
  });

  it('refuses what is off the grammar or past a bound, never throwing', () => {
    for (const bad of [
      '',
      'name:""',
      'name:"a" name:"b"',
      'size:-1',
      'size:99999999999999999',
      'size:1 size:2',
      'hash:sha-1:72:24',
      'hash:md5:zz',
      'type:image',
      'type:"image/jpeg"',
      'colour:blue',
      'name:"unterminated',
      `name:"${'x'.repeat(MAX_NAME_CHARS + 1)}"`,
      'name:"bad %E0%A4%A"',
      ':x',
    ]) {
      expect(parseFileSelector(bad), bad).toBeUndefined();
    }
  });

  it('keeps a name with path separators as the text it is (made safe only where it is saved)', () => {
    expect(parseFileSelector('name:"../../etc/passwd"')?.name).toBe('../../etc/passwd');
  });
});

describe('the file attributes of an offer', () => {
  const attributes = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it('reads transfer id, disposition, dates and range, and writes the same lines', () => {
    const offer = parseFileOffer(
      attributes({
        'file-selector': `name:"report.pdf" type:application/pdf size:1048576 hash:sha-1:${SHA1}`,
        'file-transfer-id': 'vBnG916bdberum2fFEABR1FR3ExZMUrd',
        'file-disposition': 'Attachment',
        'file-date': 'creation:"Mon, 15 May 2006 15:01:31 +0300" modification:"Tue, 16 May 2006 10:00:00 GMT"',
        'file-range': '1001-*',
      }),
    );
    expect(offer).toMatchObject({
      transferId: 'vBnG916bdberum2fFEABR1FR3ExZMUrd',
      disposition: 'attachment',
      dates: { creation: Date.UTC(2006, 4, 15, 12, 1, 31), modification: Date.UTC(2006, 4, 16, 10) },
      range: { start: 1001 },
    });
    expect(
      parseFileOffer(new Map(formatFileOffer(offer!).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]))),
    ).toEqual(offer);
  });

  it('is no file offer without a selector, and none with a broken attribute', () => {
    expect(parseFileOffer(attributes({ 'accept-types': 'text/plain' }))).toBeUndefined();
    const selector = 'name:"a.txt" size:3';
    for (const [name, value] of [
      ['file-transfer-id', 'has space'],
      ['file-disposition', '"quoted"'],
      ['file-date', 'creation:"not a date"'],
      ['file-date', 'creation:"Mon, 15 May 2006 15:01:31 GMT" creation:"Mon, 15 May 2006 15:01:31 GMT"'],
      ['file-range', '0-10'],
      ['file-range', '10-5'],
      ['file-range', 'abc'],
    ] as const) {
      expect(parseFileOffer(attributes({ 'file-selector': selector, [name]: value })), `${name}: ${value}`).toBeUndefined();
    }
  });

  it('writes only what the offer has', () => {
    const offer: FileOffer = { selector: { name: 'a.txt', size: 0 } };
    expect(formatFileOffer(offer)).toEqual(['file-selector:name:"a.txt" size:0']);
  });
});
