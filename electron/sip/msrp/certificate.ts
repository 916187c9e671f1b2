/**
 * The certificate an endpoint shows on its MSRP-over-TLS connections (msrps, RFC 4975 §14).
 * Between two clients there is no authority to vouch for either: each makes a self-signed
 * certificate and puts its fingerprint in its SDP (a=fingerprint, RFC 4975 §14.4 after RFC 4572);
 * the SDP travels in SIP over TLS, so a peer that checks the fingerprint knows the TLS connection
 * goes to whoever answered the INVITE. One certificate per process: cheap (ECDSA P-256) and never
 * stored, so it names no one and links nothing across restarts.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata polyfill first.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface MsrpCertificate {
  /** PEM, for tls.createServer and tls.connect. */
  cert: string;
  key: string;
  /** What a=fingerprint carries: `SHA-256` and the colon-separated hex of the certificate's DER bytes. */
  fingerprint: Fingerprint;
}

export interface Fingerprint {
  /** The hash function as RFC 4572 names it, upper case (only SHA-256 is made and checked). */
  hash: string;
  /** Colon-separated upper-case hex. */
  value: string;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const VALID_DAYS = 30;
const DAY_MS = 86_400_000;

let made: Promise<MsrpCertificate> | undefined;

/** This process's certificate, made on first use. */
export function msrpCertificate(): Promise<MsrpCertificate> {
  made ??= newMsrpCertificate().catch((error: unknown) => {
    made = undefined; // a failure is not kept: the next session tries again
    throw error;
  });
  return made;
}

/** A fresh certificate (a process uses one, msrpCertificate; tests make peers with distinct ones). */
export async function newMsrpCertificate(): Promise<MsrpCertificate> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^./, '1'),
    name: 'CN=parley-msrp',
    // An hour back: a peer whose clock is a little behind still finds it valid.
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + VALID_DAYS * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
  });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { cert: certificate.toString('pem'), key, fingerprint: fingerprintOf(Buffer.from(certificate.rawData)) };
}

/** The SHA-256 fingerprint of a certificate's DER bytes, as a=fingerprint writes it. */
export function fingerprintOf(der: Buffer): Fingerprint {
  const hex = createHash('sha256').update(der).digest('hex').toUpperCase();
  return { hash: 'SHA-256', value: hex.match(/../g)!.join(':') };
}

/** Whether a certificate (DER) is the one a fingerprint names; false for a hash function we do not check. */
export function matchesFingerprint(der: Buffer | undefined, expected: Fingerprint): boolean {
  if (!der || der.length === 0 || expected.hash.toUpperCase() !== 'SHA-256') return false;
  return fingerprintOf(der).value === expected.value.toUpperCase();
}
