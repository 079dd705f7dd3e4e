/**
 * Re-issuing the server's leaf certificates from the existing cluster CA (like k3s
 * `certificate rotate`): the apiserver serving certificate keeps its SANs, the admin client
 * certificate keeps its subject. The old files are kept in `tls/rotated-<unix seconds>/`.
 */
import { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCertificate, type KeyPairPem } from '../../api/pki/pki.js';
import { renderKubeconfig, writeKubeconfig } from '../../api/pki/kubeconfig.js';

export const ROTATABLE_SERVICES = ['api-server', 'admin'] as const;
export type RotatableService = (typeof ROTATABLE_SERVICES)[number];

const FILES: Record<RotatableService, string> = { 'api-server': 'serving-kube-apiserver', admin: 'client-admin' };

async function readPair(dir: string, name: string): Promise<KeyPairPem> {
  return { cert: await readFile(join(dir, `${name}.crt`), 'utf8'), key: await readFile(join(dir, `${name}.key`), 'utf8') };
}

/** The SANs of a serving certificate, as issueCertificate takes them. */
export function subjectAltNames(certPem: string): string[] {
  const text = new X509Certificate(certPem).subjectAltName ?? '';
  return text
    .split(', ')
    .filter(Boolean)
    .map((s) => s.replace(/^(DNS|IP Address):/, ''));
}

export interface RotateResult {
  rotated: RotatableService[];
  backupDir: string;
}

export async function rotateCertificates(dataDir: string, services: readonly RotatableService[], nowMs: number): Promise<RotateResult> {
  const dir = join(dataDir, 'tls');
  const ca = await readPair(dir, 'server-ca');
  const backupDir = join(dir, `rotated-${Math.floor(nowMs / 1000)}`);
  await mkdir(backupDir, { recursive: true, mode: 0o700 });
  for (const service of services) {
    const name = FILES[service];
    const old = await readPair(dir, name);
    for (const ext of ['crt', 'key']) await copyFile(join(dir, `${name}.${ext}`), join(backupDir, `${name}.${ext}`));
    const fresh =
      service === 'api-server'
        ? await issueCertificate(ca, { commonName: 'kube-apiserver', sans: subjectAltNames(old.cert), usage: 'server' })
        : await issueCertificate(ca, { commonName: 'system:admin', organizations: ['system:masters'], usage: 'client', days: 3650 });
    await writeFile(join(dir, `${name}.key`), fresh.key, { mode: 0o600 });
    await writeFile(join(dir, `${name}.crt`), fresh.cert, { mode: 0o644 });
    if (service === 'admin') await rewriteAdminKubeconfig(dataDir, ca.cert, fresh);
  }
  return { rotated: [...services], backupDir };
}

/** The admin kubeconfig keeps its server URL and gets the new client certificate. */
async function rewriteAdminKubeconfig(dataDir: string, caCert: string, admin: KeyPairPem): Promise<void> {
  const path = join(dataDir, 'kubeconfig.yaml');
  let server: string | undefined;
  try {
    server = /server: (\S+)/.exec(await readFile(path, 'utf8'))?.[1];
  } catch {
    return;
  }
  if (server) await writeKubeconfig(path, renderKubeconfig(server, caCert, admin));
}
