/**
 * Runs a profile's plugins at each extension point, in the order they are listed, and records
 * which plugin rejected a pod so the queue knows which cluster events can help it.
 */
import { CycleState } from './cycle-state.js';
import type {
  BindPlugin,
  ClusterEvent,
  EnqueueExtensions,
  FilterPlugin,
  FrameworkRunner,
  NodeScore,
  Plugin,
  PodNominator,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  ReservePlugin,
  ScorePlugin,
  NodeToStatus,
} from './interface.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { Status } from './status.js';

export const MAX_NODE_SCORE = 100;

export interface WeightedPlugin {
  plugin: Plugin;
  /** Score weight; only meaningful for score plugins (upstream defaults: 1, 2 or 3). */
  weight?: number;
}

function has<T extends Plugin>(p: Plugin, method: string): p is T {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

export class Framework implements FrameworkRunner {
  readonly preFilter: PreFilterPlugin[] = [];
  readonly filter: FilterPlugin[] = [];
  readonly postFilter: PostFilterPlugin[] = [];
  readonly preScore: PreScorePlugin[] = [];
  readonly score: { plugin: ScorePlugin; weight: number }[] = [];
  readonly reserve: ReservePlugin[] = [];
  readonly preBind: PreBindPlugin[] = [];
  readonly bind: BindPlugin[] = [];
  readonly events = new Map<string, ClusterEvent[]>();

  constructor(
    plugins: WeightedPlugin[],
    private readonly nominator: PodNominator,
  ) {
    for (const { plugin: p, weight } of plugins) {
      if (has<PreFilterPlugin>(p, 'preFilter')) this.preFilter.push(p);
      if (has<FilterPlugin>(p, 'filter')) this.filter.push(p);
      if (has<PostFilterPlugin>(p, 'postFilter')) this.postFilter.push(p);
      if (has<PreScorePlugin>(p, 'preScore')) this.preScore.push(p);
      if (has<ScorePlugin>(p, 'score')) this.score.push({ plugin: p, weight: weight ?? 1 });
      if (has<ReservePlugin>(p, 'reserve')) this.reserve.push(p);
      if (has<PreBindPlugin>(p, 'preBind')) this.preBind.push(p);
      if (has<BindPlugin>(p, 'bind')) this.bind.push(p);
      if (has<EnqueueExtensions & Plugin>(p, 'eventsToRegister')) this.events.set(p.name, p.eventsToRegister());
    }
  }

  /** Merged PreFilter verdict; a rejection carries the plugin's name. */
  runPreFilterPlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    let result: PreFilterResult | undefined;
    for (const p of this.preFilter) {
      let out: { result?: PreFilterResult; status: Status };
      try {
        out = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { status: Status.error(err).withPlugin(p.name) };
      }
      if (out.status.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (!out.status.isSuccess()) return { status: out.status.withPlugin(p.name) };
      if (out.result?.nodeNames) {
        const names: Set<string> = out.result.nodeNames;
        const prev: Set<string> | undefined = result?.nodeNames;
        result = { nodeNames: prev ? new Set([...prev].filter((n) => names.has(n))) : names };
      }
    }
    return { result, status: Status.success() };
  }

  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.filter) {
      if (state.skipFilterPlugins.size && state.skipFilterPlugins.has(p.name)) continue;
      let s: Status;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (err) {
        s = Status.error(err);
      }
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  /**
   * Filters with the node's nominated pods of equal or higher priority counted as if running,
   * so room freed by preemption is not taken by someone else (upstream runs both passes; the
   * pass without them only matters for inter-pod affinity to nominated pods, which we skip).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status {
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    let info = nodeInfo;
    let st = state;
    for (const np of nominated) {
      if (np.key === pod.key || np.priority < pod.priority) continue;
      if (info === nodeInfo) {
        info = nodeInfo.clone();
        st = state.clone();
      }
      info.addPod(np);
      this.runPreFilterExtensionAddPod(st, pod, np, info);
    }
    return this.runFilterPlugins(st, pod, info);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (!p.preFilterExtensions || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.preFilterExtensions.addPod(state, pod, podToAdd, nodeInfo);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilter) {
      if (!p.preFilterExtensions || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.preFilterExtensions.removePod(state, pod, podToRemove, nodeInfo);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  async runPostFilterPlugins(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<PostFilterResult> {
    let last: PostFilterResult = { status: Status.unschedulable() };
    for (const p of this.postFilter) {
      const r = await p.postFilter(state, pod, nodeToStatus);
      if (r.status.isSuccess() || r.status.code === 'Error') return r;
      last = r;
    }
    return last;
  }

  /** Weighted sum of every score plugin per node, after normalization. */
  runScorePlugins(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const p of this.preScore) {
      const s = p.preScore(state, pod, nodes);
      if (s.code === 'Skip') state.skipScorePlugins.add(p.name);
    }
    for (const { plugin, weight } of this.score) {
      if (state.skipScorePlugins.has(plugin.name)) continue;
      if (!plugin.normalizeScore) {
        for (let i = 0; i < nodes.length; i++) totals[i]! += plugin.score(state, pod, nodes[i]!) * weight;
        continue;
      }
      const scores: NodeScore[] = nodes.map((node) => ({ node, score: plugin.score(state, pod, node) }));
      plugin.normalizeScore(state, pod, scores);
      for (let i = 0; i < scores.length; i++) totals[i]! += scores[i]!.score * weight;
    }
    return totals;
  }

  runReservePlugins(state: CycleState, pod: PodInfo, node: string): Status {
    for (const p of this.reserve) {
      const s = p.reserve(state, pod, node);
      if (!s.isSuccess()) {
        this.runUnreservePlugins(state, pod, node);
        return s.withPlugin(p.name);
      }
    }
    return Status.success();
  }

  runUnreservePlugins(state: CycleState, pod: PodInfo, node: string): void {
    for (const p of [...this.reserve].reverse()) p.unreserve(state, pod, node);
  }

  async runPreBindPlugins(state: CycleState, pod: PodInfo, node: string): Promise<Status> {
    for (const p of this.preBind) {
      const s = await p.preBind(state, pod, node);
      if (!s.isSuccess()) return s.withPlugin(p.name);
    }
    return Status.success();
  }

  async runBindPlugins(state: CycleState, pod: PodInfo, node: string): Promise<Status> {
    for (const p of this.bind) {
      const s = await p.bind(state, pod, node);
      if (s.code === 'Skip') continue;
      return s.isSuccess() ? s : s.withPlugin(p.name);
    }
    return Status.error(new Error('no bind plugin bound the pod'));
  }

  newCycleState(): CycleState {
    return new CycleState();
  }
}
