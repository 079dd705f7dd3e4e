/** Flags of `skiff server` (k3s names) → ServerConfig → runServer until SIGINT/SIGTERM. */
import { createLogger } from '../../base/logger.js';
import { realClock } from '../../base/clock.js';
import { parseFlags, usage, type FlagSpec } from '../flags.js';
import { defaultServerConfig, runServer } from './run.js';
import { parseCIDR } from './cidr.js';

export const serverFlags: FlagSpec[] = [
  { name: 'data-dir', type: 'string', help: 'Folder for the store, certificates and kubeconfig (root: /var/lib/skiff/server, else ~/.skiff/server)' },
  { name: 'https-listen-port', type: 'number', help: 'HTTPS port of the API server', default: 6443 },
  { name: 'bind-address', type: 'string', help: 'Address the API server listens on', default: '0.0.0.0' },
  { name: 'write-kubeconfig', type: 'string', help: 'Write the admin kubeconfig here (mode 0600) instead of <data-dir>/kubeconfig.yaml' },
  { name: 'datastore-endpoint', type: 'string', help: 'Empty: embedded SQLite; http://h1:2379,http://h2:2379: etcd', default: '' },
  { name: 'disable-agent', type: 'boolean', help: 'Run the control plane only (no node agent in this process)', default: false },
  { name: 'service-cidr', type: 'string', help: 'Range of Service cluster IPs', default: '10.43.0.0/16' },
  { name: 'cluster-cidr', type: 'string', help: 'Range of pod IPs', default: '10.42.0.0/16' },
  { name: 'tls-san', type: 'list', help: 'Extra host name or IP in the serving certificate (repeatable)' },
  { name: 'node-name', type: 'string', help: "This node's name (default: the host name)" },
  { name: 'disable-controller-manager', type: 'boolean', help: 'Do not run the controllers in this process', default: false },
  { name: 'disable-scheduler', type: 'boolean', help: 'Do not run the scheduler in this process', default: false },
  { name: 'simulate-nodes', type: 'number', help: 'Register N simulated nodes that run pods without containers (like skiff sim)', default: 0 },
  { name: 'token-auth-file', type: 'string', help: 'CSV file of static bearer tokens: token,user,uid,"group1,group2"' },
  { name: 'secrets-encryption', type: 'boolean', help: 'Encrypt Secrets at rest (key in <data-dir>/cred/encryption-config.json, generated on first start)', default: false },
  { name: 'audit-policy-file', type: 'string', help: 'Audit policy (audit.k8s.io/v1 Policy, YAML or JSON)' },
  { name: 'audit-log-path', type: 'string', help: 'Write audit events here as JSON lines ("-" = standard output)' },
  { name: 'help', type: 'boolean', help: 'Show this help', default: false },
];

export async function serverCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, serverFlags);
  if (values.help) {
    process.stdout.write(usage('server', serverFlags) + '\n');
    return 0;
  }
  const cfg = defaultServerConfig();
  if (values['data-dir']) cfg.dataDir = String(values['data-dir']);
  cfg.httpsListenPort = Number(values['https-listen-port']);
  cfg.bindAddress = String(values['bind-address']);
  if (values['write-kubeconfig']) cfg.writeKubeconfig = String(values['write-kubeconfig']);
  cfg.datastoreEndpoint = String(values['datastore-endpoint'] ?? '') || undefined;
  cfg.disableAgent = Boolean(values['disable-agent']);
  cfg.serviceCIDR = String(values['service-cidr']);
  cfg.clusterCIDR = String(values['cluster-cidr']);
  parseCIDR(cfg.serviceCIDR);
  parseCIDR(cfg.clusterCIDR);
  cfg.tlsSANs = values['tls-san'] as string[];
  if (values['node-name']) cfg.nodeName = String(values['node-name']);
  cfg.disableControllerManager = Boolean(values['disable-controller-manager']);
  cfg.disableScheduler = Boolean(values['disable-scheduler']);
  cfg.simulateNodes = Number(values['simulate-nodes']);
  if (values['token-auth-file']) cfg.tokenAuthFile = String(values['token-auth-file']);
  cfg.secretsEncryption = Boolean(values['secrets-encryption']);
  if (values['audit-policy-file']) cfg.auditPolicyFile = String(values['audit-policy-file']);
  if (values['audit-log-path']) cfg.auditLogPath = String(values['audit-log-path']);
  const log = createLogger({ component: 'server' });
  const started = Date.now();
  const running = await runServer(cfg, log);
  log.info(`skiff server is ready on https://127.0.0.1:${running.port} (${Date.now() - started} ms)`);
  process.stdout.write(`Wrote kubeconfig ${running.kubeconfigPath}\nTo use it: export KUBECONFIG=${running.kubeconfigPath}; kubectl get nodes\n`);
  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log.info(`received ${sig}, shutting down`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  // A clean stop must not hang the process: after the grace period (or a second signal) it exits.
  const forced = new Promise<number>((resolve) => {
    const t = realClock.setTimeout(() => {
      log.warn(`shutdown did not finish within ${SHUTDOWN_GRACE_MS / 1000} s; exiting`);
      resolve(1);
    }, SHUTDOWN_GRACE_MS);
    const again = () => {
      t.cancel();
      resolve(1);
    };
    process.once('SIGTERM', again);
    process.once('SIGINT', again);
  });
  return Promise.race([running.close().then(() => 0), forced]);
}

const SHUTDOWN_GRACE_MS = 20_000;
