/** Wiring for `skiff server --secrets-encryption`: the key file and the storage wrapper. */
import type { Storage } from '../../storage/interface.js';
import { EncryptingStorage } from './encrypting-storage.js';
import { encryptionConfigPath, ensureEncryptionConfig } from './encryption-config.js';

export interface SecretsEncryption {
  /** The storage everything above should use (the wrapper when encryption is on). */
  storage: Storage;
  /** Present when encryption is on: serves the admin endpoints. */
  encrypting?: EncryptingStorage;
}

/** Generates `<data-dir>/cred/encryption-config.json` on first start (AES-GCM key) and wraps the store. */
export function secretsEncryptionStorage(backend: Storage, dataDir: string, enabled: boolean): SecretsEncryption {
  if (!enabled) return { storage: backend };
  const configPath = encryptionConfigPath(dataDir);
  const encrypting = new EncryptingStorage(backend, { config: ensureEncryptionConfig(configPath), configPath });
  return { storage: encrypting, encrypting };
}
