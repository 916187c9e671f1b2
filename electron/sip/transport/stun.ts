/**
 * The few bytes of STUN (RFC 5389) that a SIP keep-alive needs (RFC 5626 §4.4.2): a Binding
 * request without attributes, and from a success response the mapped address, which is our
 * address as the server sees it (a NAT's public address and port). A STUN message shares the SIP
 * UDP port with SIP itself and is told apart by its first two bits (zero, where a SIP message
 * starts with a letter) and the magic cookie (RFC 7983 §7).
 *
 * Everything read here comes from the network: every length is checked before it is used, and
 * anything that does not parse is "not a mapped address" (undefined), never a throw.
 */
import { randomBytes } from 'node:crypto';

export const STUN_MAGIC_COOKIE = 0x2112a442;
const HEADER_BYTES = 20;
const BINDING_REQUEST = 0x0001;
const BINDING_SUCCESS = 0x0101;
const MAPPED_ADDRESS = 0x0001;
const XOR_MAPPED_ADDRESS = 0x0020;

export interface StunBindingRequest {
  /** The 96-bit transaction id, as hex: the key its answer is matched by. */
  transaction: string;
  bytes: Buffer;
}

export interface MappedAddress {
  transaction: string;
  host: string;
  port: number;
}

/** A Binding request with a fresh random transaction id (RFC 5389 §6). */
export function bindingRequest(): StunBindingRequest {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.writeUInt16BE(BINDING_REQUEST, 0);
  bytes.writeUInt16BE(0, 2);
  bytes.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  const id = randomBytes(12);
  id.copy(bytes, 8);
  return { transaction: id.toString('hex'), bytes };
}

/** Whether a datagram is a STUN message (RFC 7983 §7: first byte 0–3, then the magic cookie). */
export function isStun(data: Buffer): boolean {
  return data.length >= HEADER_BYTES && data[0]! < 4 && data.readUInt32BE(4) === STUN_MAGIC_COOKIE && data.readUInt16BE(2) % 4 === 0;
}

/** The mapped address of a Binding success response; undefined for anything else. */
export function readBindingSuccess(data: Buffer): MappedAddress | undefined {
  if (!isStun(data) || data.readUInt16BE(0) !== BINDING_SUCCESS) return undefined;
  const end = Math.min(data.length, HEADER_BYTES + data.readUInt16BE(2));
  const transaction = data.subarray(8, 20).toString('hex');
  let plain: MappedAddress | undefined;
  for (let at = HEADER_BYTES; at + 4 <= end;) {
    const type = data.readUInt16BE(at);
    const length = data.readUInt16BE(at + 2);
    const value = data.subarray(at + 4, at + 4 + length);
    if (value.length < length) return undefined;
    // XOR-MAPPED-ADDRESS wins (a NAT that rewrites addresses in payloads cannot spoil it).
    if (type === XOR_MAPPED_ADDRESS) {
      const address = readAddress(value, data.subarray(4, 20));
      if (address) return { transaction, ...address };
    }
    if (type === MAPPED_ADDRESS) {
      const address = readAddress(value);
      if (address) plain = { transaction, ...address };
    }
    at += 4 + Math.ceil(length / 4) * 4; // attributes are padded to 4 bytes
  }
  return plain;
}

/** An address attribute's value (RFC 5389 §15.1, §15.2); `mask` = cookie + transaction id for XOR. */
function readAddress(value: Buffer, mask?: Buffer): { host: string; port: number } | undefined {
  const family = value[1];
  const size = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (!size || value.length < 4 + size) return undefined;
  let port = value.readUInt16BE(2);
  const bytes = Buffer.from(value.subarray(4, 4 + size));
  if (mask) {
    // The port is XORed with the cookie's top 16 bits, the address with the cookie (and for IPv6 the transaction id).
    port ^= mask.readUInt16BE(0);
    for (let i = 0; i < size; i++) bytes[i] = bytes[i]! ^ mask[i]!;
  }
  const host = size === 4 ? [...bytes].join('.') : Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16)).join(':');
  return { host, port };
}
