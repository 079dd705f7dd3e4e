/**
 * `skiff server`: assembles the store, the API server and its HTTPS listener, writes the
 * admin kubeconfig, and runs until the signal aborts.
 */
import { createServer, type Server } from 'node:https';
import { hostname, homedir, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createTypeRegistry } from '../../api/schema/registry.js';
import { realClock, type Clock } from '../../base/clock.js';
import { DisposableStack } from '../../base/lifecycle.js';
import type { Logger } from '../../base/logger.js';
import { openStorage, startCompactor } from '../../storage/index.js';
import { ApiServer } from '../../apiserver/server.js';
import { builtinTableWithPrinters } from '../../apiserver/builtin-table.js';
import { bootstrapObjects } from '../../apiserver/bootstrap.js';
import { managedFieldsUpdater } from '../../apiserver/managed-fields.js';
import { ensurePki, issueCertificate } from '../../api/pki/pki.js';
import { renderKubeconfig, writeKubeconfig } from '../../api/pki/kubeconfig.js';
import { firstServiceIP } from './cidr.js';
import { startComponents } from './components.js';
import { inProcessAuthenticator } from '../../apiserver/authn/in-process.js';
import { x509Authenticator } from '../../apiserver/authn/x509.js';
import { serverAuthentication } from '../../apiserver/authn/server-authentication.js';
import { builtinHooks } from '../../registry/builtin-hooks.js';
import { AdmissionChain } from '../../apiserver/admission/types.js';
import { builtinAdmissionPlugins, orderPlugins } from '../../apiserver/admission/builtin.js';
import { clusterAuthorization, rbacAdmissionPlugins } from '../../apiserver/authz/cluster-authorization.js';
import { secretsEncryptionStorage } from '../../apiserver/encryption/secrets-encryption.js';
import { encryptionAdminHandler } from '../../apiserver/encryption/admin-endpoint.js';
import { openAuditLogger } from '../../apiserver/audit/open-audit-logger.js';
import { RequestLimits } from '../../apiserver/limits/request-limits.js';
import { hardenHttpsServer, httpsServerLimitOptions, malformedRequestAnswer } from '../../apiserver/limits/http-hardening.js';
import { boundTarget, ensureKubernetesService, listServicesFromStorage, repairAllocations, serviceHooks } from '../../registry/services/index.js';

export interface ServerConfig {
  dataDir: string;
  httpsListenPort: number;
  bindAddress: string;
  writeKubeconfig?: string;
  datastoreEndpoint?: string;
  disableAgent: boolean;
  serviceCIDR: string;
  clusterCIDR: string;
  tlsSANs: string[];
  nodeName: string;
  disableControllerManager: boolean;
  disableScheduler: boolean;
  simulateNodes: number;
  /** --secrets-encryption: Secrets encrypted at rest with the key in <data-dir>/cred/encryption-config.json. */
  secretsEncryption?: boolean;
  auditPolicyFile?: string;
  auditLogPath?: string;
  /** --token-auth-file: CSV of static bearer tokens. */
  tokenAuthFile?: string;
}

export function defaultDataDir(): string {
  return process.getuid?.() === 0 ? '/var/lib/skiff/server' : join(homedir(), '.skiff', 'server');
}

export function defaultServerConfig(): ServerConfig {
  return {
    dataDir: defaultDataDir(),
    httpsListenPort: 6443,
    bindAddress: '0.0.0.0',
    disableAgent: false,
    serviceCIDR: '10.43.0.0/16',
    clusterCIDR: '10.42.0.0/16',
    tlsSANs: [],
    nodeName: hostname(),
    disableControllerManager: false,
    disableScheduler: false,
    simulateNodes: 0,
  };
}

function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') out.push(a.address);
  }
  return out;
}

/** Requests Node's HTTP parser refuses (e.g. raw non-UTF-8 bytes in the path) still get a Status. */
function rejectMalformedRequest(socket: Duplex, raw: Buffer | undefined, err: { code?: string }): void {
  // NOTE: a parse error can follow a response already on this socket (e.g. the unread rest of
  // a refused body); writing then would put a second response after `Connection: close`.
  const inFlight = (socket as Duplex & { _httpMessage?: { writableFinished?: boolean } | null })._httpMessage;
  if (!socket.writable || (inFlight && !inFlight.writableFinished)) {
    socket.destroy();
    return;
  }
  const a = malformedRequestAnswer(err);
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: a.message, reason: a.reason, code: a.code });
  // A HEAD answer carries no body.
  const head = raw?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(`HTTP/1.1 ${a.code} ${a.statusText}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`);
}

export interface RunningServer {
  port: number;
  kubeconfigPath: string;
  close(): Promise<void>;
}

