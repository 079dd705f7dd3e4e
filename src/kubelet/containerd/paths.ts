/**
 * Where the node agent keeps its runtime state under `<data-dir>/agent/`. One function so
 * `skiff agent`, `skiff server` and `skiff images` agree on the socket and folders.
 */
import { join } from 'node:path';

export interface AgentPaths {
  agentDir: string;
  containerdDir: string;
  containerdConfig: string;
  containerdRoot: string;
  containerdState: string;
  /** containerd's gRPC socket (CRI and containerd APIs). */
  containerdSocket: string;
  containerdLog: string;
  containerdPidFile: string;
  /** runc's state folder (instead of the shared /run/containerd/runc). */
  runcRoot: string;
  /** One hosts.toml per registry host (containerd's registry config_path). */
  registryConfigDir: string;
  cniConfDir: string;
  /** Image archives dropped here are imported (also while running). */
  imagesDir: string;
  /** The locally built pause image archive. */
  pauseDir: string;
}

export function agentPaths(dataDir: string): AgentPaths {
  const agentDir = join(dataDir, 'agent');
  const containerdDir = join(agentDir, 'containerd');
  return {
    agentDir,
    containerdDir,
    containerdConfig: join(containerdDir, 'config.toml'),
    containerdRoot: join(containerdDir, 'root'),
    containerdState: join(containerdDir, 'state'),
    containerdSocket: join(containerdDir, 'containerd.sock'),
    containerdLog: join(containerdDir, 'containerd.log'),
    containerdPidFile: join(containerdDir, 'containerd.pid'),
    runcRoot: join(containerdDir, 'runc'),
    registryConfigDir: join(containerdDir, 'certs.d'),
    cniConfDir: join(agentDir, 'cni', 'net.d'),
    imagesDir: join(agentDir, 'images'),
    pauseDir: join(agentDir, 'pause'),
  };
}
