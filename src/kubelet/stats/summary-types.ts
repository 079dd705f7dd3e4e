/** The kubelet's stats summary (`/stats/summary`), the subset of upstream's v1alpha1 shape skiff fills. */
export interface CPUStats {
  time: string;
  usageNanoCores?: number;
  usageCoreNanoSeconds?: number;
}

export interface MemoryStats {
  time: string;
  availableBytes?: number;
  usageBytes?: number;
  workingSetBytes?: number;
}

export interface ContainerStatsSummary {
  name: string;
  startTime?: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface PodStatsSummary {
  podRef: { name: string; namespace: string; uid: string };
  startTime?: string;
  containers: ContainerStatsSummary[];
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface NodeStatsSummary {
  nodeName: string;
  startTime?: string;
  cpu?: CPUStats;
  memory?: MemoryStats;
}

export interface Summary {
  node: NodeStatsSummary;
  pods: PodStatsSummary[];
}
