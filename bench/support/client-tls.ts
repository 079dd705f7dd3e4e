/** Client TLS material for benchmarks, and the keep-alive agents built from it. */
import { Agent } from 'node:https';
import { parse } from 'yaml';

export interface ClientTls {
  server: URL;
  ca: string;
  cert: string;
  key: string;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

const unbase64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** Reads the first cluster and user of a kubeconfig with embedded (base64) certificates. */
export function tlsFromKubeconfig(text: string): ClientTls {
  const kc = parse(text) as KubeconfigFile;
  const cluster = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  return {
    server: new URL(cluster.server),
    ca: unbase64(cluster['certificate-authority-data']),
    cert: unbase64(user['client-certificate-data']),
    key: unbase64(user['client-key-data']),
  };
}

/**
 * NOTE: keep-alive with maxSockets = the client count gives each closed-loop client its own
 * connection, like kubectl or client-go reusing one connection per goroutine.
 */
export function keepAliveAgent(tls: ClientTls, maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, ca: tls.ca, cert: tls.cert, key: tls.key });
}
