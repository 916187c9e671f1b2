/**
 * The fallback secret box where no OS keyring is available (browser host, CLI): AES-256-GCM with
 * a random key kept in a 0600 file beside the database. It keeps the password out of the
 * database in plain text and out of backups of the database alone; it is not a keyring, and
 * says so (`strong: false`), so the UI can tell the user.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SecretBox {
  readonly strong: boolean;
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export function fileSecretBox(dataDir: string): SecretBox {
  const keyFile = path.join(dataDir, 'secret.key');
  let key: Buffer;
  try {
    key = fs.readFileSync(keyFile);
    if (key.length !== 32) throw new Error('bad key length');
  } catch {
    key = randomBytes(32);
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(keyFile, key, { mode: 0o600 });
    fs.chmodSync(keyFile, 0o600); // mode above applies only when the file is new
  }
  return {
    strong: false,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
