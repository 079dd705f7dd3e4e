/**
 * Kubelet TLS bootstrap (upstream pkg/kubelet/certificate/bootstrap): a node that holds only a
 * join token learns and checks the cluster CA, asks for a client certificate through a
 * CertificateSigningRequest authenticated with the bootstrap token, and from then on talks to
 * the API as `system:node:<name>`. A usable stored certificate is reused on restart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import { HttpsTransport, type HttpsCredentials } from '../../client/transport.js';
import { nodeClientCertificateRequest } from './certificate-request.js';
import { loadClientCertificate, pkiDir, storeClientCertificate, usableFor, type ClientCertificate } from './client-certificate.js';
import { caCertHash, parseJoinToken, type JoinToken } from './join-token.js';
import { KUBE_APISERVER_CLIENT_KUBELET, requestCertificate } from './request-certificate.js';
import { CaPinError, verifiedServerCA } from './server-ca.js';

/** Key usages upstream's kubelet asks for with an ECDSA key. */
export const KUBELET_CLIENT_USAGES = ['digital signature', 'client auth'];

export interface NodeCredentials extends HttpsCredentials {
  ca: string;
  cert: string;
  key: string;
}

export interface NodeJoinOptions {
  server: string;
  /** `K10<ca-hash>::<id>.<secret>` or `<id>.<secret>`; needed unless a usable certificate is stored. */
  token?: string;
  /** The cluster CA given out of band (--server-ca); still checked against a pinned token. */
  serverCA?: string;
  dataDir: string;
  nodeName: string;
  clock: Clock;
  log: Logger;
  signal?: AbortSignal;
}

async function storedCA(dataDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(pkiDir(dataDir), 'server-ca.crt'), 'utf8');
  } catch {
    return undefined;
  }
}

async function clusterCA(opts: NodeJoinOptions, token: JoinToken): Promise<string> {
  if (opts.serverCA === undefined) return verifiedServerCA(opts.server, token, opts.log);
  if (token.caHash !== undefined && caCertHash(opts.serverCA) !== token.caHash) {
    throw new CaPinError(`--server-ca (sha256 ${caCertHash(opts.serverCA)}) does not match the token's CA hash ${token.caHash}`);
  }
  return opts.serverCA;
}

/** Asks for a new node client certificate with `client`'s credentials and stores it. */
export async function obtainClientCertificate(client: ApiClient, opts: Pick<NodeJoinOptions, 'server' | 'dataDir' | 'nodeName' | 'signal'>, ca: string): Promise<ClientCertificate & { csrName: string }> {
  const { key, request } = await nodeClientCertificateRequest(opts.nodeName);
  const issued = await requestCertificate(client, { request, signerName: KUBE_APISERVER_CLIENT_KUBELET, usages: KUBELET_CLIENT_USAGES }, opts.signal);
  const pair = { cert: issued.certificate, key };
  await storeClientCertificate(opts.dataDir, opts.server, ca, pair);
  return { ...pair, csrName: issued.name };
}

/**
 * The node's credentials: the stored certificate when still usable, else a new one obtained
 * with the join token. Throws CaPinError before sending any request when the CA does not match.
 */
export async function bootstrapNodeCredentials(opts: NodeJoinOptions): Promise<NodeCredentials & { csrName?: string }> {
  const stored = await loadClientCertificate(opts.dataDir);
  const ca = await storedCA(opts.dataDir);
  if (stored && ca && usableFor(stored, opts.nodeName, ca, opts.clock.now())) {
    opts.log.info('using the stored node client certificate', { dir: pkiDir(opts.dataDir) });
    return { server: opts.server, ca, ...stored };
  }
  if (!opts.token) throw new Error(`no usable client certificate in ${pkiDir(opts.dataDir)} and no join token to request one`);
  const token = parseJoinToken(opts.token);
  const clusterCa = await clusterCA(opts, token);
  const transport = new HttpsTransport({ server: opts.server, ca: clusterCa, token: token.bootstrapToken });
  try {
    const client = new ApiClient(transport, 'skiff-agent-bootstrap');
    opts.log.info('requesting a node client certificate', { node: opts.nodeName });
    const got = await obtainClientCertificate(client, opts, clusterCa);
    opts.log.info('node client certificate issued', { csr: got.csrName });
    return { server: opts.server, ca: clusterCa, cert: got.cert, key: got.key, csrName: got.csrName };
  } finally {
    transport.close();
  }
}
