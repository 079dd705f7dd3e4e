/**
 * Pod usage for the HPA from the resource metrics API (metrics.k8s.io/v1beta1 PodMetrics), as
 * upstream's REST metrics client reads it: per pod, the sum over its containers of CPU in
 * millicores and memory in bytes.
 */
import type { ApiClient } from '../../client/client.js';
import { parseQuantity } from '../../api/quantity.js';
import type { MetricsSource, PodMetric } from './metrics-source.js';

interface PodMetricsList {
  items?: { metadata: { name: string }; containers?: { name: string; usage?: { cpu?: string; memory?: string } }[] }[];
}

function amount(q: string | undefined, milli: boolean): number | undefined {
  if (q === undefined) return undefined;
  const p = parseQuantity(q);
  if (!p.ok) return undefined;
  return milli ? p.quantity.milliValue() : p.quantity.value();
}

export class MetricsApiSource implements MetricsSource {
  constructor(private readonly client: Pick<ApiClient, 'raw'>) {}

  async podMetrics(namespace: string, selector: string): Promise<PodMetric[] | undefined> {
    const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
    let list: PodMetricsList;
    try {
      list = (await this.client.raw('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods${q}`)) as PodMetricsList;
    } catch {
      return undefined;
    }
    const out: PodMetric[] = [];
    for (const item of list.items ?? []) {
      let cpuMilli = 0;
      let memoryBytes = 0;
      let complete = (item.containers ?? []).length > 0;
      for (const c of item.containers ?? []) {
        const cpu = amount(c.usage?.cpu, true);
        const mem = amount(c.usage?.memory, false);
        if (cpu === undefined || mem === undefined) complete = false;
        cpuMilli += cpu ?? 0;
        memoryBytes += mem ?? 0;
      }
      // A pod missing a container's usage would understate it; upstream drops such pods too.
      if (complete) out.push({ pod: item.metadata.name, cpuMilli, memoryBytes });
    }
    return out;
  }
}
