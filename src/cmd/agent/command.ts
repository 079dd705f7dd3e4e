/**
 * `skiff agent`: makes this machine a node of the cluster at --server. With --token the agent
 * joins securely (kubelet TLS bootstrap): it checks the server's CA against the token's hash,
 * obtains a client certificate for `system:node:<name>` and rotates it before expiry; a stored
 * certificate is reused on restart. --kubeconfig FILE is the alternative.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { realClock } from '../../base/clock.js';
import { createLogger } from '../../base/logger.js';
import { ApiClient } from '../../client/client.js';
import type { Transport } from '../../client/transport.js';
import { HttpsTransport } from '../../client/transport.js';
import { bootstrapNodeCredentials, RotatingTransport, startClientCertificateRotation } from '../../kubelet/bootstrap/index.js';
import { agentUnavailableReason, parseTaint, startAgent } from '../../kubelet/agent.js';
import { parseFlags, usage, UsageError, type FlagSpec } from '../flags.js';
import { loadKubeconfig } from '../sim/kubeconfig.js';

export const agentFlags: FlagSpec[] = [
  { name: 'server', type: 'string', help: 'The API server, https://HOST:6443' },
  { name: 'token', type: 'string', help: 'Join token from `skiff token create`: K10<ca-hash>::<id>.<secret> (a bare <id>.<secret> trusts the CA on first use)' },
  { name: 'server-ca', type: 'string', help: "File with the cluster CA certificate (default: taken from the server's TLS handshake)" },
  { name: 'kubeconfig', type: 'string', help: 'Connect with this kubeconfig instead of --server/--token' },
  { name: 'data-dir', type: 'string', help: 'Folder of the agent state (default /var/lib/skiff/agent-node)', default: '/var/lib/skiff/agent-node' },
  { name: 'node-name', type: 'string', help: 'Node name (default: the host name)' },
  { name: 'node-ip', type: 'string', help: "Node IP (default: the default route's interface address)" },
  { name: 'node-label', type: 'list', help: 'Label the node k=v (repeatable)' },
  { name: 'node-taint', type: 'list', help: 'Taint the node k=v:Effect (repeatable)' },
  { name: 'container-runtime-endpoint', type: 'string', help: 'Use this running CRI socket instead of starting containerd' },
  { name: 'pod-manifest-path', type: 'string', help: 'Static pod manifests (default <data-dir>/agent/pod-manifests)' },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

export async function agentCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, agentFlags);
  if (values.help) {
    process.stdout.write(usage('agent', agentFlags) + '\n');
    return 0;
  }
  const log = createLogger({ component: 'agent' });
  const why = agentUnavailableReason();
  if (why) throw new UsageError(why);
  const dataDir = String(values['data-dir']);
  const nodeName = String(values['node-name'] ?? '') || hostname();
  let transport: Transport;
  let rotation: { close(): void } | undefined;
  if (values.kubeconfig) transport = new HttpsTransport(loadKubeconfig(String(values.kubeconfig)));
  else {
    if (!values.server) throw new UsageError('give --server and --token, or --kubeconfig');
    const credentials = await bootstrapNodeCredentials({
      server: String(values.server),
      token: values.token ? String(values.token) : undefined,
      serverCA: values['server-ca'] ? readFileSync(String(values['server-ca']), 'utf8') : undefined,
      dataDir,
      nodeName,
      clock: realClock,
      log,
    });
    const rotating = new RotatingTransport(credentials);
    rotation = startClientCertificateRotation({ credentials, transport: rotating, dataDir, nodeName, clock: realClock, log });
    transport = rotating;
  }
  const labels = Object.fromEntries(
    (values['node-label'] as string[]).map((l) => {
      const i = l.indexOf('=');
      if (i <= 0) throw new UsageError(`invalid --node-label "${l}": want key=value`);
      return [l.slice(0, i), l.slice(i + 1)];
    }),
  );
  const taints = (values['node-taint'] as string[]).map((t) => {
    try {
      return parseTaint(t);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  });
  const agent = await startAgent({
    client: new ApiClient(transport, 'skiff-agent'),
    clock: realClock,
    log,
    dataDir,
    nodeName,
    nodeIP: values['node-ip'] ? String(values['node-ip']) : undefined,
    labels,
    taints,
    containerRuntimeEndpoint: values['container-runtime-endpoint'] ? String(values['container-runtime-endpoint']) : undefined,
    podManifestPath: values['pod-manifest-path'] ? String(values['pod-manifest-path']) : join(dataDir, 'agent', 'pod-manifests'),
    isServer: false,
  });
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  log.info('stopping the node agent; pods keep running');
  rotation?.close();
  await agent.close();
  transport.close();
  return 0;
}
