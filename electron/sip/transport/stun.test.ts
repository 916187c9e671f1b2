/**
 * The STUN codec against a Binding success as Kamailio's stun module sent it (captured on this
 * machine), a hand-made IPv6 answer, and hostile input: anything that does not parse is undefined.
 */
import { describe, expect, it } from 'vitest';
import { bindingRequest, isStun, readBindingSuccess, STUN_MAGIC_COOKIE } from './stun.js';

// Kamailio 5.6's answer to a request from 127.0.0.1:56598: XOR-MAPPED-ADDRESS, then SOFTWARE.
const KAMAILIO_ANSWER = Buffer.from(
  '010100382112a44211baa5b7e61fe835fd013c54002000080001fc045e12a443802200275365727665723a206b616d61696c696f2028352e362e3320287838365f36342f6c696e7578292900',
  'hex',
);

describe('STUN Binding', () => {
  it('a request is a bare 20-byte header with the cookie and a fresh transaction id', () => {
    const a = bindingRequest();
    const b = bindingRequest();
    expect(a.bytes).toHaveLength(20);
    expect(a.bytes.readUInt16BE(0)).toBe(0x0001);
    expect(a.bytes.readUInt32BE(4)).toBe(STUN_MAGIC_COOKIE);
    expect(a.transaction).toBe(a.bytes.subarray(8).toString('hex'));
    expect(a.transaction).not.toBe(b.transaction);
    expect(isStun(a.bytes)).toBe(true);
  });

  it("reads the mapped address from Kamailio's answer", () => {
    expect(readBindingSuccess(KAMAILIO_ANSWER)).toEqual({ transaction: '11baa5b7e61fe835fd013c54', host: '127.0.0.1', port: 56598 });
  });

  it('reads an IPv6 XOR-MAPPED-ADDRESS', () => {
    const header = Buffer.from('010100182112a442000102030405060708090a0b', 'hex');
    const address = Buffer.from('20010db8000000000000000000000001', 'hex');
    const mask = header.subarray(4, 20);
    const value = Buffer.alloc(20);
    value.writeUInt16BE(0x0002, 0);
    value.writeUInt16BE(5060 ^ 0x2112, 2);
    for (let i = 0; i < 16; i++) value[4 + i] = address[i]! ^ mask[i]!;
    const attribute = Buffer.concat([Buffer.from('00200014', 'hex'), value]);
    expect(readBindingSuccess(Buffer.concat([header, attribute]))).toMatchObject({ host: '2001:db8:0:0:0:0:0:1', port: 5060 });
  });

  it('refuses what is not a Binding success with an address, without throwing', () => {
    expect(readBindingSuccess(Buffer.from('SIP/2.0 200 OK\r\n\r\n'))).toBeUndefined();
    expect(readBindingSuccess(bindingRequest().bytes)).toBeUndefined();
    // An attribute that claims more bytes than the datagram holds.
    const truncated = Buffer.from(KAMAILIO_ANSWER.subarray(0, 30));
    expect(readBindingSuccess(truncated)).toBeUndefined();
    // Every cut and every single-byte change of a real answer.
    for (let cut = 0; cut < KAMAILIO_ANSWER.length; cut++) expect(() => readBindingSuccess(KAMAILIO_ANSWER.subarray(0, cut))).not.toThrow();
    for (let i = 0; i < KAMAILIO_ANSWER.length; i++) {
      const changed = Buffer.from(KAMAILIO_ANSWER);
      changed[i] = changed[i]! ^ 0xff;
      expect(() => readBindingSuccess(changed)).not.toThrow();
    }
  });
});
