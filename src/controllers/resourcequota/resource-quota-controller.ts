/**
 * ResourceQuota status (upstream pkg/controller/resourcequota): `status.hard` mirrors
 * spec.hard and `status.used` holds the namespace's usage of each resource named there,
 * recomputed whenever a quota or an object it counts changes (and every 5 minutes).
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { keyOf, NAMESPACE_INDEX, splitKey, type Informer } from '../../client/informer.js';
import { Resources, type ResourceRef } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { runQueue } from '../common/run-controller.js';
import { discover } from '../namespace/discovery.js';
import { addTo, countUsage, podUsage, pvcUsage, serviceUsage, type Usage } from './usage.js';

const RESYNC_MS = 5 * 60_000;

interface QuotaShape extends KubeObject {
  spec?: { hard?: Record<string, string>; scopes?: string[] };
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

/** Resources watched here, with how each object counts. */
const WATCHED: { ref: ResourceRef; usage: (o: KubeObject, now: number) => Usage }[] = [
  { ref: Resources.pods, usage: podUsage },
  { ref: Resources.services, usage: serviceUsage },
  { ref: Resources.persistentvolumeclaims, usage: pvcUsage },
  { ref: Resources.configmaps, usage: () => countUsage('configmaps', '') },
  { ref: Resources.secrets, usage: () => countUsage('secrets', '') },
  { ref: Resources.replicationcontrollers, usage: () => countUsage('replicationcontrollers', '') },
  { ref: Resources.resourcequotas, usage: () => countUsage('resourcequotas', '') },
];

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota-controller';
  readonly queue: WorkQueue<string>;
  readonly quotas: Informer<QuotaShape>;
  readonly informers: Map<ResourceRef, Informer>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.quotas = ctx.informers.forResource<QuotaShape>(Resources.resourcequotas);
    this.informers = new Map(WATCHED.map((w) => [w.ref, ctx.informers.forResource(w.ref)]));
    this.quotas.addEventHandler({
      onAdd: (q) => this.queue.add(keyOf(q)),
      onUpdate: (o, q) => {
        if (!deepEqual(o.spec, q.spec) || !deepEqual(q.spec?.hard, q.status?.hard)) this.queue.add(keyOf(q));
      },
    });
    const touched = (o: KubeObject) => this.enqueueNamespace(o.metadata.namespace);
    for (const inf of this.informers.values()) {
      if (inf === (this.quotas as unknown as Informer)) continue;
      inf.addEventHandler({ onAdd: touched, onUpdate: (_, o) => touched(o), onDelete: touched });
    }
  }

  private enqueueNamespace(namespace: string | undefined): void {
    if (!namespace) return;
    for (const q of this.quotas.store.byIndex(NAMESPACE_INDEX, namespace)) this.queue.add(keyOf(q));
  }

  run(signal: AbortSignal): Promise<void> {
    const timer = this.ctx.clock.setInterval(() => {
      for (const q of this.quotas.store.list()) this.queue.add(keyOf(q));
    }, RESYNC_MS);
    signal.addEventListener('abort', () => timer.cancel(), { once: true });
    return runQueue({ name: this.name, signal, informers: [this.quotas, ...this.informers.values()], queue: this.queue, workers: 5, log: this.ctx.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const quota = this.quotas.store.getByName(namespace, name);
    if (!quota || !namespace) return;
    const hard = quota.spec?.hard ?? {};
    const usage = await this.usage(namespace, Object.keys(hard), quota.spec?.scopes ?? []);
    const used: Record<string, string> = {};
    for (const r of Object.keys(hard)) used[r] = usage.get(r)?.toString() ?? '0';
    if (deepEqual(quota.status?.hard, hard) && deepEqual(quota.status?.used, used)) return;
    try {
      await this.ctx.client.updateStatus(Resources.resourcequotas, { ...quota, status: { hard: { ...hard }, used } });
    } catch (err) {
      // A conflict means a newer quota is on its way through the informer, which re-queues it.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  /** Usage of `names` in a namespace; object counts of unwatched resources are listed live. */
  private async usage(namespace: string, names: string[], scopes: string[]): Promise<Usage> {
    const now = this.ctx.clock.now();
    const total: Usage = new Map();
    for (const w of WATCHED) {
      let items = this.informers.get(w.ref)!.store.listNamespace(namespace);
      if (w.ref === Resources.pods && scopes.length > 0) items = items.filter((p) => podMatchesScopes(p, scopes));
      else if (scopes.length > 0) continue;
      for (const item of items) for (const [k, v] of w.usage(item, now)) addTo(total, k, v);
    }
    const known = new Set(total.keys());
    const extra = names.filter((n) => n.startsWith('count/') && !known.has(n) && !WATCHED.some((w) => countName(w.ref) === n));
    if (extra.length > 0 && scopes.length === 0) {
      const d = await discover(this.ctx.client);
      for (const n of extra) {
        const r = d.preferred.find((x) => x.namespaced && countName(x) === n && x.verbs.includes('list'));
        if (!r) continue;
        const list = await this.ctx.client.list(r, namespace);
        for (let i = 0; i < list.items.length; i++) for (const [k, v] of countUsage(r.resource, r.group)) if (k === n) addTo(total, k, v);
      }
    }
    return total;
  }
}

function countName(r: Pick<ResourceRef, 'resource' | 'group'>): string {
  return r.group ? `count/${r.resource}.${r.group}` : `count/${r.resource}`;
}

/** Pod scopes (Terminating, NotTerminating, BestEffort, NotBestEffort); others match nothing here. */
function podMatchesScopes(pod: KubeObject, scopes: string[]): boolean {
  const spec = (pod.spec ?? {}) as { activeDeadlineSeconds?: number; containers?: { resources?: { requests?: object; limits?: object } }[]; initContainers?: { resources?: { requests?: object; limits?: object } }[] };
  const terminating = spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds >= 0;
  const bestEffort = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].every((c) => {
    const r = { ...(c.resources?.requests ?? {}), ...(c.resources?.limits ?? {}) } as Record<string, unknown>;
    return r.cpu === undefined && r.memory === undefined;
  });
  return scopes.every((s) => {
    switch (s) {
      case 'Terminating':
        return terminating;
      case 'NotTerminating':
        return !terminating;
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      default:
        return false;
    }
  });
}
