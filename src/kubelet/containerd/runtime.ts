/**
 * The node's container runtime: containerd started by skiff, or an existing CRI socket
 * named by --container-runtime-endpoint. Either way the agent gets a CriClient.
 */
import type { Logger } from '../../base/logger.js';
import { CriClient } from '../cri/cri-client.js';
import type { VersionResponse } from '../cri/types.js';
import { ContainerdSupervisor } from './supervisor.js';

export interface RuntimeOptions {
  dataDir: string;
  sandboxImage: string;
  logger: Logger;
  /** --container-runtime-endpoint: use this running runtime instead of starting containerd. */
  containerRuntimeEndpoint?: string;
  cniConfDir?: string;
  registriesFile?: string;
}

export interface ContainerRuntime {
  /** The CRI socket path. */
  endpoint: string;
  cri: CriClient;
  version: VersionResponse;
  /** containerd's PID when skiff started it. */
  pid(): number | undefined;
  /** Closes the client and stops containerd if skiff started it; pods keep running. */
  close(): Promise<void>;
}

export async function startContainerRuntime(opts: RuntimeOptions): Promise<ContainerRuntime> {
  if (opts.containerRuntimeEndpoint) {
    const endpoint = opts.containerRuntimeEndpoint.replace(/^unix:\/\//, '');
    const cri = new CriClient({ endpoint });
    const version = await cri.version({ timeoutMs: 10_000 });
    opts.logger.info('using the container runtime at', { endpoint, runtime: `${version.runtime_name} ${version.runtime_version}` });
    return { endpoint, cri, version, pid: () => undefined, close: async () => cri.close() };
  }
  const supervisor = new ContainerdSupervisor({
    dataDir: opts.dataDir,
    sandboxImage: opts.sandboxImage,
    logger: opts.logger.child('containerd'),
    cniConfDir: opts.cniConfDir,
    registriesFile: opts.registriesFile,
  });
  let version: VersionResponse;
  try {
    version = await supervisor.start();
  } catch (err) {
    await supervisor.close();
    throw err;
  }
  const cri = new CriClient({ endpoint: supervisor.endpoint });
  return {
    endpoint: supervisor.endpoint,
    cri,
    version,
    pid: () => supervisor.pid,
    close: async () => {
      cri.close();
      await supervisor.close();
    },
  };
}
