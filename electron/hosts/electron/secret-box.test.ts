import { describe, expect, it } from 'vitest';
import { createSafeStorageSecretBox, type SafeStorageLike } from './secret-box.js';

const reversing = (available: boolean, backend = 'gnome_libsecret'): SafeStorageLike => ({
  isEncryptionAvailable: () => available,
  encryptString: (text) => Buffer.from([...text].reverse().join('')),
  decryptString: (buffer) => [...buffer.toString()].reverse().join(''),
  getSelectedStorageBackend: () => backend,
});

describe('safeStorage SecretBox', () => {
  it('seals and opens through safeStorage', () => {
    const box = createSafeStorageSecretBox(reversing(true), 'linux');
    expect(box?.strong).toBe(true);
    const sealed = box?.seal('s3cret') ?? Buffer.alloc(0);
    expect(sealed.toString()).not.toBe('s3cret');
    expect(box?.open(sealed)).toBe('s3cret');
  });

  it('is absent without OS encryption, and weak on the basic_text backend', () => {
    expect(createSafeStorageSecretBox(reversing(false), 'linux')).toBeUndefined();
    expect(createSafeStorageSecretBox(reversing(true, 'basic_text'), 'linux')?.strong).toBe(false);
    expect(createSafeStorageSecretBox(reversing(true, 'basic_text'), 'darwin')?.strong).toBe(true);
  });
});
