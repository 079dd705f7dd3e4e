/**
 * The scheduler's view of the cluster (upstream internal/cache): nodes with the aggregates of
 * their pods, fed by informers, plus pods assumed onto a node between the scheduling decision
 * and the informer confirming the binding. The scheduler runs on one thread, so the live cache
 * serves as the cycle's snapshot: nothing changes it while a cycle runs synchronously.
 */
import type { Node } from '../framework/api-types.js';
import type { NodeInfoLister } from '../framework/interface.js';
import { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';

interface PodState {
  info: PodInfo;
  node: string;
  assumed: boolean;
}

export class Cache implements NodeInfoLister {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private nodeList: NodeInfo[] | undefined;
  private readonly withAntiAffinity = new Set<NodeInfo>();
  private readonly withAffinity = new Set<NodeInfo>();

  list(): readonly NodeInfo[] {
    if (!this.nodeList) this.nodeList = [...this.nodes.values()].filter((n) => n.node);
    return this.nodeList;
  }

  get(name: string): NodeInfo | undefined {
    const n = this.nodes.get(name);
    return n?.node ? n : undefined;
  }

  havePodsWithRequiredAntiAffinity(): Iterable<NodeInfo> {
    return this.withAntiAffinity;
  }

  havePodsWithAffinity(): Iterable<NodeInfo> {
    return this.withAffinity;
  }

  get nodeCount(): number {
    return this.list().length;
  }

  addNode(node: Node): void {
    const name = node.metadata.name!;
    const existing = this.nodes.get(name);
    if (existing) {
      if (!existing.node) this.nodeList = undefined;
      existing.setNode(node);
      return;
    }
    this.nodes.set(name, new NodeInfo(node));
    this.nodeList = undefined;
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  /** Pods stay accounted for on a removed node until their own deletion arrives. */
  removeNode(name: string): void {
    const n = this.nodes.get(name);
    if (!n) return;
    if (n.pods.size === 0) this.nodes.delete(name);
    else n.node = undefined;
    this.nodeList = undefined;
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed ?? false;
  }

  /** The scheduler placed the pod; count it on the node before the API says so. */
  assumePod(info: PodInfo, node: string): void {
    if (this.podStates.has(info.key)) throw new Error(`pod ${info.key} is in the cache, so can't be assumed`);
    const assumed = info.assumedOn(node);
    this.addToNode(assumed, node);
    this.podStates.set(info.key, { info: assumed, node, assumed: true });
  }

  /** Binding failed: give the room back. */
  forgetPod(key: string): void {
    const st = this.podStates.get(key);
    if (!st?.assumed) return;
    this.removeFromNode(key, st.node);
    this.podStates.delete(key);
  }

  /** An assigned pod seen by the informer (confirms an assumed pod). */
  addPod(info: PodInfo): void {
    const node = info.pod.spec.nodeName!;
    const st = this.podStates.get(info.key);
    if (st) this.removeFromNode(info.key, st.node);
    this.addToNode(info, node);
    this.podStates.set(info.key, { info, node, assumed: false });
  }

  updatePod(info: PodInfo): void {
    this.addPod(info);
  }

  removePod(key: string): void {
    const st = this.podStates.get(key);
    if (!st) return;
    this.removeFromNode(key, st.node);
    this.podStates.delete(key);
  }

  podCount(): number {
    return this.podStates.size;
  }

  private addToNode(info: PodInfo, node: string): void {
    let n = this.nodes.get(node);
    if (!n) this.nodes.set(node, (n = new NodeInfo()));
    n.addPod(info);
    this.track(n);
  }

  private removeFromNode(key: string, node: string): void {
    const n = this.nodes.get(node);
    if (!n) return;
    n.removePod(key);
    this.track(n);
    if (!n.node && n.pods.size === 0) this.nodes.delete(node);
  }

  private track(n: NodeInfo): void {
    if (n.podsWithRequiredAntiAffinity > 0) this.withAntiAffinity.add(n);
    else this.withAntiAffinity.delete(n);
    if (n.podsWithAffinity > 0) this.withAffinity.add(n);
    else this.withAffinity.delete(n);
  }
}
