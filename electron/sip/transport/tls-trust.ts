/**
 * What a user may trust for TLS beyond the system's certificate authorities (a private CA, or a
 * self-signed server's own certificate), and how Parley describes a certificate to a person.
 *
 * Trust only ever adds named certificates: verification (chain and server name) stays on for
 * every connection, and there is no "accept any certificate" switch anywhere.
 */
import { X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** What could not be read: no certificate block at all, or block `certificate` (from 1) and why. */
export type TrustProblem = { kind: 'no-pem' } | { kind: 'unreadable'; certificate: number; error: string };

export interface TrustList {
  /** Each certificate as a normalised PEM block, ready for tls.connect({ ca }). */
  certificates: string[];
  /** Blocks that could not be read (they are left out). */
  problems: TrustProblem[];
}

/** Reads the PEM text from the account settings: every certificate block it holds, checked. */
export function readTrust(pem: string | undefined): TrustList {
  const certificates: string[] = [];
  const problems: TrustProblem[] = [];
  if (!pem || !pem.trim()) return { certificates, problems };
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) problems.push({ kind: 'no-pem' });
  blocks.forEach((block, index) => {
    try {
      const certificate = new X509Certificate(block);
      certificates.push(certificate.toString());
    } catch (error) {
      problems.push({ kind: 'unreadable', certificate: index + 1, error: error instanceof Error ? error.message : String(error) });
    }
  });
  return { certificates, problems };
}

export interface CertificateInfo {
  /** The subject's common name, or the whole subject when it has none. */
  subject: string;
  issuer: string;
  /** Names the certificate is valid for (DNS names and IP addresses from subjectAltName, else the CN). */
  names: string[];
  /** SHA-256 fingerprint, colon-separated hex: what a person compares with the administrator's. */
  fingerprint256: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** The certificate itself (PEM), so a UI can offer to trust exactly this one. */
  pem: string;
}

/** Describes a certificate from its DER bytes or PEM text; undefined when it cannot be read. */
export function describeCertificate(certificate: Buffer | string | undefined): CertificateInfo | undefined {
  if (!certificate || certificate.length === 0) return undefined;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certificate);
  } catch {
    return undefined;
  }
  const cn = commonName(x509.subject);
  return {
    subject: cn ?? x509.subject.replace(/\n/g, ', '),
    issuer: commonName(x509.issuer) ?? x509.issuer.replace(/\n/g, ', '),
    names: certificateNames(x509.subjectAltName, cn),
    fingerprint256: x509.fingerprint256,
    validFrom: x509.validFrom,
    validTo: x509.validTo,
    selfSigned: x509.subject === x509.issuer && safeVerify(x509),
    pem: x509.toString(),
  };
}

/** "DNS:a, IP Address:1.2.3.4" -> ["a", "1.2.3.4"]; the CN when there is no subjectAltName. */
export function certificateNames(subjectAltName: string | undefined, cn?: string): string[] {
  const names: string[] = [];
  for (const part of (subjectAltName ?? '').split(/,\s*/)) {
    const match = /^(DNS|IP Address):(.+)$/.exec(part.trim());
    if (match) names.push(match[2]!.trim());
  }
  if (names.length === 0 && cn) names.push(cn);
  return names;
}

function commonName(distinguished: string): string | undefined {
  return /(?:^|\n)CN=([^\n]+)/.exec(distinguished)?.[1];
}

function safeVerify(x509: X509Certificate): boolean {
  try {
    return x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}
