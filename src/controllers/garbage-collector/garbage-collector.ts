/**
 * The garbage collector (upstream pkg/controller/garbagecollector): informers on every
 * resource that can be listed, watched and deleted feed the dependency graph; two queues act
 * on it. attemptToDelete looks at one object: a dependent whose owners are all gone is
 * deleted (propagation chosen from its own finalizers), dangling references next to a live
 * owner are removed, and an owner in foreground deletion loses its `foregroundDeletion`
 * finalizer once no blocking dependent remains. attemptToOrphan strips the references to an
 * owner carrying the `orphan` finalizer from its dependents, then removes that finalizer.
 * Owner existence is always verified with a live GET by uid, never from a cache alone.
 */
import type { KubeObject, OwnerReference } from '../../api/object.js';
import type { DeleteOptions } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { runWorkers, WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { discover, kindKey, supportsVerbs, type DiscoveredResource, type Discovery } from '../namespace/discovery.js';
import { DependencyGraph, FINALIZER_DELETE_DEPENDENTS, FINALIZER_ORPHAN, hasFinalizer, type GraphNode, type Identity } from './graph.js';

/** Resources the collector never watches (upstream ignores events: too many, never owners). */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
const REDISCOVERY_MS = 30_000;

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector-controller';
  readonly graph: DependencyGraph;
  readonly attemptToDeleteQueue: WorkQueue<string>;
  readonly attemptToOrphanQueue: WorkQueue<string>;
  private discovery: Discovery | undefined;
  private readonly watched = new Map<string, Informer>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.attemptToDeleteQueue = new WorkQueue({ clock: ctx.clock });
    this.attemptToOrphanQueue = new WorkQueue({ clock: ctx.clock });
    this.recorder = ctx.recorder('garbage-collector-controller');
    this.graph = new DependencyGraph({
      attemptToDelete: (n) => this.attemptToDeleteQueue.add(n.identity.uid),
      attemptToOrphan: (n) => this.attemptToOrphanQueue.add(n.identity.uid),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const stop = () => {
      this.attemptToDeleteQueue.shutDown();
      this.attemptToOrphanQueue.shutDown();
    };
    signal.addEventListener('abort', stop, { once: true });
    // Discovery may fail while the server starts; keep trying until it answers.
    for (;;) {
      try {
        await this.resync(signal);
        break;
      } catch (err) {
        this.ctx.log.debug('garbage collector discovery failed; retrying', { error: err });
        try {
          await this.ctx.clock.sleep(1000, signal);
        } catch {
          return;
        }
      }
    }
    try {
      await Promise.all([...this.watched.values()].map((i) => i.waitForSync(signal)));
    } catch {
      return;
    }
    const timer = this.ctx.clock.setInterval(() => void this.resync(signal).catch(() => {}), REDISCOVERY_MS);
    signal.addEventListener('abort', () => timer.cancel(), { once: true });
    const onError = (key: string, err: unknown) => this.ctx.log.debug('garbage collection failed; will retry', { uid: key, error: err });
    await Promise.all([
      runWorkers(this.attemptToDeleteQueue, 20, (uid) => this.attemptToDeleteItem(uid), onError),
      runWorkers(this.attemptToOrphanQueue, 5, (uid) => this.attemptToOrphanItem(uid), onError),
    ]);
  }

  /** Discovers resources and starts informers for any not yet watched. */
  async resync(signal: AbortSignal): Promise<void> {
    this.discovery = await discover(this.ctx.client);
    for (const r of this.discovery.preferred) {
      const id = `${r.group}/${r.resource}`;
      if (IGNORED.has(id) || this.watched.has(id) || !supportsVerbs(r, 'list', 'watch', 'delete')) continue;
      const inf = this.ctx.informers.forResource(r);
      inf.addEventHandler({
        onAdd: (o) => this.graph.observe(r, o),
        onUpdate: (_, o) => this.graph.observe(r, o),
        onDelete: (o) => this.graph.forget(o),
      });
      this.watched.set(id, inf);
      inf.start(signal);
    }
  }

  private async mapping(apiVersion: string, kind: string): Promise<DiscoveredResource> {
    let r = this.discovery?.byKind.get(kindKey(apiVersion, kind));
    if (!r) {
      this.discovery = await discover(this.ctx.client);
      r = this.discovery.byKind.get(kindKey(apiVersion, kind));
    }
    if (!r) throw new Error(`unable to get REST mapping for ${apiVersion}/${kind}`);
    return r;
  }

  /** The live object with this identity, or undefined when absent or replaced (other uid). */
  private async getLive(id: Identity): Promise<KubeObject | undefined> {
    const r = await this.mapping(id.apiVersion, id.kind);
    try {
      const obj = await this.ctx.client.get(r, r.namespaced ? id.namespace : undefined, id.name);
      return obj.metadata.uid === id.uid ? obj : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async attemptToDeleteItem(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.virtual) {
      const live = await this.getLive(node.identity);
      if (!live) {
        // The owner never existed (or is gone): drop it so its dependents are re-examined.
        if (this.graph.get(uid) === node && node.virtual) this.graph.removeNode(node);
        return;
      }
      node.virtual = false;
    }
    const latest = await this.getLive(node.identity);
    if (!latest) return;
    const deleting = !!latest.metadata.deletionTimestamp;
    if (deleting && hasFinalizer(latest, FINALIZER_DELETE_DEPENDENTS)) return this.processDeletingDependents(node, latest);
    if (deleting) return;
    const refs = latest.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;

    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.lookupOwner(latest, ref);
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && hasFinalizer(owner, FINALIZER_DELETE_DEPENDENTS)) waiting.push(ref);
      else solid.push(ref);
    }

    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Keep the object: drop references to owners that are gone, and stop blocking owners
      // that wait for their dependents (this object is not going away).
      const goneUids = new Set(dangling.map((r) => r.uid));
      const waitingUids = new Set(waiting.map((r) => r.uid));
      const next = refs.filter((r) => !goneUids.has(r.uid)).map((r) => (waitingUids.has(r.uid) ? { ...r, blockOwnerDeletion: false } : r));
      await this.patchOwnerReferences(node.identity, latest, next);
      return;
    }
    if (waiting.length > 0 && node.dependents.size > 0) {
      // Breaks cycles of foreground deletions: our own blocking references are released first.
      if ([...node.dependents].some((d) => d.deletingDependents) && refs.some((r) => r.blockOwnerDeletion)) {
        await this.patchOwnerReferences(node.identity, latest, refs.map((r) => ({ ...r, blockOwnerDeletion: false })));
      }
      return this.deleteObject(node.identity, 'Foreground');
    }
    const policy = hasFinalizer(latest, FINALIZER_ORPHAN) ? 'Orphan' : hasFinalizer(latest, FINALIZER_DELETE_DEPENDENTS) ? 'Foreground' : 'Background';
    return this.deleteObject(node.identity, policy);
  }

  /**
   * Resolves an owner reference by the upstream scope rules: a namespaced owner lives in its
   * dependent's namespace; a cluster-scoped dependent can never have a namespaced owner.
   */
  private async lookupOwner(dependent: KubeObject, ref: OwnerReference): Promise<KubeObject | undefined> {
    const r = await this.mapping(ref.apiVersion, ref.kind);
    const namespace = dependent.metadata.namespace;
    if (r.namespaced && !namespace) {
      this.reportInvalidNamespace(dependent, ref, namespace);
      return undefined;
    }
    const owner = await this.getLive({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace: r.namespaced ? namespace : undefined, uid: ref.uid });
    if (!owner && r.namespaced) {
      const known = this.graph.get(ref.uid);
      if (known && !known.virtual && known.identity.namespace !== namespace) this.reportInvalidNamespace(dependent, ref, namespace);
    }
    return owner;
  }

  private reportInvalidNamespace(dependent: KubeObject, ref: OwnerReference, namespace: string | undefined): void {
    const ns = namespace ?? '';
    this.recorder.event(
      dependent,
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${ns}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${ns}"`,
    );
  }

  private async processDeletingDependents(node: GraphNode, latest: KubeObject): Promise<void> {
    const blocking = [...node.dependents].filter((d) => d.owners.some((r) => r.uid === node.identity.uid && r.blockOwnerDeletion));
    if (blocking.length === 0) {
      await this.removeFinalizer(node.identity, latest, FINALIZER_DELETE_DEPENDENTS);
      return;
    }
    for (const dep of blocking) if (!dep.beingDeleted) this.attemptToDeleteQueue.add(dep.identity.uid);
  }

  async attemptToOrphanItem(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const latest = await this.getLive(node.identity);
    if (!latest || !latest.metadata.deletionTimestamp || !hasFinalizer(latest, FINALIZER_ORPHAN)) return;
    for (const dep of [...node.dependents]) {
      const obj = await this.getLive(dep.identity);
      if (!obj) continue;
      const refs = obj.metadata.ownerReferences ?? [];
      if (!refs.some((r) => r.uid === uid)) continue;
      await this.patchOwnerReferences(dep.identity, obj, refs.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(node.identity, latest, FINALIZER_ORPHAN);
  }

  /** A merge patch guarded by resourceVersion: a concurrent change makes the queue retry. */
  private async patchOwnerReferences(id: Identity, latest: KubeObject, refs: OwnerReference[]): Promise<void> {
    const r = await this.mapping(id.apiVersion, id.kind);
    try {
      await this.ctx.client.patch(r, r.namespaced ? id.namespace : undefined, id.name, 'merge', {
        metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: latest.metadata.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(id: Identity, latest: KubeObject, finalizer: string): Promise<void> {
    const r = await this.mapping(id.apiVersion, id.kind);
    const rest = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(r, r.namespaced ? id.namespace : undefined, id.name, 'merge', {
        metadata: { finalizers: rest.length > 0 ? rest : null, resourceVersion: latest.metadata.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async deleteObject(id: Identity, policy: NonNullable<DeleteOptions['propagationPolicy']>): Promise<void> {
    const r = await this.mapping(id.apiVersion, id.kind);
    try {
      await this.ctx.client.delete(r, r.namespaced ? id.namespace : undefined, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } });
    } catch (err) {
      // Gone already, or replaced by a new object of the same name (uid precondition).
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }
}
