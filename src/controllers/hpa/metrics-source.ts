/** Where the HPA reads pod usage (the node agent's resource metrics later; tests a fake). */
export interface PodMetric {
  pod: string;
  cpuMilli: number;
  memoryBytes: number;
}

export interface MetricsSource {
  /** Usage of the pods matching `selector` in `namespace`; undefined when no metrics are available. */
  podMetrics(namespace: string, selector: string): Promise<PodMetric[] | undefined>;
}

/** Until a metrics pipeline exists: no metrics, so HPAs report FailedGetResourceMetric. */
export const noMetricsSource: MetricsSource = { podMetrics: async () => undefined };
