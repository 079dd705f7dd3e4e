/**
 * Resource amounts as plain numbers: cpu in millicores, memory and ephemeral-storage in bytes,
 * everything else (extended resources, hugepages) in whole units keyed by name.
 */
import { parseQuantity } from '../../api/quantity.js';
import type { Container, Node, Pod, ResourceList } from './api-types.js';

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar: Map<string, number> | undefined;

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    if (list) for (const [name, q] of Object.entries(list)) r.set(name, amount(name, q));
    return r;
  }

  set(name: string, v: number): void {
    switch (name) {
      case 'cpu':
        this.milliCPU = v;
        return;
      case 'memory':
        this.memory = v;
        return;
      case 'ephemeral-storage':
        this.ephemeralStorage = v;
        return;
      case 'pods':
        this.allowedPodNumber = v;
        return;
      default:
        (this.scalar ??= new Map()).set(name, v);
    }
  }

  /** Adds (sign 1) or subtracts (sign -1) another amount in place. */
  add(o: Resource, sign = 1): void {
    this.milliCPU += sign * o.milliCPU;
    this.memory += sign * o.memory;
    this.ephemeralStorage += sign * o.ephemeralStorage;
    this.allowedPodNumber += sign * o.allowedPodNumber;
    if (o.scalar) for (const [k, v] of o.scalar) (this.scalar ??= new Map()).set(k, (this.scalar.get(k) ?? 0) + sign * v);
  }

  /** Raises each amount to at least the other's. */
  max(o: Resource): void {
    this.milliCPU = Math.max(this.milliCPU, o.milliCPU);
    this.memory = Math.max(this.memory, o.memory);
    this.ephemeralStorage = Math.max(this.ephemeralStorage, o.ephemeralStorage);
    this.allowedPodNumber = Math.max(this.allowedPodNumber, o.allowedPodNumber);
    if (o.scalar) for (const [k, v] of o.scalar) (this.scalar ??= new Map()).set(k, Math.max(this.scalar.get(k) ?? 0, v));
  }

  clone(): Resource {
    const r = new Resource();
    r.add(this);
    return r;
  }

  isZero(): boolean {
    if (this.milliCPU || this.memory || this.ephemeralStorage) return false;
    if (this.scalar) for (const v of this.scalar.values()) if (v) return false;
    return true;
  }
}

function amount(name: string, q: string): number {
  const p = parseQuantity(String(q));
  if (!p.ok) return 0;
  return name === 'cpu' ? p.quantity.milliValue() : p.quantity.value();
}

/** Requests assumed for containers that state none, so scores don't pile pods onto one node. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** A container's requests; a limit stands in for a missing request, as API defaulting does. */
function containerRequests(c: Container, nonZero: boolean): Resource {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const merged: ResourceList = { ...lim, ...req };
  const r = Resource.fromList(merged);
  if (nonZero) {
    if (merged.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (merged.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What a pod asks of a node (upstream resourcehelper.PodRequests): the sum over containers,
 * raised to what any init container needs while the sidecars started before it keep running;
 * sidecars (restartable init containers) add to the whole lifetime; overhead on top.
 * `nonZero` substitutes the default cpu/memory requests for containers without any.
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const reqs = new Resource();
  for (const c of pod.spec.containers ?? []) reqs.add(containerRequests(c, nonZero));
  const sidecars = new Resource();
  const init = new Resource();
  for (const c of pod.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      reqs.add(r);
      sidecars.add(r);
      init.max(sidecars);
    } else {
      r.add(sidecars);
      init.max(r);
    }
  }
  reqs.max(init);
  if (pod.spec.overhead) reqs.add(Resource.fromList(pod.spec.overhead));
  return reqs;
}

export function nodeAllocatable(node: Node): Resource {
  return Resource.fromList(node.status?.allocatable ?? node.status?.capacity);
}
