/**
 * Extension points (upstream framework/interface.go). A plugin implements only the points it
 * needs; each call returns a Status. Everything runs on one thread, so plugins are synchronous
 * except where they talk to the API (PostFilter, PreBind, Bind).
 */
import type { Logger } from '../../base/logger.js';
import type { Clock } from '../../base/clock.js';
import type { KubeObject } from '../../api/object.js';
import type { ApiClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Indexer } from '../../client/informer.js';
import type { CycleState } from './cycle-state.js';
import type { NodeInfo } from './node-info.js';
import type { NamespaceLabels, PodInfo } from './pod-info.js';
import type { Status } from './status.js';

export interface Plugin {
  readonly name: string;
}

/** Nodes a PreFilter already knows are the only candidates (e.g. matchFields metadata.name). */
export interface PreFilterResult {
  nodeNames?: Set<string>;
}

/** Lets preemption's dry runs keep PreFilter state right while pods are removed or re-added. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  removePod(state: CycleState, podToSchedule: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
  preFilterExtensions?: PreFilterExtensions;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
}

/** Why each examined node was rejected; nodes not listed get `absent` (a PreFilter rejection). */
export class NodeToStatus {
  readonly statuses = new Map<string, Status>();
  absent: Status | undefined;

  get(node: string): Status | undefined {
    return this.statuses.get(node) ?? this.absent;
  }
}

export interface PostFilterResult {
  nominatedNodeName?: string;
  status: Status;
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<PostFilterResult>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  node: NodeInfo;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** 0..100 unless normalizeScore rescales the whole list. */
  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): Status;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status>;
}

/** A change in the cluster that may make rejected pods schedulable (upstream ClusterEvent). */
export type EventResource = 'Node' | 'Pod' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | 'Namespace';
export type ActionType = 'Add' | 'Update' | 'Delete';

export interface ClusterEvent {
  resource: EventResource;
  actions: readonly ActionType[];
}

export interface EnqueueExtensions {
  /** Events after which pods this plugin rejected are worth retrying. */
  eventsToRegister(): ClusterEvent[];
}

/** Read access to the scheduler's view of nodes (the cache; one thread, so it is the snapshot). */
export interface NodeInfoLister {
  list(): readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** Nodes with at least one pod carrying required anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): Iterable<NodeInfo>;
  havePodsWithAffinity(): Iterable<NodeInfo>;
}

export interface PodNominator {
  /** Pods waiting for room on `node` after preemption. */
  nominatedPodsForNode(node: string): readonly PodInfo[];
}

export interface Listers {
  pvcs: Indexer<KubeObject>;
  pvs: Indexer<KubeObject>;
  storageClasses: Indexer<KubeObject>;
  pdbs: Indexer<KubeObject>;
  namespaceLabels: NamespaceLabels;
}

/** What plugins may use besides their arguments (upstream framework.Handle). */
export interface Handle {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  snapshot: NodeInfoLister;
  listers: Listers;
  nominator: PodNominator;
  /** Filled in once the framework is built, for plugins (preemption) that re-run filters. */
  framework: FrameworkRunner;
}

export interface FrameworkRunner {
  runFilterPlugins(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
  runFilterPluginsWithNominatedPods(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, pod: PodInfo, podToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, pod: PodInfo, podToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}
