/**
 * The key file of secrets encryption at rest, in upstream's EncryptionConfiguration shape
 * (apiserver.config.k8s.io/v1) and at k3s's place: `<data-dir>/cred/encryption-config.json`.
 * The first key of the first provider encrypts new writes; every listed key (and `identity`,
 * meaning plain text) may decrypt.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SkiffError } from '../../base/errors.js';

export type CipherName = 'aesgcm' | 'aescbc';

export interface EncryptionKey {
  name: string;
  /** base64 of 16, 24 or 32 bytes. */
  secret: string;
}

export type Provider = { aesgcm: { keys: EncryptionKey[] } } | { aescbc: { keys: EncryptionKey[] } } | { identity: Record<string, never> };

export interface EncryptionConfiguration {
  kind: 'EncryptionConfiguration';
  apiVersion: 'apiserver.config.k8s.io/v1';
  resources: { resources: string[]; providers: Provider[] }[];
}

export class EncryptionConfigError extends SkiffError {
  constructor(message: string) {
    super('EncryptionConfig', message);
  }
}

export function encryptionConfigPath(dataDir: string): string {
  return join(dataDir, 'cred', 'encryption-config.json');
}

export function newKey(cipher: CipherName, name: string): Provider {
  const key = { name, secret: randomBytes(32).toString('base64') };
  return cipher === 'aesgcm' ? { aesgcm: { keys: [key] } } : { aescbc: { keys: [key] } };
}

/** A fresh configuration: one key for writes, `identity` last so Secrets written before encryption stay readable. */
export function defaultEncryptionConfig(cipher: CipherName = 'aesgcm'): EncryptionConfiguration {
  return {
    kind: 'EncryptionConfiguration',
    apiVersion: 'apiserver.config.k8s.io/v1',
    resources: [{ resources: ['secrets'], providers: [newKey(cipher, `${cipher}key`), { identity: {} }] }],
  };
}

export function parseEncryptionConfig(text: string): EncryptionConfiguration {
  let cfg: EncryptionConfiguration;
  try {
    cfg = JSON.parse(text) as EncryptionConfiguration;
  } catch (err) {
    throw new EncryptionConfigError(`encryption configuration is not JSON: ${(err as Error).message}`);
  }
  if (cfg?.kind !== 'EncryptionConfiguration' || !Array.isArray(cfg.resources)) throw new EncryptionConfigError('not an EncryptionConfiguration');
  const entry = cfg.resources.find((r) => r.resources?.includes('secrets'));
  if (!entry || !Array.isArray(entry.providers) || entry.providers.length === 0) throw new EncryptionConfigError('no providers for secrets');
  for (const p of entry.providers) {
    const keys = 'aesgcm' in p ? p.aesgcm.keys : 'aescbc' in p ? p.aescbc.keys : undefined;
    if (!keys && !('identity' in p)) throw new EncryptionConfigError(`unsupported provider ${Object.keys(p).join(',')}`);
    for (const k of keys ?? []) {
      const len = Buffer.from(k.secret ?? '', 'base64').length;
      if (!k.name || ![16, 24, 32].includes(len)) throw new EncryptionConfigError(`key ${JSON.stringify(k.name)} must have a name and a 16, 24 or 32 byte secret`);
    }
  }
  return cfg;
}

export function readEncryptionConfig(path: string): EncryptionConfiguration {
  return parseEncryptionConfig(readFileSync(path, 'utf8'));
}

/** Written whole and renamed into place, so a reader never sees half a file. Mode 0600: it holds keys. */
export function writeEncryptionConfig(path: string, cfg: EncryptionConfiguration): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(cfg, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

export function ensureEncryptionConfig(path: string): EncryptionConfiguration {
  if (existsSync(path)) return readEncryptionConfig(path);
  const cfg = defaultEncryptionConfig();
  writeEncryptionConfig(path, cfg);
  return cfg;
}

/** Providers of the secrets entry (the only resource skiff encrypts). */
export function secretProviders(cfg: EncryptionConfiguration): Provider[] {
  return cfg.resources.find((r) => r.resources.includes('secrets'))!.providers;
}

/**
 * Adds a new key in front (it encrypts from now on); older keys stay listed for reading.
 * The new key uses the same cipher as the current primary.
 */
export function withNewPrimaryKey(cfg: EncryptionConfiguration, name: string): EncryptionConfiguration {
  const providers = secretProviders(cfg);
  const first = providers[0];
  const key = { name, secret: randomBytes(32).toString('base64') };
  if ('aesgcm' in first) first.aesgcm.keys.unshift(key);
  else if ('aescbc' in first) first.aescbc.keys.unshift(key);
  else providers.unshift({ aesgcm: { keys: [key] } });
  return cfg;
}