export async function runServer(cfg: ServerConfig, log: Logger, clock: Clock = realClock): Promise<RunningServer> {
  const stack = new DisposableStack();
  try {
    const sans = [
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      'localhost',
      '127.0.0.1',
      firstServiceIP(cfg.serviceCIDR),
      cfg.nodeName,
      ...hostAddresses(),
      ...cfg.tlsSANs,
    ];
    const [pki, backendStorage] = await Promise.all([
      ensurePki(cfg.dataDir, sans),
      openStorage({ datastoreEndpoint: cfg.datastoreEndpoint, dataDir: cfg.dataDir }),
    ]);
    // The apiserver's identity towards kubelets; kubelets trust the cluster CA.
    const kubeletClient = await issueCertificate(pki.ca, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'], usage: 'client' });
    const { storage, encrypting } = secretsEncryptionStorage(backendStorage, cfg.dataDir, cfg.secretsEncryption === true);
    stack.defer(() => storage.close());
    const audit = openAuditLogger({ policyFile: cfg.auditPolicyFile, logPath: cfg.auditLogPath, clock });
    if (audit) stack.defer(() => audit.close());
    const limits = new RequestLimits({}, clock);
    const compactor = startCompactor(storage, { clock, logger: log.child('compactor') });
    stack.defer(() => compactor.close());

    const services = serviceHooks({ storage, serviceCIDR: cfg.serviceCIDR, clock });
    await repairAllocations(storage, () => listServicesFromStorage(storage), { clock });
    let registry: ReturnType<typeof createTypeRegistry> | undefined;
    const types = () => (registry ??= createTypeRegistry());
    // The authenticators read ServiceAccounts, Pods and Secrets through the server built next.
    let api: ApiServer | undefined;
    const authentication = await serverAuthentication({ dataDir: cfg.dataDir, clock, tokenAuthFile: cfg.tokenAuthFile, parts: () => api! });
    const authorization = clusterAuthorization({ parts: () => api!, clock, log: log.child('authorization') });
    api = new ApiServer({
      storage,
      table: builtinTableWithPrinters(),
      clock,
      log: log.child('apiserver'),
      typeRegistry: types,
      managedFields: managedFieldsUpdater(types),
      hooksFor: builtinHooks({ services }),
      authenticators: [inProcessAuthenticator, x509Authenticator, authentication.bearer],
      authentication,
      kubeletClient: { ...kubeletClient, ca: pki.ca.cert },
      anonymousAuth: true,
      authorizer: authorization.authorizer,
      // Plugins owned elsewhere (NodeRestriction, RBAC escalation) join this list; orderPlugins sorts by upstream's order.
      admission: (parts) => new AdmissionChain(orderPlugins([...builtinAdmissionPlugins(parts), ...rbacAdmissionPlugins(authorization)])),
      requestFilters: [...(audit ? [audit.auditRequest] : []), limits.filter],
      advertiseAddress: `${hostAddresses()[0] ?? '127.0.0.1'}:${cfg.httpsListenPort}`,
    });
    await api.start();
    stack.defer(() => api.close());
    await bootstrapObjects(api);
    // Default roles and bindings exist before the first request can arrive.
    await authorization.start();
    stack.defer(() => authorization.close());

    const encryptionAdmin = encryptionAdminHandler(encrypting, api);
    const server: Server = createServer(
      {
        key: pki.serving.key,
        cert: pki.serving.cert,
        ca: pki.ca.cert,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
        ...httpsServerLimitOptions(),
      },
      (req, res) => void (encryptionAdmin(req, res) || api.handle(req, res)),
    );
    server.on('upgrade', (req, socket, head) => void api.handleUpgrade(req, socket, head));
    server.on('clientError', (err: Error & { rawPacket?: Buffer }, socket) => rejectMalformedRequest(socket, err.rawPacket, err as { code?: string }));
    hardenHttpsServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(cfg.httpsListenPort, cfg.bindAddress, () => resolve());
    });
    stack.defer(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const port = (server.address() as AddressInfo).port;
    await ensureKubernetesService(boundTarget((g, v, p) => api.bound(g, v, p)), {
      serviceCIDR: cfg.serviceCIDR,
      advertiseAddress: hostAddresses()[0] ?? '127.0.0.1',
      apiPort: port,
    });
    const kubeconfigPath = cfg.writeKubeconfig ?? join(cfg.dataDir, 'kubeconfig.yaml');
    await writeKubeconfig(kubeconfigPath, renderKubeconfig(`https://127.0.0.1:${port}`, pki.ca.cert, pki.admin));
    const components = startComponents((req, res) => void api.handle(req, res), {
      controllerManager: !cfg.disableControllerManager,
      scheduler: !cfg.disableScheduler,
      simulateNodes: cfg.simulateNodes,
      controllers: { clusterCIDR: cfg.clusterCIDR, serviceCIDR: cfg.serviceCIDR, rootCACert: pki.ca.cert, clusterCA: pki.ca },
      agent: cfg.disableAgent ? undefined : { dataDir: cfg.dataDir, nodeName: cfg.nodeName, env: process.env },
    }, clock, log);
    stack.defer(() => components.close());
    // The type registry takes a few hundred ms to build; build it now rather than on the
    // first write (every kubectl write asks for strict field validation).
    const warm = clock.setTimeout(() => void types(), 0);
    stack.defer(() => warm.cancel());
    return { port, kubeconfigPath, close: () => stack.close() };
  } catch (err) {
    await stack.close().catch(() => undefined);
    throw err;
  }
}
