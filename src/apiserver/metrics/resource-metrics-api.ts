/**
 * metrics.k8s.io/v1beta1 served in process, as metrics-server serves it: NodeMetrics and
 * PodMetrics built from each node's kubelet `/stats/summary`, never stored. Summaries are
 * scraped from all real nodes at once and reused for a short window; simulated nodes have no
 * kubelet, so their pods simply have no metrics. Selectors filter on the Node's and Pod's own
 * labels and fields.
 */
import type { KubeObject } from '../../api/object.js';
import { methodNotAllowed, notFound } from '../../api/status.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { buildFilter } from '../handlers/filters.js';
import type { RequestContext, ServerParts } from '../handlers/context.js';
import { negotiate, send } from '../negotiate.js';
import type { KubeletClientConfig } from '../proxy/connect-target.js';
import { includeObjectParam, toTable } from '../table.js';
import { kubeletSummaryFetcher, type KubeletSummary, type SummaryFetcher } from './kubelet-summary.js';
import { cpuQuantity, memoryQuantity } from './quantity.js';

export const METRICS_GROUP = 'metrics.k8s.io';
const API_VERSION = 'metrics.k8s.io/v1beta1';
/** metrics-server's default resolution: how long a scrape answers requests. */
const DEFAULT_WINDOW_MS = 15_000;
const SIMULATED = 'sim.skiff.io/simulated';

export interface ResourceMetricsOptions {
  clock: Clock;
  log: Logger;
  kubeletClient?: KubeletClientConfig;
  /** How a node's summary is fetched; defaults to HTTPS with `kubeletClient`. */
  fetchSummary?: SummaryFetcher;
  windowMs?: number;
}

interface Snapshot {
  at: number;
  byNode: Map<string, KubeletSummary>;
}

type Usage = { time: string; usageNanoCores?: number; workingSetBytes?: number } | undefined;

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const seconds = (ms: number) => `${Math.round(ms / 1000)}s`;

