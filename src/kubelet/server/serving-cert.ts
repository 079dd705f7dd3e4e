/**
 * The embedded agent's serving certificate: the server's cluster CA (in `<data-dir>/tls`) signs
 * it directly, and the same CA verifies callers. A joining agent gets its certificate through
 * a CSR instead (not here yet).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueCertificate } from '../../api/pki/pki.js';
import type { KubeletTLS } from './kubelet-server.js';

export async function clusterCAKubeletTLS(dataDir: string, nodeName: string, nodeIP: string): Promise<KubeletTLS> {
  const dir = join(dataDir, 'tls');
  const ca = { cert: await readFile(join(dir, 'server-ca.crt'), 'utf8'), key: await readFile(join(dir, 'server-ca.key'), 'utf8') };
  const serving = await issueCertificate(ca, { commonName: nodeName, organizations: ['system:nodes'], sans: [nodeName, nodeIP, 'localhost', '127.0.0.1'], usage: 'server' });
  return { cert: serving.cert, key: serving.key, clientCA: ca.cert };
}
