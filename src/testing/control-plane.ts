/**
 * An in-process control plane for tests: a real ApiServer on the memory store (or one given),
 * reached through the in-process transport. No sockets, no TLS; same handlers as production.
 */
import { realClock, type Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import { openMemoryStorage } from '../storage/index.js';
import type { Storage } from '../storage/interface.js';
import { createTypeRegistry } from '../api/schema/registry.js';
import { ApiServer } from '../apiserver/server.js';
import { builtinTableWithPrinters } from '../apiserver/builtin-table.js';
import { bootstrapObjects } from '../apiserver/bootstrap.js';
import { managedFieldsUpdater } from '../apiserver/managed-fields.js';
import { builtinHooks } from '../registry/builtin-hooks.js';
import { serviceHooks } from '../registry/services/index.js';
import { ApiClient } from '../client/client.js';
import { InProcessTransport } from '../client/transport.js';
import { InformerFactory } from '../client/informer.js';
import { inProcessAuthenticator } from '../apiserver/authn/in-process.js';
import { AdmissionChain } from '../apiserver/admission/types.js';
import { builtinAdmissionPlugins, orderPlugins, type BuiltinAdmissionOptions } from '../apiserver/admission/builtin.js';

export interface TestControlPlane {
  api: ApiServer;
  storage: Storage;
  clock: Clock;
  log: Logger;
  /** A client for `userAgent` (also its default field manager). */
  client(userAgent?: string): ApiClient;
  informers(client?: ApiClient): InformerFactory;
  close(): Promise<void>;
}

export interface ControlPlaneOptions {
  storage?: Storage;
  clock?: Clock;
  log?: Logger;
  serviceCIDR?: string;
  /**
   * Built-in admission plugins (default: all but ServiceAccount, which needs the `default`
   * ServiceAccount that only the controller manager creates); false for none.
   */
  admission?: BuiltinAdmissionOptions | false;
}

const DEFAULT_ADMISSION: BuiltinAdmissionOptions = { disable: ['ServiceAccount'] };

export async function startControlPlane(opts: ControlPlaneOptions = {}): Promise<TestControlPlane> {
  const storage = opts.storage ?? (await openMemoryStorage());
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? silentLogger;
  const types = () => createTypeRegistry();
  const api = new ApiServer({
    storage,
    table: builtinTableWithPrinters(),
    clock,
    log,
    typeRegistry: types,
    managedFields: managedFieldsUpdater(types),
    hooksFor: builtinHooks({ services: serviceHooks({ storage, serviceCIDR: opts.serviceCIDR ?? '10.43.0.0/16', clock }) }),
    advertiseAddress: '127.0.0.1:6443',
    authenticators: [inProcessAuthenticator],
    anonymousAuth: true,
    admission: opts.admission === false ? undefined : (parts) => new AdmissionChain(orderPlugins(builtinAdmissionPlugins(parts, opts.admission || DEFAULT_ADMISSION))),
  });
  await api.start();
  await bootstrapObjects(api);
  const transports: InProcessTransport[] = [];
  const client = (userAgent = 'test') => {
    const t = new InProcessTransport((req, res) => void api.handle(req, res));
    transports.push(t);
    return new ApiClient(t, userAgent);
  };
  return {
    api,
    storage,
    clock,
    log,
    client,
    informers: (c) => new InformerFactory(c ?? client(), clock, log),
    close: async () => {
      for (const t of transports) t.close();
      api.close();
      if (!opts.storage) await storage.close();
    },
  };
}
