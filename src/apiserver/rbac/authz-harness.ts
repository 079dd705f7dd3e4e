/** An in-process API server with skiff's authorization wired as `skiff server` wires it (tests only). */
import { realClock } from '../../base/clock.js';
import { silentLogger } from '../../base/logger.js';
import { openMemoryStorage } from '../../storage/index.js';
import { createTypeRegistry } from '../../api/schema/registry.js';
import { ApiServer } from '../server.js';
import { builtinTableWithPrinters } from '../builtin-table.js';
import { bootstrapObjects } from '../bootstrap.js';
import { ApiClient } from '../../client/client.js';
import { InProcessTransport } from '../../client/transport.js';
import { inProcessAuthenticator } from '../authn/in-process.js';
import { AdmissionChain } from '../admission/types.js';
import { clusterAuthorization, rbacAdmissionPlugins, type ClusterAuthorization } from '../authz/cluster-authorization.js';

export interface AuthzTestServer {
  api: ApiServer;
  authorization: ClusterAuthorization;
  /** A client authenticated as `user` in `groups` (plus system:authenticated). */
  as(user: string, groups?: string[]): ApiClient;
  close(): Promise<void>;
}

export async function startAuthzTestServer(): Promise<AuthzTestServer> {
  const storage = await openMemoryStorage();
  let api: ApiServer | undefined;
  const authorization = clusterAuthorization({ parts: () => api!, clock: realClock, log: silentLogger });
  const types = () => createTypeRegistry();
  api = new ApiServer({
    storage,
    table: builtinTableWithPrinters(),
    clock: realClock,
    log: silentLogger,
    typeRegistry: types,
    advertiseAddress: '127.0.0.1:6443',
    authenticators: [inProcessAuthenticator],
    anonymousAuth: true,
    authorizer: authorization.authorizer,
    admission: () => new AdmissionChain(rbacAdmissionPlugins(authorization)),
  });
  await api.start();
  await bootstrapObjects(api);
  await authorization.start();
  const transports: InProcessTransport[] = [];
  const server = api;
  return {
    api,
    authorization,
    as(user, groups = []) {
      const t = new InProcessTransport((req, res) => void server.handle(req, res), { user, groups });
      transports.push(t);
      return new ApiClient(t, 'test');
    },
    async close() {
      for (const t of transports) t.close();
      authorization.close();
      server.close();
      await storage.close();
    },
  };
}
