/** Writes the admin kubeconfig (mode 0600), like k3s's k3s.yaml with context `default`. */
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { KeyPairPem } from './pki.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function renderKubeconfig(server: string, caCert: string, client: KeyPairPem): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'default', cluster: { server, 'certificate-authority-data': b64(caCert) } }],
    users: [{ name: 'default', user: { 'client-certificate-data': b64(client.cert), 'client-key-data': b64(client.key) } }],
    contexts: [{ name: 'default', context: { cluster: 'default', user: 'default' } }],
    'current-context': 'default',
    preferences: {},
  });
}

export async function writeKubeconfig(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600);
}
