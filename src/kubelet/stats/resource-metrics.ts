/**
 * The kubelet's `/metrics/resource` endpoint: the summary's cumulative CPU seconds and working
 * sets in Prometheus text format, with the metric names and labels of upstream's resource
 * metrics collector (timestamps in milliseconds, as it emits them).
 */
import type { CPUStats, MemoryStats, Summary } from './summary-types.js';

const ms = (time: string) => Date.parse(time);

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: string[];
}

function family(name: string, help: string, type: Family['type']): Family {
  return { name, help, type, samples: [] };
}

function addCpu(f: Family, l: Record<string, string>, cpu: CPUStats | undefined): void {
  if (cpu?.usageCoreNanoSeconds === undefined) return;
  f.samples.push(`${f.name}${labels(l)} ${cpu.usageCoreNanoSeconds / 1e9} ${ms(cpu.time)}`);
}

function addMemory(f: Family, l: Record<string, string>, mem: MemoryStats | undefined): void {
  if (mem?.workingSetBytes === undefined) return;
  f.samples.push(`${f.name}${labels(l)} ${mem.workingSetBytes} ${ms(mem.time)}`);
}

export function resourceMetricsText(s: Summary | undefined): string {
  const nodeCpu = family('node_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the node in core-seconds', 'counter');
  const nodeMem = family('node_memory_working_set_bytes', 'Current working set of the node in bytes', 'gauge');
  const ctrCpu = family('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the container in core-seconds', 'counter');
  const ctrMem = family('container_memory_working_set_bytes', 'Current working set of the container in bytes', 'gauge');
  const podCpu = family('pod_cpu_usage_seconds_total', 'Cumulative cpu time consumed by the pod in core-seconds', 'counter');
  const podMem = family('pod_memory_working_set_bytes', 'Current working set of the pod in bytes', 'gauge');
  const scrapeError = family('scrape_error', '1 if there was an error while getting container metrics, 0 otherwise', 'gauge');
  scrapeError.samples.push(`scrape_error ${s ? 0 : 1}`);
  if (s) {
    addCpu(nodeCpu, {}, s.node.cpu);
    addMemory(nodeMem, {}, s.node.memory);
    for (const p of s.pods) {
      const pl = { namespace: p.podRef.namespace, pod: p.podRef.name };
      for (const c of p.containers) {
        addCpu(ctrCpu, { container: c.name, ...pl }, c.cpu);
        addMemory(ctrMem, { container: c.name, ...pl }, c.memory);
      }
      addCpu(podCpu, pl, p.cpu);
      addMemory(podMem, pl, p.memory);
    }
  }
  const out: string[] = [];
  for (const f of [ctrCpu, ctrMem, nodeCpu, nodeMem, podCpu, podMem, scrapeError]) {
    if (!f.samples.length) continue;
    out.push(`# HELP ${f.name} [STABLE] ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples);
  }
  return out.join('\n') + '\n';
}
