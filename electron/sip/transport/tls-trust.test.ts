import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CA_CERT, LEAF_CERT, SELF_SIGNED_CERT } from '../testing/tls-fixtures.js';
import { certificateNames, describeCertificate, readTrust } from './tls-trust.js';

describe('readTrust', () => {
  it('reads every certificate of a bundle, whatever surrounds the blocks', () => {
    const trust = readTrust(`my CA:\n${CA_CERT}\n\r\n${SELF_SIGNED_CERT}trailing words`);
    expect(trust.problems).toEqual([]);
    expect(trust.certificates).toHaveLength(2);
    expect(new X509Certificate(trust.certificates[0]!).subject).toBe('CN=Parley Test CA');
  });

  it('nothing to trust is fine', () => {
    expect(readTrust(undefined)).toEqual({ certificates: [], problems: [] });
    expect(readTrust('  \n')).toEqual({ certificates: [], problems: [] });
  });

  it('says what it could not read and keeps the rest', () => {
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const trust = readTrust(`${broken}\n${LEAF_CERT}`);
    expect(trust.certificates).toHaveLength(1);
    expect(trust.problems).toEqual([{ kind: 'unreadable', certificate: 1, error: expect.any(String) }]);
    expect(readTrust('not a certificate').problems).toEqual([{ kind: 'no-pem' }]);
  });
});

describe('describeCertificate', () => {
  it('names, issuer, fingerprint and whether it is self-signed', () => {
    const self = describeCertificate(SELF_SIGNED_CERT)!;
    expect(self).toMatchObject({ subject: 'parley.test', issuer: 'parley.test', selfSigned: true });
    expect(self.names).toEqual(['parley.test', 'localhost', '127.0.0.1', '0:0:0:0:0:0:0:1']);
    expect(self.fingerprint256).toBe(new X509Certificate(SELF_SIGNED_CERT).fingerprint256);
    expect(self.pem).toContain('-----BEGIN CERTIFICATE-----');
    const leaf = describeCertificate(new X509Certificate(LEAF_CERT).raw)!;
    expect(leaf).toMatchObject({ subject: 'sip.parley.test', issuer: 'Parley Test CA', selfSigned: false, names: ['sip.parley.test'] });
  });

  it('undefined for nothing or garbage', () => {
    expect(describeCertificate(undefined)).toBeUndefined();
    expect(describeCertificate(Buffer.from('nope'))).toBeUndefined();
  });

  it('falls back to the CN when there is no subjectAltName', () => {
    expect(certificateNames(undefined, 'legacy.example')).toEqual(['legacy.example']);
    expect(certificateNames('DNS:a.example, IP Address:192.0.2.1, email:x@y')).toEqual(['a.example', '192.0.2.1']);
  });
});
