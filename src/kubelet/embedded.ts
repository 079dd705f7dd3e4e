/**
 * The agent inside `skiff server`: started in the background so the control plane is ready
 * first (the agent waits for node IPAM, which runs in the same process); skipped with a log
 * line when this process cannot run containers (not root), so the server still starts.
 */
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import { agentUnavailableReason, startAgent, type RunningAgent } from './agent.js';
import { KUBELET_PORT } from './node/node-object.js';
import { clusterCAKubeletTLS } from './server/serving-cert.js';

export interface EmbeddedAgentConfig {
  dataDir: string;
  nodeName: string;
  nodeIP?: string;
  labels?: Record<string, string>;
  /** From the environment: SKIFF_AGENT_BRIDGE, SKIFF_AGENT_CGROUP_ROOT, SKIFF_AGENT_POD_LOGS_DIR, SKIFF_AGENT_KUBELET_PORT. */
  env?: NodeJS.ProcessEnv;
}

export function startEmbeddedAgent(client: ApiClient, serverClient: ApiClient, cfg: EmbeddedAgentConfig, clock: Clock, log: Logger): { close(): Promise<void> } {
  const why = agentUnavailableReason();
  if (why) {
    log.warn(`not running the node agent: ${why}; running the control plane only (use --disable-agent to silence this)`);
    return { close: async () => {} };
  }
  const env = cfg.env ?? {};
  let closing = false;
  const ac = new AbortController();
  const started: Promise<RunningAgent | undefined> = startAgent({
    client,
    serverClient,
    clock,
    log,
    dataDir: cfg.dataDir,
    nodeName: cfg.nodeName,
    nodeIP: cfg.nodeIP,
    labels: cfg.labels ?? {},
    taints: [],
    isServer: true,
    bridgeName: env.SKIFF_AGENT_BRIDGE || undefined,
    cgroupRoot: env.SKIFF_AGENT_CGROUP_ROOT || undefined,
    podLogsDir: env.SKIFF_AGENT_POD_LOGS_DIR || undefined,
    signal: ac.signal,
    kubeletServer: {
      port: env.SKIFF_AGENT_KUBELET_PORT ? Number(env.SKIFF_AGENT_KUBELET_PORT) : KUBELET_PORT,
      tls: (nodeIP) => clusterCAKubeletTLS(cfg.dataDir, cfg.nodeName, nodeIP),
    },
  }).catch((err) => {
    if (!closing) log.error('the node agent failed to start; running the control plane only', { error: err });
    return undefined;
  });
  return {
    close: async () => {
      closing = true;
      ac.abort();
      await (await started)?.close();
    },
  };
}
