/**
 * The node's client certificate on disk (`<data-dir>/agent/pki/kubelet-client.{crt,key}`, 0600)
 * and the kubeconfig that uses it (`<data-dir>/agent/kubelet.kubeconfig`), plus when it is due
 * for rotation: at a random point between 70% and 90% of its lifetime, as upstream's
 * certificate manager does, so a fleet of nodes does not renew at once.
 */
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderKubeconfig } from '../../api/pki/kubeconfig.js';

export interface ClientCertificate {
  cert: string;
  key: string;
}

export function pkiDir(dataDir: string): string {
  return join(dataDir, 'agent', 'pki');
}

export function kubeletKubeconfigPath(dataDir: string): string {
  return join(dataDir, 'agent', 'kubelet.kubeconfig');
}

async function writePrivate(path: string, text: string): Promise<void> {
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function loadClientCertificate(dataDir: string): Promise<ClientCertificate | undefined> {
  try {
    const dir = pkiDir(dataDir);
    return { cert: await readFile(join(dir, 'kubelet-client.crt'), 'utf8'), key: await readFile(join(dir, 'kubelet-client.key'), 'utf8') };
  } catch {
    return undefined;
  }
}

/** Stores the pair, the CA and a kubeconfig for the node; the key is written before the certificate. */
export async function storeClientCertificate(dataDir: string, server: string, ca: string, pair: ClientCertificate): Promise<void> {
  const dir = pkiDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writePrivate(join(dir, 'kubelet-client.key'), pair.key);
  await writePrivate(join(dir, 'kubelet-client.crt'), pair.cert);
  await writePrivate(join(dir, 'server-ca.crt'), ca);
  await writePrivate(kubeletKubeconfigPath(dataDir), renderKubeconfig(server, ca, pair));
}

export interface Validity {
  notBefore: number;
  notAfter: number;
  subject: string;
}

export function validity(certPem: string): Validity {
  const c = new X509Certificate(certPem);
  return { notBefore: Date.parse(c.validFrom), notAfter: Date.parse(c.validTo), subject: c.subject };
}

/** When to start renewing: notBefore + (0.7..0.9) × lifetime; `jitter` is in [0, 1). */
export function rotationDeadline(v: Validity, jitter: number): number {
  const life = v.notAfter - v.notBefore;
  return v.notBefore + life * (0.7 + 0.2 * jitter);
}

/** Usable for this node: issued for it, by this CA, and not yet expired. */
export function usableFor(pair: ClientCertificate, nodeName: string, ca: string, nowMs: number): boolean {
  try {
    const c = new X509Certificate(pair.cert);
    const issuer = new X509Certificate(ca);
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) return false;
    if (!c.subject.split('\n').includes(`CN=system:node:${nodeName}`)) return false;
    return Date.parse(c.validFrom) <= nowMs && nowMs < Date.parse(c.validTo);
  } catch {
    return false;
  }
}
