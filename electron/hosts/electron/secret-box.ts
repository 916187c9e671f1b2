/**
 * A SecretBox backed by Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
 * safeStorage is injected so this is testable without Electron.
 */
import type { SecretBox } from '../compose.js';

/** What this module uses of Electron's safeStorage. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/**
 * The box, or undefined when the OS offers no encryption (the core then keeps its default).
 * On Linux the `basic_text` backend encrypts with a fixed key: usable, but not strong.
 * Call only after the app is ready.
 */
export function createSafeStorageSecretBox(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  const strong = !(platform === 'linux' && (backend === 'basic_text' || backend === 'unknown'));
  return {
    strong,
    seal: (plain) => safeStorage.encryptString(plain),
    open: (sealed) => safeStorage.decryptString(sealed),
  };
}
