/**
 * The Node and Lease objects a simulated kubelet registers and keeps fresh. nodeInfo says
 * plainly that nothing runs here (runtime `sim://skiff`, kernel `simulated`).
 */
import type { KubeObject } from '../api/object.js';
import { rfc3339, rfc3339Micro } from '../client/time-format.js';
import type { NodeSpec } from './node-spec.js';

export const SIM_KUBELET_VERSION = 'v1.32.0-sim';
export const SIM_RUNTIME_VERSION = 'sim://skiff';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const NODE_LEASE_DURATION_SECONDS = 40;

/** Upstream's kubelet condition reasons and messages for a healthy node. */
const CONDITIONS: [type: string, status: string, reason: string, message: string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

export function nodeConditions(heartbeat: number, transition: number): Record<string, string>[] {
  return CONDITIONS.map(([type, status, reason, message]) => ({
    type,
    status,
    lastHeartbeatTime: rfc3339(heartbeat),
    lastTransitionTime: rfc3339(transition),
    reason,
    message,
  }));
}

function pseudoUUID(seed: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    h = Math.imul(h ^ round, 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

export function nodeObject(spec: NodeSpec, now: number): KubeObject {
  const resources = { cpu: spec.cpu, memory: spec.memory, pods: spec.pods, 'ephemeral-storage': spec.ephemeralStorage };
  const id = pseudoUUID(spec.name);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        type: 'sim',
        ...spec.labels,
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'sim.skiff.io/simulated': 'true' },
    },
    spec: spec.taints.length ? { taints: spec.taints.map((t) => ({ ...t })) } : {},
    status: {
      capacity: { ...resources },
      allocatable: { ...resources },
      conditions: nodeConditions(now, now),
      addresses: [
        { type: 'InternalIP', address: spec.internalIP },
        { type: 'Hostname', address: spec.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: id.replace(/-/g, ''),
        systemUUID: id,
        bootID: pseudoUUID(`${spec.name}/boot`),
        kernelVersion: 'simulated',
        osImage: 'skiff simulated node',
        containerRuntimeVersion: SIM_RUNTIME_VERSION,
        kubeletVersion: SIM_KUBELET_VERSION,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

export function leaseObject(nodeName: string, nodeUid: string | undefined, now: number): KubeObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: nodeName,
      namespace: NODE_LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(now) },
  };
}
