/**
 * Encrypts and decrypts stored values the way upstream's envelope does:
 * `k8s:enc:<cipher>:v1:<keyname>:<payload>`. The storage key is bound into AES-GCM as
 * additional data, so a ciphertext copied onto another key fails to decrypt.
 *
 * NOTE: skiff's store values are strings, so the payload (nonce + ciphertext + tag for GCM,
 * IV + ciphertext for CBC) is base64 where upstream writes raw bytes to etcd.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { SkiffError } from '../../base/errors.js';
import { secretProviders, type CipherName, type EncryptionConfiguration } from './encryption-config.js';

export class DecryptionError extends SkiffError {
  constructor(message: string) {
    super('Decryption', message);
  }
}

interface KeyEntry {
  cipher: CipherName;
  name: string;
  secret: Buffer;
  prefix: string;
}

/** Which key wrote a value: a key name, or `identity` for plain text. */
export type KeyUse = string;

export const IDENTITY = 'identity';

export class ValueTransformer {
  private readonly keys: KeyEntry[] = [];
  private readonly identityAllowed: boolean;
  /** Undefined when the first provider is identity: writes then stay plain text. */
  readonly primary: KeyEntry | undefined;

  constructor(cfg: EncryptionConfiguration) {
    const providers = secretProviders(cfg);
    for (const p of providers) {
      const cipher: CipherName | undefined = 'aesgcm' in p ? 'aesgcm' : 'aescbc' in p ? 'aescbc' : undefined;
      if (!cipher) continue;
      const keys = (p as Record<CipherName, { keys: { name: string; secret: string }[] }>)[cipher].keys;
      for (const k of keys) this.keys.push({ cipher, name: k.name, secret: Buffer.from(k.secret, 'base64'), prefix: `k8s:enc:${cipher}:v1:${k.name}:` });
    }
    this.identityAllowed = providers.some((p) => 'identity' in p);
    this.primary = 'identity' in providers[0] ? undefined : this.keys[0];
  }

  /** Name of the key that wrote `stored` (`identity` for plain text), or undefined when it is unknown to this configuration. */
  keyOf(stored: string): KeyUse | undefined {
    if (!stored.startsWith('k8s:enc:')) return IDENTITY;
    return this.keys.find((k) => stored.startsWith(k.prefix))?.name;
  }

  /** True when `stored` was not written with the primary key (a rewrite would change it). */
  isStale(stored: string): boolean {
    return this.primary ? !stored.startsWith(this.primary.prefix) : stored.startsWith('k8s:enc:');
  }

  encrypt(storageKey: string, plain: string): string {
    const k = this.primary;
    if (!k) return plain;
    const data = Buffer.from(plain, 'utf8');
    let payload: Buffer;
    if (k.cipher === 'aesgcm') {
      const nonce = randomBytes(12);
      const c = createCipheriv(gcmAlgorithm(k.secret), k.secret, nonce);
      c.setAAD(Buffer.from(storageKey, 'utf8'));
      payload = Buffer.concat([nonce, c.update(data), c.final(), c.getAuthTag()]);
    } else {
      const iv = randomBytes(16);
      const c = createCipheriv(cbcAlgorithm(k.secret), k.secret, iv);
      const body = Buffer.concat([c.update(data), c.final()]);
      // CBC alone does not authenticate: bind the storage key and the ciphertext with an HMAC.
      payload = Buffer.concat([iv, body, cbcMac(k.secret, storageKey, iv, body)]);
    }
    return k.prefix + payload.toString('base64');
  }

  decrypt(storageKey: string, stored: string): string {
    if (!stored.startsWith('k8s:enc:')) {
      if (this.identityAllowed) return stored;
      throw new DecryptionError(`value of ${storageKey} is not encrypted and the identity provider is not configured`);
    }
    const k = this.keys.find((e) => stored.startsWith(e.prefix));
    if (!k) throw new DecryptionError(`no key in the encryption configuration matches the value of ${storageKey}`);
    const payload = Buffer.from(stored.slice(k.prefix.length), 'base64');
    try {
      if (k.cipher === 'aesgcm') {
        const nonce = payload.subarray(0, 12);
        const tag = payload.subarray(payload.length - 16);
        const d = createDecipheriv(gcmAlgorithm(k.secret), k.secret, nonce);
        d.setAAD(Buffer.from(storageKey, 'utf8'));
        d.setAuthTag(tag);
        return Buffer.concat([d.update(payload.subarray(12, payload.length - 16)), d.final()]).toString('utf8');
      }
      const iv = payload.subarray(0, 16);
      const body = payload.subarray(16, payload.length - 32);
      const mac = payload.subarray(payload.length - 32);
      if (!cbcMac(k.secret, storageKey, iv, body).equals(mac)) throw new Error('authentication failed');
      const d = createDecipheriv(cbcAlgorithm(k.secret), k.secret, iv);
      return Buffer.concat([d.update(body), d.final()]).toString('utf8');
    } catch (err) {
      throw new DecryptionError(`cannot decrypt the value of ${storageKey} with key ${k.name}: ${(err as Error).message}`);
    }
  }
}

function gcmAlgorithm(secret: Buffer): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  return `aes-${secret.length * 8}-gcm` as 'aes-256-gcm';
}

function cbcAlgorithm(secret: Buffer): string {
  return `aes-${secret.length * 8}-cbc`;
}

function cbcMac(secret: Buffer, storageKey: string, iv: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(storageKey).update('\0').update(iv).update(body).digest();
}
