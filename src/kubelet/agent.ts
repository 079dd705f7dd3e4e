/**
 * The node agent (skiff's kubelet): brings up the container runtime and images, registers the
 * Node, sets up the pod network once node IPAM gives the node its podCIDR, keeps the Lease
 * and node status fresh, and runs the pods bound to the node.
 */
import { join } from 'node:path';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import type { ApiClient } from '../client/client.js';
import { EventRecorder } from '../client/event-recorder.js';
import { Resources } from '../client/resources.js';
import { PodCgroups } from './cgroups/pod-cgroups.js';
import { agentPaths } from './containerd/paths.js';
import { startContainerRuntime, type ContainerRuntime } from './containerd/runtime.js';
import { ArchiveWatcher } from './images/archive-watcher.js';
import { importImage } from './images/importer.js';
import { ensurePauseImage } from './images/pause-image.js';
import { DEFAULT_BRIDGE, enableIPForwarding, writeConflist } from './network/cni-config.js';
import { defaultNodeIP, defaultRouteInterface, filesystemBytes, hostFacts, interfaceMTU } from './node/host-facts.js';
import { NodeHeartbeat, waitForPodCIDR } from './node/node-heartbeat.js';
import type { NodeIdentity } from './node/node-object.js';
import { Backoff } from './pods/backoff.js';
import { ImagePuller } from './pods/image-puller.js';
import { PodManager } from './pods/pod-manager.js';
import { InformerFactory } from '../client/informer.js';
import { podServiceEnv } from './envvars/service-env.js';
import { ProberManager } from './prober/prober-manager.js';
import { MirrorAwareStatusManager } from './static-pods/mirror-status.js';
import { StaticPodSource } from './static-pods/static-pod-source.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { startKubeletServer, type KubeletTLS } from './server/kubelet-server.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface AgentOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  dataDir: string;
  nodeName: string;
  nodeIP?: string;
  labels: Record<string, string>;
  taints: Taint[];
  containerRuntimeEndpoint?: string;
  /** Static pod manifests (default <data-dir>/agent/pod-manifests). */
  podManifestPath?: string;
  isServer: boolean;
  /**
   * A client allowed to set the control-plane role labels, which NodeRestriction forbids a
   * node from setting on itself (the embedded server passes its own).
   */
  serverClient?: ApiClient;
  /** CNI bridge name (default skiff0; tests use unique names). */
  bridgeName?: string;
  /** Root of the pod cgroups (default /kubepods). */
  cgroupRoot?: string;
  /** Pod log folders (default /var/log/pods). */
  podLogsDir?: string;
  /** Cluster DNS service IPs for pods (none yet: pods use the host's resolvers). */
  clusterDNS?: string[];
  clusterDomain?: string;
  /** A prober's readiness verdicts (see PodWorkerDeps.readiness). */
  readiness?: (podUid: string, container: string) => boolean | undefined;
  /** Aborts a start still waiting (for the podCIDR). */
  signal?: AbortSignal;
  /** The kubelet's HTTPS server (logs, exec, attach, port-forward); not started when absent. */
  kubeletServer?: { port: number; tls: (nodeIP: string) => Promise<KubeletTLS> };
}

export interface RunningAgent {
  runtime: ContainerRuntime;
  podCIDR: string;
  close(): Promise<void>;
}

export function parseTaint(text: string): Taint {
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text);
  if (!m) throw new Error(`invalid taint "${text}": want key[=value]:Effect`);
  return { key: m[1], ...(m[2] !== undefined ? { value: m[2] } : {}), effect: m[3] };
}

