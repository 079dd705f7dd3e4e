/**
 * The dependency graph (upstream garbagecollector/graph.go + graph_builder.go): one node per
 * object uid seen by any informer, edges from ownerReferences. An owner referenced before it
 * is observed is a "virtual" node until an informer reports it or the collector verifies
 * that it does not exist. The builder turns informer events into graph changes and tells the
 * collector which uids to look at (attemptToDelete) and which owners orphan (attemptToOrphan).
 */
import type { KubeObject, OwnerReference } from '../../api/object.js';
import type { ResourceRef } from '../../client/resources.js';
import { apiVersionOfRef } from '../../client/resources.js';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

export interface Identity {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid: string;
}

export interface GraphNode {
  identity: Identity;
  owners: OwnerReference[];
  dependents: Set<GraphNode>;
  virtual: boolean;
  beingDeleted: boolean;
  deletingDependents: boolean;
}

export interface GraphListener {
  attemptToDelete(node: GraphNode): void;
  attemptToOrphan(node: GraphNode): void;
}

export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(f);
}

export class DependencyGraph {
  readonly nodes = new Map<string, GraphNode>();

  constructor(private readonly listener: GraphListener) {}

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  /** An informer of `resource` saw `obj` added or changed. */
  observe(resource: ResourceRef, obj: KubeObject): void {
    const m = obj.metadata;
    if (!m.uid) return;
    const owners = m.ownerReferences ?? [];
    let node = this.nodes.get(m.uid);
    const oldOwners = node?.owners ?? [];
    const identity: Identity = { apiVersion: apiVersionOfRef(resource), kind: resource.kind, name: m.name!, namespace: m.namespace, uid: m.uid };
    if (!node) {
      node = { identity, owners, dependents: new Set(), virtual: false, beingDeleted: false, deletingDependents: false };
      this.nodes.set(m.uid, node);
    } else {
      if (node.virtual) {
        node.virtual = false;
        node.identity = identity;
      }
      node.owners = owners;
    }
    node.beingDeleted = !!m.deletionTimestamp;
    const wasDeletingDependents = node.deletingDependents;
    node.deletingDependents = node.beingDeleted && hasFinalizer(obj, FINALIZER_DELETE_DEPENDENTS);

    const added = owners.filter((o) => !oldOwners.some((p) => p.uid === o.uid));
    const removed = oldOwners.filter((o) => !owners.some((p) => p.uid === o.uid));
    for (const ref of added) this.linkOwner(node, ref);
    for (const ref of removed) {
      const owner = this.nodes.get(ref.uid);
      owner?.dependents.delete(node);
      // An owner waiting for its blocking dependents may now proceed.
      if (owner?.deletingDependents) this.listener.attemptToDelete(owner);
    }
    for (const ref of owners) {
      const old = oldOwners.find((p) => p.uid === ref.uid);
      if (old?.blockOwnerDeletion && !ref.blockOwnerDeletion) {
        const owner = this.nodes.get(ref.uid);
        if (owner?.deletingDependents) this.listener.attemptToDelete(owner);
      }
    }

    if (node.beingDeleted && hasFinalizer(obj, FINALIZER_ORPHAN)) this.listener.attemptToOrphan(node);
    if (node.deletingDependents && !wasDeletingDependents) {
      this.listener.attemptToDelete(node);
      for (const dep of node.dependents) this.listener.attemptToDelete(dep);
    } else if (node.deletingDependents) {
      this.listener.attemptToDelete(node);
    }
  }

  /** An informer saw `obj` deleted. */
  forget(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const node = this.nodes.get(uid);
    if (!node) return;
    this.removeNode(node);
  }

  /** Drops a node; its dependents are checked because their owner is gone. */
  removeNode(node: GraphNode): void {
    this.nodes.delete(node.identity.uid);
    for (const ref of node.owners) {
      const owner = this.nodes.get(ref.uid);
      if (!owner) continue;
      owner.dependents.delete(node);
      if (owner.deletingDependents) this.listener.attemptToDelete(owner);
    }
    for (const dep of node.dependents) this.listener.attemptToDelete(dep);
  }

  private linkOwner(node: GraphNode, ref: OwnerReference): void {
    let owner = this.nodes.get(ref.uid);
    if (!owner) {
      // Seen as an owner before being observed: verify it exists (namespace is the dependent's).
      owner = {
        identity: { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace: node.identity.namespace, uid: ref.uid },
        owners: [],
        dependents: new Set(),
        virtual: true,
        beingDeleted: false,
        deletingDependents: false,
      };
      this.nodes.set(ref.uid, owner);
      this.listener.attemptToDelete(owner);
    }
    owner.dependents.add(node);
  }
}
