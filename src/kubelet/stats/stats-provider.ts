/**
 * Builds the stats summary from the container runtime (CRI ListContainerStats of running
 * containers, grouped into pods by the kubelet's CRI labels) and procfs for the node. CRI
 * reports cumulative CPU time; rates come from the previous sample of each container, and a
 * container seen for the first time is sampled twice, a second apart, so the first scrape
 * already has a rate.
 */
import type { Clock } from '../../base/clock.js';
import type { CriClient } from '../cri/cri-client.js';
import type { ContainerStats } from '../cri/types.js';
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE, POD_UID } from '../pods/cri-labels.js';
import { CpuRateTracker } from './cpu-rate.js';
import { readNodeSample, type NodeSample } from './node-stats.js';
import type { ContainerStatsSummary, CPUStats, MemoryStats, PodStatsSummary, Summary } from './summary-types.js';

/** Scrapes closer together than this reuse the earlier rate rather than measure noise. */
const MIN_RATE_INTERVAL_NS = 1e9;
const SECOND_SAMPLE_DELAY_MS = 1000;

type StatsSource = Pick<CriClient, 'listContainers' | 'listContainerStats'>;

export interface StatsProviderOptions {
  cri: StatsSource;
  clock: Clock;
  nodeName: string;
  /** Node-wide usage; procfs by default (tests pass a fake). */
  nodeSample?: () => Promise<NodeSample>;
}

const iso = (ns: number) => new Date(Math.floor(ns / 1e6)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const num = (v: { value: string } | null | undefined) => (v ? Number(v.value) : undefined);

export class StatsProvider {
  private readonly rates = new CpuRateTracker();
  private readonly nodeSample: () => Promise<NodeSample>;

  constructor(private readonly o: StatsProviderOptions) {
    this.nodeSample = o.nodeSample ?? (() => readNodeSample());
  }

  private async runningStats(): Promise<ContainerStats[]> {
    const running = new Set((await this.o.cri.listContainers({ state: { state: 'CONTAINER_RUNNING' } })).map((c) => c.id));
    const stats = (await this.o.cri.listContainerStats()).filter((s) => s.attributes && running.has(s.attributes.id));
    this.rates.retain(new Set([...running, 'node']));
    return stats;
  }

  private containerCpu(s: ContainerStats): CPUStats | undefined {
    const cpu = s.cpu;
    const total = num(cpu?.usage_core_nano_seconds);
    if (!cpu || total === undefined) return undefined;
    const timeNs = Number(cpu.timestamp);
    const rate = this.rates.observe(s.attributes!.id, { timeNs, usageCoreNanoSeconds: total }, MIN_RATE_INTERVAL_NS);
    return { time: iso(timeNs), usageNanoCores: rate ?? num(cpu.usage_nano_cores), usageCoreNanoSeconds: total };
  }

  private async nodeStats(): Promise<{ cpu: CPUStats; memory: MemoryStats }> {
    const n = await this.nodeSample();
    const timeNs = this.o.clock.now() * 1e6;
    const rate = this.rates.observe('node', { timeNs, usageCoreNanoSeconds: n.usageCoreNanoSeconds }, MIN_RATE_INTERVAL_NS);
    const time = iso(timeNs);
    return {
      cpu: { time, usageNanoCores: rate, usageCoreNanoSeconds: n.usageCoreNanoSeconds },
      memory: { time, workingSetBytes: n.workingSetBytes, usageBytes: n.usageBytes, availableBytes: n.availableBytes },
    };
  }

  async summary(): Promise<Summary> {
    let stats = await this.runningStats();
    const unseen = stats.some((s) => !this.rates.has(s.attributes!.id)) || !this.rates.has('node');
    if (unseen) {
      for (const s of stats) this.containerCpu(s);
      await this.nodeStats();
      await this.o.clock.sleep(SECOND_SAMPLE_DELAY_MS);
      stats = await this.runningStats();
    }
    const node = await this.nodeStats();
    return { node: { nodeName: this.o.nodeName, ...node }, pods: groupPods(stats.map((s) => ({ s, cpu: this.containerCpu(s) }))) };
  }
}

function memoryOf(s: ContainerStats): MemoryStats | undefined {
  const m = s.memory;
  if (!m) return undefined;
  return { time: iso(Number(m.timestamp)), workingSetBytes: num(m.working_set_bytes), usageBytes: num(m.usage_bytes), availableBytes: num(m.available_bytes) };
}

/** Pod totals are the sums over the pod's containers (the sandbox's own usage is negligible). */
function groupPods(items: { s: ContainerStats; cpu: CPUStats | undefined }[]): PodStatsSummary[] {
  const pods = new Map<string, PodStatsSummary>();
  for (const { s, cpu } of items) {
    const l = s.attributes!.labels ?? {};
    if (!l[POD_UID] || !l[POD_NAME]) continue;
    let pod = pods.get(l[POD_UID]);
    if (!pod) {
      pod = { podRef: { name: l[POD_NAME], namespace: l[POD_NAMESPACE] ?? 'default', uid: l[POD_UID] }, containers: [] };
      pods.set(l[POD_UID], pod);
    }
    const c: ContainerStatsSummary = { name: l[CONTAINER_NAME] ?? s.attributes!.metadata?.name ?? '', cpu, memory: memoryOf(s) };
    pod.containers.push(c);
  }
  for (const pod of pods.values()) {
    pod.containers.sort((a, b) => a.name.localeCompare(b.name));
    pod.cpu = sumCpu(pod.containers);
    pod.memory = sumMemory(pod.containers);
  }
  return [...pods.values()].sort((a, b) => `${a.podRef.namespace}/${a.podRef.name}`.localeCompare(`${b.podRef.namespace}/${b.podRef.name}`));
}

function latest(times: (string | undefined)[]): string {
  return times.filter((t): t is string => !!t).sort().at(-1) ?? new Date(0).toISOString();
}

function sum(values: (number | undefined)[]): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + v!, 0);
}

function sumCpu(cs: ContainerStatsSummary[]): CPUStats | undefined {
  const cpus = cs.map((c) => c.cpu);
  if (cpus.some((c) => !c)) return undefined;
  return { time: latest(cpus.map((c) => c!.time)), usageNanoCores: sum(cpus.map((c) => c!.usageNanoCores)), usageCoreNanoSeconds: sum(cpus.map((c) => c!.usageCoreNanoSeconds)) };
}

function sumMemory(cs: ContainerStatsSummary[]): MemoryStats | undefined {
  const ms = cs.map((c) => c.memory);
  if (ms.some((m) => !m)) return undefined;
  return { time: latest(ms.map((m) => m!.time)), workingSetBytes: sum(ms.map((m) => m!.workingSetBytes)), usageBytes: sum(ms.map((m) => m!.usageBytes)) };
}
