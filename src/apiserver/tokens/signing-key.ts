/**
 * The service-account token signing key: `<data-dir>/tls/service-account.key`, an ECDSA P-256
 * private key (PEM, tokens signed ES256 as upstream allows) made on first start and reused
 * afterwards, so tokens survive restarts. Existing RSA keys keep working (RS256). P-256 keys are
 * made in well under a millisecond, where RSA 2048 costs a noticeable part of the first start.
 * NOTE: servers sharing one datastore must share this file too (copy it), as with upstream's
 * --service-account-key-file.
 */
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { keyIdOf } from './jwt.js';

export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export function serviceAccountKeyPath(dataDir: string): string {
  return join(dataDir, 'tls', 'service-account.key');
}

export function serviceAccountKeyFromPem(pem: string): ServiceAccountKey {
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey), keyId: keyIdOf(privateKey) };
}

export async function generateServiceAccountKey(): Promise<string> {
  const { privateKey } = await promisify(generateKeyPair)('ec', { namedCurve: 'prime256v1' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

export async function ensureServiceAccountKey(dataDir: string): Promise<ServiceAccountKey> {
  const path = serviceAccountKeyPath(dataDir);
  try {
    return serviceAccountKeyFromPem(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const pem = await generateServiceAccountKey();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // 'wx': a second server starting on the same folder at once keeps the first one's key.
  await writeFile(path, pem, { mode: 0o600, flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  return serviceAccountKeyFromPem(await readFile(path, 'utf8'));
}
