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
import { ensurePki } from '../../apiserver/pki.js';
import { renderKubeconfig, writeKubeconfig } from '../../apiserver/kubeconfig.js';
import { firstServiceIP } from './cidr.js';
import { startComponents } from './components.js';
import { inProcessAuthenticator } from '../../apiserver/authn/in-process.js';
import { x509Authenticator } from '../../apiserver/authn/x509.js';
import { builtinHooks } from '../../registry/builtin-hooks.js';
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
function rejectMalformedRequest(socket: Duplex, raw: Buffer | undefined): void {
  // NOTE: a parse error can follow a response already on this socket (e.g. the unread rest of
  // a refused body); writing then would put a second response after `Connection: close`.
  if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'malformed HTTP request', reason: 'BadRequest', code: 400 });
  // A HEAD answer carries no body.
  const head = raw?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${head ? '' : body}`);
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
    const [pki, storage] = await Promise.all([
      ensurePki(cfg.dataDir, sans),
      openStorage({ datastoreEndpoint: cfg.datastoreEndpoint, dataDir: cfg.dataDir }),
    ]);
    stack.defer(() => storage.close());
    const compactor = startCompactor(storage, { clock, logger: log.child('compactor') });
    stack.defer(() => compactor.close());

    const services = serviceHooks({ storage, serviceCIDR: cfg.serviceCIDR, clock });
    await repairAllocations(storage, () => listServicesFromStorage(storage), { clock });
    let registry: ReturnType<typeof createTypeRegistry> | undefined;
    const types = () => (registry ??= createTypeRegistry());
    const api = new ApiServer({
      storage,
      table: builtinTableWithPrinters(),
      clock,
      log: log.child('apiserver'),
      typeRegistry: types,
      managedFields: managedFieldsUpdater(types),
      hooksFor: builtinHooks({ services }),
      authenticators: [inProcessAuthenticator, x509Authenticator],
      anonymousAuth: true,
      advertiseAddress: `${hostAddresses()[0] ?? '127.0.0.1'}:${cfg.httpsListenPort}`,
    });
    await api.start();
    stack.defer(() => api.close());
    await bootstrapObjects(api);

    const server: Server = createServer(
      {
        key: pki.serving.key,
        cert: pki.serving.cert,
        ca: pki.ca.cert,
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      (req, res) => void api.handle(req, res),
    );
    server.on('clientError', (err: Error & { rawPacket?: Buffer }, socket) => rejectMalformedRequest(socket, err.rawPacket));
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    server.requestTimeout = 0;
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
      controllers: { clusterCIDR: cfg.clusterCIDR, serviceCIDR: cfg.serviceCIDR },
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