export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const { client, clock, log } = opts;
  const paths = agentPaths(opts.dataDir);
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch((err) => log.warn('agent close step failed', { error: err }));
  };
  try {
    const pause = await ensurePauseImage(paths.pauseDir);
    const runtime = await startContainerRuntime({
      dataDir: opts.dataDir,
      sandboxImage: pause.name,
      logger: log.child('runtime'),
      containerRuntimeEndpoint: opts.containerRuntimeEndpoint,
    });
    closers.push(() => runtime.close());
    await importImage(pause.archive, { address: runtime.endpoint });
    const archives = new ArchiveWatcher({
      dir: paths.imagesDir,
      importArchive: (file) => importImage(file, { address: runtime.endpoint }),
      logger: log.child('images'),
      clock,
    });
    await archives.start();
    closers.push(() => archives.close());
    enableIPForwarding();

    const facts = hostFacts();
    const nodeIP = opts.nodeIP ?? defaultNodeIP();
    let kubeletPort: number | undefined;
    if (opts.kubeletServer) {
      const ks = await startKubeletServer({ cri: runtime.cri, clock, log: log.child('kubelet-server'), nodeName: opts.nodeName, port: opts.kubeletServer.port, tls: await opts.kubeletServer.tls(nodeIP) });
      closers.push(() => ks.close());
      kubeletPort = ks.port;
    }
    const identity = (): NodeIdentity => ({
      name: opts.nodeName,
      nodeIP,
      labels: opts.labels,
      taints: opts.taints,
      containerRuntimeVersion: `containerd://${runtime.version.runtime_version}`,
      ephemeralStorageBytes: filesystemBytes(opts.dataDir),
      maxPods: 110,
      kubeletPort,
    });
    const heartbeat = new NodeHeartbeat({ client, clock, log: log.child('node'), facts, identity });
    await heartbeat.register();
    if (opts.isServer && opts.serverClient) {
      await opts.serverClient.patch(Resources.nodes, undefined, opts.nodeName, 'merge', {
        metadata: { labels: { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' } },
      });
    }
    heartbeat.start();
    closers.push(() => heartbeat.close());

    const ac = new AbortController();
    closers.push(() => ac.abort());
    opts.signal?.addEventListener('abort', () => ac.abort(), { once: true });
    const podCIDR = await waitForPodCIDR(client, opts.nodeName, clock, ac.signal);
    const uplink = defaultRouteInterface();
    writeConflist(paths.cniConfDir, {
      bridge: opts.bridgeName ?? DEFAULT_BRIDGE,
      podCIDR,
      mtu: interfaceMTU(uplink),
      ipamDataDir: join(paths.agentDir, 'cni', 'ipam'),
    });
    log.info('pod network configured', { podCIDR, bridge: opts.bridgeName ?? DEFAULT_BRIDGE });

    const resources = identity();
    // NOTE: every pod's kube-api-access volume needs the kube-root-ca.crt ConfigMap, which the
    // controller manager's root CA publisher writes; until it exists such pods wait, as upstream.
    const volumes = new VolumeManager({
      client,
      clock,
      log: log.child('volumes'),
      recorder: new EventRecorder(client, clock, log, 'kubelet', opts.nodeName),
      podsDir: join(paths.agentDir, 'pods'),
      nodeName: opts.nodeName,
      nodeIP,
      allocatable: { cpu: String(facts.cpu), memory: String(facts.memoryBytes), 'ephemeral-storage': String(resources.ephemeralStorageBytes) },
    });
    volumes.start();
    closers.push(() => volumes.close());
    // Probes, service links and static pods (each a small dependency of the pod workers).
    const status = new MirrorAwareStatusManager(client, clock, log.child('status'));
    let podManager: PodManager | undefined;
    const prober = new ProberManager({
      cri: runtime.cri,
      clock,
      log: log.child('prober'),
      recorder: new EventRecorder(client, clock, log, 'kubelet', opts.nodeName),
      kick: (uid) => podManager?.kick(uid),
    });
    closers.push(() => prober.close());
    const serviceInformers = new InformerFactory(client, clock, log.child('services'));
    const services = serviceInformers.forResource(Resources.services);
    serviceInformers.start(ac.signal);
    await services.waitForSync(ac.signal);
    const pods = new PodManager({
      cri: runtime.cri,
      client,
      clock,
      log: log.child('pods'),
      recorder: new EventRecorder(client, clock, log, 'kubelet', opts.nodeName),
      status,
      prober,
      serviceEnv: (pod) => podServiceEnv(pod.metadata.namespace ?? 'default', (pod.spec as { enableServiceLinks?: boolean }).enableServiceLinks, services.store.list()),
      backoff: new Backoff(clock),
      images: new ImagePuller(runtime.cri, clock, new EventRecorder(client, clock, log, 'kubelet', opts.nodeName), new Backoff(clock)),
      cgroups: new PodCgroups({ root: opts.cgroupRoot ?? '/kubepods' }),
      nodeName: opts.nodeName,
      nodeIP,
      memoryCapacity: facts.memoryBytes,
      allocatable: { cpu: String(facts.cpu), memory: String(facts.memoryBytes), 'ephemeral-storage': String(resources.ephemeralStorageBytes) },
      dns: { servers: opts.clusterDNS ?? [], domain: opts.clusterDomain ?? 'cluster.local', resolvConf: '/etc/resolv.conf' },
      podLogsDir: opts.podLogsDir ?? '/var/log/pods',
      podsDir: join(paths.agentDir, 'pods'),
      readiness: opts.readiness ?? ((uid, container) => prober.readiness(uid, container)),
      volumes,
    });
    podManager = pods;
    const staticPods = new StaticPodSource({
      dir: opts.podManifestPath ?? join(paths.agentDir, 'pod-manifests'),
      nodeName: opts.nodeName,
      client,
      clock,
      log: log.child('static-pods'),
      run: (uid, pod) => pods.updateStaticPod(uid, pod),
      mirrorChanged: (uid) => status.flush(uid),
    });
    status.attach(staticPods);
    // Static pods are known before the first runtime relist, which would remove them otherwise.
    await staticPods.start(ac.signal);
    closers.push(() => staticPods.close());
    await pods.start(ac.signal);
    closers.push(() => pods.close());
    log.info('node agent ready', { node: opts.nodeName, nodeIP, podCIDR, runtime: runtime.version.runtime_version });
    return { runtime, podCIDR, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Why this process cannot run the agent (not root, tools missing), or undefined when it can. */
export function agentUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'the node agent needs root (containerd, runc, CNI, cgroups)';
  return undefined;
}
