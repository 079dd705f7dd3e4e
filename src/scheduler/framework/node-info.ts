/**
 * A node and the aggregates of the pods on it (upstream framework.NodeInfo), kept up to date
 * incrementally so that a filter reads sums instead of walking pods.
 */
import type { Node } from './api-types.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { nodeAllocatable, Resource } from './resource.js';

export class NodeInfo {
  node: Node | undefined;
  allocatable = new Resource();
  readonly pods = new Map<string, PodInfo>();
  requested = new Resource();
  nonZeroRequested = new Resource();
  /** `protocol/port` → host IPs in use. */
  usedPorts = new Map<string, string[]>();
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;
  /** Bumped on every change; lets callers cache derived facts. */
  generation = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  get labels(): Record<string, string> {
    return this.node?.metadata.labels ?? EMPTY;
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation++;
  }

  addPod(p: PodInfo): void {
    const old = this.pods.get(p.key);
    if (old) this.removePod(old.key);
    this.pods.set(p.key, p);
    this.requested.add(p.requests);
    this.nonZeroRequested.add(p.nonZeroRequests);
    for (const hp of p.hostPorts) addPort(this.usedPorts, hp);
    if (p.hasAffinity) this.podsWithAffinity++;
    if (p.requiredAntiAffinityTerms.length) this.podsWithRequiredAntiAffinity++;
    this.generation++;
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    this.requested.add(p.requests, -1);
    this.nonZeroRequested.add(p.nonZeroRequests, -1);
    for (const hp of p.hostPorts) removePort(this.usedPorts, hp);
    if (p.hasAffinity) this.podsWithAffinity--;
    if (p.requiredAntiAffinityTerms.length) this.podsWithRequiredAntiAffinity--;
    this.generation++;
    return p;
  }

  /** A copy that can be changed freely (preemption dry runs, nominated pods). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.allocatable = this.allocatable;
    for (const [k, p] of this.pods) c.pods.set(k, p);
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    for (const [k, v] of this.usedPorts) c.usedPorts.set(k, [...v]);
    c.podsWithAffinity = this.podsWithAffinity;
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity;
    c.generation = this.generation;
    return c;
  }

  /** Whether `hp` collides with a port in use: same protocol and port, and either IP is a wildcard or equal. */
  portConflicts(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) return false;
    if (hp.ip === '0.0.0.0') return ips.length > 0;
    return ips.some((ip) => ip === '0.0.0.0' || ip === hp.ip);
  }
}

const EMPTY: Record<string, string> = Object.freeze({}) as Record<string, string>;

function addPort(m: Map<string, string[]>, hp: HostPort): void {
  const k = `${hp.protocol}/${hp.port}`;
  const l = m.get(k);
  if (l) l.push(hp.ip);
  else m.set(k, [hp.ip]);
}

function removePort(m: Map<string, string[]>, hp: HostPort): void {
  const k = `${hp.protocol}/${hp.port}`;
  const l = m.get(k);
  if (!l) return;
  const i = l.indexOf(hp.ip);
  if (i >= 0) l.splice(i, 1);
  if (l.length === 0) m.delete(k);
}
