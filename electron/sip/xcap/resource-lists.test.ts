import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/fuzz.js';
import { XmlError } from '../presence/xml-reader.js';
import { decodeResourceLists, encodeResourceLists, type ContactList } from './resource-lists.js';
import { contactListUri, encodeRlsServices } from './rls-services.js';

const LIST: ContactList = {
  groups: [
    { id: 'friends', name: 'Friends & "family"' },
    { id: 'work', name: 'Work <3' },
    { id: 'empty', name: 'Nobody yet' },
  ],
  contacts: [
    { aor: 'sip:bob@example.org', name: 'Bob', groups: ['friends', 'work'] },
    { aor: 'sip:carol@example.org', groups: [] },
    { aor: 'sip:dave@example.org', name: "D'Artagnan\r\n& co", groups: ['work'] },
  ],
};

const NS = 'urn:ietf:params:xml:ns:resource-lists';

describe('resource-lists codec', () => {
  it('reads back what it wrote: groups in order (empty ones too), contacts once with all their groups and names', () => {
    const xml = encodeResourceLists(LIST);
    const back = decodeResourceLists(xml);
    expect(back.groups).toEqual(LIST.groups);
    expect(back.contacts.sort((a, b) => a.aor.localeCompare(b.aor))).toEqual(LIST.contacts);
  });

  it('writes one top-level list for the server, a sub-list per group and the loose contacts after them', () => {
    const xml = encodeResourceLists(LIST);
    expect(xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">\n<list name="buddies">\n<list name="friends">/,
    );
    expect(xml.match(/uri="sip:bob@example\.org"/g)).toHaveLength(2);
    expect(xml.indexOf('sip:carol@')).toBeGreaterThan(xml.lastIndexOf('</list>\n<entry') - 1);
  });

  it('a contact naming a group the list does not have is written as loose (never lost)', () => {
    const xml = encodeResourceLists({ groups: [], contacts: [{ aor: 'sip:eve@example.org', groups: ['gone'] }] });
    expect(decodeResourceLists(xml).contacts).toEqual([{ aor: 'sip:eve@example.org', groups: [] }]);
  });

  it("reads another client's document leniently: prefixes, unknown elements, odd entries", () => {
    const xml = `<?xml version="1.0"?>
      <rl:resource-lists xmlns:rl="${NS}" xmlns:x="urn:other">
        <rl:list name="other-app"><rl:entry uri="sip:nobody@example.org"/></rl:list>
        <rl:list name="buddies">
          <x:extension/>
          <rl:list name="g1"><rl:entry uri="SIP:Bob@Example.ORG"><rl:display-name> Bob </rl:display-name></rl:entry>
            <rl:entry/><rl:entry uri="   "/><rl:entry-ref ref="x"/><rl:external anchor="y"/></rl:list>
          <rl:list name="g1"><rl:entry uri="sip:dup@example.org"/></rl:list>
          <rl:list name=""><rl:entry uri="sip:noname@example.org"/></rl:list>
          <rl:entry uri="sip:Bob@example.org"/>
          <rl:entry uri="sip:${'x'.repeat(600)}@example.org"/>
        </rl:list>
      </rl:resource-lists>`;
    const back = decodeResourceLists(xml);
    expect(back.groups).toEqual([{ id: 'g1', name: 'g1' }]);
    expect(back.contacts).toEqual([{ aor: 'sip:Bob@example.org', name: 'Bob', groups: ['g1'] }]);
  });

  it('a document without our list is an empty list; another document type is an error', () => {
    expect(decodeResourceLists(`<resource-lists xmlns="${NS}"/>`)).toEqual({ groups: [], contacts: [] });
    expect(() => decodeResourceLists('<presence xmlns="urn:ietf:params:xml:ns:pidf"/>')).toThrow(XmlError);
    expect(() => decodeResourceLists(`<resource-lists xmlns="urn:wrong"/>`)).toThrow(XmlError);
  });

  it('refuses hostile or broken documents with XmlError only', () => {
    const hostile = [
      `<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><resource-lists xmlns="${NS}"><list name="buddies"><entry uri="&e;"/></list></resource-lists>`,
      `<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><resource-lists xmlns="${NS}"/>`,
      `<resource-lists xmlns="${NS}">${'<list name="buddies">'.repeat(100)}`,
      `<resource-lists xmlns="${NS}"><list name="buddies">${'<entry uri="sip:a@b"/>'.repeat(200_000)}</list></resource-lists>`,
      `<resource-lists xmlns="${NS}"><list name="buddies"><entry uri="sip:a@b"></list></resource-lists>`,
      '',
      'not xml at all',
      `<resource-lists xmlns="${NS}"><list name="buddies"><entry uri="&unknown;"/></list></resource-lists>`,
    ];
    for (const xml of hostile) expect(() => decodeResourceLists(xml), xml.slice(0, 80)).toThrow(XmlError);
  });

  it('property: any mutilation of a written document decodes or throws XmlError, nothing else', () => {
    const xml = encodeResourceLists(LIST);
    for (let seed = 1; seed <= 300; seed++) {
      const random = mulberry32(seed);
      let text = xml;
      for (let cut = 0; cut < 3; cut++) {
        const at = Math.floor(random() * text.length);
        const len = Math.floor(random() * 12);
        const insert = ['<', '>', '"', '&', '</list>', '<list name="x">', '<entry uri="sip:z@z"/>', ''][Math.floor(random() * 8)]!;
        text = text.slice(0, at) + insert + text.slice(at + len);
      }
      try {
        const back = decodeResourceLists(text);
        expect(Array.isArray(back.contacts), `seed ${seed}`).toBe(true);
      } catch (error) {
        expect(error, `seed ${seed}`).toBeInstanceOf(XmlError);
      }
    }
  });
});

describe('rls-services', () => {
  it('names the list URI <user>+buddies and points at the top-level list by node selector', () => {
    expect(contactListUri('sip:alice@example.org')).toBe('sip:alice+buddies@example.org');
    expect(contactListUri('sip:example.org')).toBeUndefined();
    const xml = encodeRlsServices(
      'sip:alice+buddies@example.org',
      'http://x:5060/xcap-root/resource-lists/users/sip:alice@example.org/index',
    );
    expect(xml).toContain('<service uri="sip:alice+buddies@example.org">');
    expect(xml).toContain(
      '<resource-list>http://x:5060/xcap-root/resource-lists/users/sip:alice@example.org/index/~~/resource-lists/list%5B@name=%22buddies%22%5D</resource-list>',
    );
    expect(xml).toContain('<package>presence</package>');
  });
});
