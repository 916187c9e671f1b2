/** Registration state documents (RFC 3680) as Kamailio's pua_reginfo writes them, and hostile ones. */
import { describe, expect, it } from 'vitest';
import { decodeRegInfo, deviceNameParam } from './reginfo.js';
import { XmlError } from './xml-reader.js';

const doc = (contacts: string, state = 'full') => `<?xml version="1.0"?>
<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="${state}">
  <registration aor="sip:alice@parley.test" id="0x7f" state="active">${contacts}</registration>
</reginfo>`;

describe('decodeRegInfo', () => {
  it('reads each contact: id, state, event, expires, user part and the Parley device name', () => {
    const decoded = decodeRegInfo(
      doc(`
    <contact id="0x1" state="active" event="registered" expires="590" callid="c" cseq="3" received="" path="" user_agent="Parley/0.1">
      <uri>sip:a1b2c3@192.0.2.7:5060;parley-device=Phone%20%E2%98%8E</uri>
    </contact>
    <contact id="0x2" state="terminated" event="unregistered" expires="0"><uri>sip:x9@192.0.2.8</uri></contact>
    <contact id="0x3" state="bogus"><uri>sip:y@192.0.2.9</uri></contact>`),
    );
    expect(decoded).toEqual({
      version: 0,
      state: 'full',
      registrations: [
        {
          aor: 'sip:alice@parley.test',
          state: 'active',
          contacts: [
            {
              id: '0x1',
              state: 'active',
              event: 'registered',
              expires: 590,
              uri: 'sip:a1b2c3@192.0.2.7:5060;parley-device=Phone%20%E2%98%8E',
              user: 'a1b2c3',
              deviceName: 'Phone ☎',
            },
            { id: '0x2', state: 'terminated', event: 'unregistered', expires: 0, uri: 'sip:x9@192.0.2.8', user: 'x9' },
          ],
        },
      ],
    });
  });

  it('a name that is not valid percent-encoding is no name; markup in it stays text', () => {
    const decoded = decodeRegInfo(
      doc(`<contact id="1" state="active"><uri>sip:u@h;parley-device=%E2%28</uri></contact>
      <contact id="2" state="active"><uri>sip:v@h;parley-device=%3Cb%3Ehi%3C%2Fb%3E</uri></contact>`),
    );
    expect(decoded.registrations[0]!.contacts.map((c) => c.deviceName)).toEqual([undefined, '<b>hi</b>']);
  });

  it('refuses a DTD and a document of another kind', () => {
    expect(() => decodeRegInfo('<!DOCTYPE r [<!ENTITY x "y">]><reginfo xmlns="urn:ietf:params:xml:ns:reginfo"/>')).toThrow(XmlError);
    expect(() => decodeRegInfo('<presence xmlns="urn:ietf:params:xml:ns:pidf"/>')).toThrow(XmlError);
  });

  it('deviceNameParam round-trips through a contact URI', () => {
    const uri = `sip:u@h${deviceNameParam('Büro; <PC> 2')}`;
    expect(uri).not.toMatch(/[ <>]/);
    expect(decodeRegInfo(doc(`<contact id="1" state="active"><uri>${uri}</uri></contact>`)).registrations[0]!.contacts[0]!.deviceName).toBe(
      'Büro; <PC> 2',
    );
  });
});
