/**
 * The Node a real agent registers: capacity from the host, addresses, nodeInfo, the four
 * kubelet conditions with upstream's reasons, and the well-known labels.
 */
import type { KubeObject } from '../../api/object.js';
import { rfc3339 } from '../../client/time-format.js';
import type { HostFacts } from './host-facts.js';

export const KUBELET_VERSION = 'v1.32.0+skiff';
export const KUBELET_PORT = 10250;

export interface NodeIdentity {
  name: string;
  nodeIP: string;
  labels: Record<string, string>;
  taints: { key: string; value?: string; effect: string }[];
  containerRuntimeVersion: string;
  ephemeralStorageBytes: number;
  maxPods: number;
  /** Where the kubelet server listens (default KUBELET_PORT). */
  kubeletPort?: number;
}

const CONDITIONS: [type: string, status: string, reason: string, message: string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

type Condition = { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string };

/** Keeps a condition's lastTransitionTime while its status stays the same. */
export function nodeConditions(now: number, previous: Condition[] = []): Condition[] {
  return CONDITIONS.map(([type, status, reason, message]) => {
    const prev = previous.find((c) => c.type === type);
    return {
      type,
      status,
      lastHeartbeatTime: rfc3339(now),
      lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now),
      reason,
      message,
    };
  });
}

export function nodeLabels(name: string, facts: HostFacts, extra: Record<string, string>): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': facts.architecture,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': facts.architecture,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    ...extra,
  };
}

/** cpu in whole cores, memory in Ki (as the kubelet reports it). */
export function nodeResources(facts: HostFacts, id: NodeIdentity): Record<string, string> {
  return {
    cpu: String(facts.cpu),
    'ephemeral-storage': `${Math.floor(id.ephemeralStorageBytes / 1024)}Ki`,
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(id.maxPods),
  };
}

export function nodeStatus(facts: HostFacts, id: NodeIdentity, now: number, previous?: Condition[]): Record<string, unknown> {
  const resources = nodeResources(facts, id);
  return {
    capacity: resources,
    allocatable: { ...resources },
    conditions: nodeConditions(now, previous),
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort ?? KUBELET_PORT } },
    nodeInfo: {
      machineID: facts.machineID,
      systemUUID: facts.systemUUID,
      bootID: facts.bootID,
      kernelVersion: facts.kernelVersion,
      osImage: facts.osImage,
      containerRuntimeVersion: id.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: 'linux',
      architecture: facts.architecture,
    },
  };
}

export function nodeObject(facts: HostFacts, id: NodeIdentity, now: number): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels: nodeLabels(id.name, facts, id.labels),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: id.taints.length ? { taints: id.taints.map((t) => ({ ...t })) } : {},
    status: nodeStatus(facts, id, now),
  };
}