/** The kubelet address as connect requests pick it: InternalIP first, then ExternalIP, Hostname. */
function kubeletEndpoint(node: KubeObject): { host: string; port: number } | undefined {
  const status = (node.status ?? {}) as { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  const addrs = status.addresses ?? [];
  const addr = ['InternalIP', 'ExternalIP', 'Hostname'].map((t) => addrs.find((a) => a.type === t)).find(Boolean);
  const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
  if (!addr || !port) return undefined;
  return { host: addr.address, port };
}

export class ResourceMetricsApi {
  private snapshot: Snapshot | undefined;
  private inflight: Promise<Snapshot> | undefined;
  private readonly fetch: SummaryFetcher | undefined;
  private readonly windowMs: number;

  constructor(private readonly o: ResourceMetricsOptions) {
    this.fetch = o.fetchSummary ?? (o.kubeletClient ? kubeletSummaryFetcher(o.kubeletClient) : undefined);
    this.windowMs = o.windowMs ?? DEFAULT_WINDOW_MS;
  }

  private async objects(parts: ServerParts, plural: 'nodes' | 'pods'): Promise<KubeObject[]> {
    const b = parts.bound('', 'v1', plural);
    if (!b) return [];
    return (await parts.caches.cache(b.prefix)).list().map((c) => c.obj);
  }

  private async scrape(parts: ServerParts): Promise<Snapshot> {
    const at = this.o.clock.now();
    const byNode = new Map<string, KubeletSummary>();
    const fetch = this.fetch;
    if (!fetch) return { at, byNode };
    const nodes = (await this.objects(parts, 'nodes')).filter((n) => n.metadata.annotations?.[SIMULATED] !== 'true');
    await Promise.all(
      nodes.map(async (n) => {
        const ep = kubeletEndpoint(n);
        if (!ep) return;
        try {
          byNode.set(n.metadata.name!, await fetch(ep.host, ep.port));
        } catch (err) {
          this.o.log.warn('scraping kubelet failed', { node: n.metadata.name, error: String((err as Error)?.message ?? err) });
        }
      }),
    );
    return { at, byNode };
  }

  private current(parts: ServerParts): Promise<Snapshot> {
    const s = this.snapshot;
    if (s && this.o.clock.now() - s.at < this.windowMs) return Promise.resolve(s);
    this.inflight ??= this.scrape(parts)
      .then((snap) => (this.snapshot = snap))
      .finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private nodeMetrics(node: KubeObject, summary: KubeletSummary | undefined): KubeObject | undefined {
    const cpu = summary?.node.cpu;
    const mem = summary?.node.memory;
    if (cpu?.usageNanoCores === undefined || mem?.workingSetBytes === undefined) return undefined;
    return {
      kind: 'NodeMetrics',
      apiVersion: API_VERSION,
      metadata: { name: node.metadata.name, creationTimestamp: rfc3339(this.o.clock.now()), labels: node.metadata.labels },
      timestamp: cpu.time,
      window: seconds(this.windowMs),
      usage: { cpu: cpuQuantity(cpu.usageNanoCores), memory: memoryQuantity(mem.workingSetBytes) },
    } as KubeObject;
  }

  private podMetrics(pod: KubeObject, snap: Snapshot): KubeObject | undefined {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const summary = nodeName ? snap.byNode.get(nodeName) : undefined;
    const stats = summary?.pods.find((p) => p.podRef.uid === pod.metadata.uid) ?? summary?.pods.find((p) => p.podRef.namespace === pod.metadata.namespace && p.podRef.name === pod.metadata.name);
    if (!stats?.containers.length) return undefined;
    const complete = (u: Usage, field: 'usageNanoCores' | 'workingSetBytes') => u?.[field] !== undefined;
    // As metrics-server: a pod with any container lacking usage has no metrics at all.
    if (!stats.containers.every((c) => complete(c.cpu, 'usageNanoCores') && complete(c.memory, 'workingSetBytes'))) return undefined;
    const timestamp = stats.containers.map((c) => c.cpu!.time).sort().at(-1)!;
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: rfc3339(this.o.clock.now()), labels: pod.metadata.labels },
      timestamp,
      window: seconds(this.windowMs),
      containers: stats.containers.map((c) => ({ name: c.name, usage: { cpu: cpuQuantity(c.cpu!.usageNanoCores!), memory: memoryQuantity(c.memory!.workingSetBytes!) } })),
    } as KubeObject;
  }

  /** GET (one or a list) of `nodes` or `pods` in metrics.k8s.io. */
  async handle(ctx: RequestContext): Promise<void> {
    const { info, query, resource } = ctx;
    const isWatch = info.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
    if ((ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') || isWatch || info.subresource) {
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
    const rt = resource.rt;
    const snap = await this.current(ctx.parts);
    const filter = buildFilter(rt, query);
    let items: KubeObject[];
    if (rt.plural === 'nodes') {
      const nodes = (await this.objects(ctx.parts, 'nodes')).filter((n) => (info.name ? n.metadata.name === info.name : filter.matches(n)));
      items = nodes.map((n) => this.nodeMetrics(n, snap.byNode.get(n.metadata.name!))).filter((m): m is KubeObject => !!m);
    } else {
      const pods = (await this.objects(ctx.parts, 'pods')).filter(
        (p) => (!info.namespace || p.metadata.namespace === info.namespace) && (info.name ? p.metadata.name === info.name : filter.matches(p)),
      );
      items = pods.map((p) => this.podMetrics(p, snap)).filter((m): m is KubeObject => !!m);
    }
    const rep = negotiate(ctx.req.headers.accept, { table: true });
    if (info.name) {
      if (!items[0]) throw notFound({ group: METRICS_GROUP, plural: rt.plural }, info.name);
      return this.reply(ctx, rep, [items[0]], items[0]);
    }
    const list = { kind: rt.listKind, apiVersion: API_VERSION, metadata: {}, items };
    return this.reply(ctx, rep, items, list);
  }

  private reply(ctx: RequestContext, rep: ReturnType<typeof negotiate>, items: KubeObject[], body: object): void {
    if (rep.kind === 'table') {
      const table = toTable(ctx.resource.rt, items, { include: includeObjectParam(ctx.query.get('includeObject')), version: rep.version, now: this.o.clock.now(), listMeta: {} });
      return send(ctx.res, 200, table, { kind: 'json' });
    }
    // No protobuf messages exist for these kinds: anything but YAML is answered as JSON.
    send(ctx.res, 200, body, rep.kind === 'yaml' ? rep : { kind: 'json' });
  }
}
