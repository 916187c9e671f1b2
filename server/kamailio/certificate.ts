// The TLS listener's self-signed certificate, made with openssl on the first TLS start of a run
// directory and kept there.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Create the self-signed certificate for the TLS listener unless `tlsDir` has one; its PEM file. */
export async function ensureCertificate(tlsDir: string, domain: string, host: string): Promise<string> {
  const certFile = join(tlsDir, 'cert.pem');
  const keyFile = join(tlsDir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) return certFile;
  await mkdir(tlsDir, { recursive: true });
  const names = [`DNS:${domain}`, 'DNS:localhost', isIP(host) ? `IP:${host}` : `DNS:${host}`];
  if (host !== '127.0.0.1') names.push('IP:127.0.0.1');
  try {
    await execFileAsync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '3650',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-subj',
      `/CN=${domain}`,
      '-addext',
      `subjectAltName=${[...new Set(names)].join(',')}`,
    ]);
  } catch (error) {
    throw new Error(`openssl could not create the TLS certificate: ${(error as Error).message}`);
  }
  return certFile;
}
