/**
 * LimitRanger (upstream plugin/pkg/admission/limitranger): the namespace's LimitRanges fill
 * in default requests and limits of containers (mutating) and refuse pods and
 * PersistentVolumeClaims outside their min/max/maxLimitRequestRatio (validating).
 * Pod updates are left alone: containers' resources cannot change after creation anyway.
 */
import type { KubeObject } from '../../api/object.js';
import { parseQuantity, type Quantity } from '../../api/quantity.js';
import { podResources } from '../../controllers/resourcequota/usage.js';
import { admissionForbidden, aggregateMessage } from './errors.js';
import { CachedReader, LIMIT_RANGES } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

type ResourceList = Record<string, string>;

export interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

interface PodSpec {
  containers?: Container[];
  initContainers?: Container[];
}

export const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

function items(ranges: KubeObject[]): LimitRangeItem[] {
  return ranges.flatMap((r) => ((r.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? []));
}

function qty(s: string | undefined): Quantity | undefined {
  if (s === undefined) return undefined;
  const p = parseQuantity(String(s));
  return p.ok ? p.quantity : undefined;
}

/**
 * The container defaults of one item, with upstream's LimitRange defaulting applied (default
 * falls back to max, defaultRequest to default and then to min).
 */
export function containerDefaults(item: LimitRangeItem): { limits: ResourceList; requests: ResourceList } {
  const limits: ResourceList = { ...(item.max ?? {}), ...(item.default ?? {}) };
  const requests: ResourceList = { ...(item.min ?? {}), ...limits, ...(item.defaultRequest ?? {}) };
  return { limits, requests };
}

/** Applies defaults to one container; returns upstream's annotation fragments. */
function mergeContainer(c: Container, defaults: { limits: ResourceList; requests: ResourceList }, prefix: string): string[] {
  const res = (c.resources ??= {});
  const setLimits: string[] = [];
  const setRequests: string[] = [];
  for (const [k, v] of Object.entries(defaults.limits)) {
    if ((res.limits ??= {})[k] === undefined) {
      res.limits[k] = v;
      setLimits.push(k);
    }
  }
  for (const [k, v] of Object.entries(defaults.requests)) {
    if ((res.requests ??= {})[k] === undefined) {
      res.requests[k] = v;
      setRequests.push(k);
    }
  }
  if (res.limits && !Object.keys(res.limits).length) delete res.limits;
  if (res.requests && !Object.keys(res.requests).length) delete res.requests;
  const out: string[] = [];
  if (setRequests.length) out.push(`${setRequests.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setLimits.length) out.push(`${setLimits.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return out;
}

export function applyPodDefaults(pod: KubeObject, limitItems: LimitRangeItem[]): void {
  const defaults = { limits: {} as ResourceList, requests: {} as ResourceList };
  for (const it of limitItems) {
    if (it.type !== 'Container') continue;
    const d = containerDefaults(it);
    Object.assign(defaults.limits, d.limits);
    Object.assign(defaults.requests, d.requests);
  }
  if (!Object.keys(defaults.limits).length && !Object.keys(defaults.requests).length) return;
  const spec = (pod.spec ?? {}) as PodSpec;
  const notes: string[] = [];
  for (const c of spec.containers ?? []) notes.push(...mergeContainer(c, defaults, 'container'));
  for (const c of spec.initContainers ?? []) notes.push(...mergeContainer(c, defaults, 'init container'));
  if (notes.length) pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
}

function minConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = qty(enforced);
  if (!e) return undefined;
  if (req[name] === undefined) return `minimum ${name} usage per ${type} is ${e}.  No request is specified`;
  const r = qty(req[name]);
  if (r && r.cmp(e) < 0) return `minimum ${name} usage per ${type} is ${e}, but request is ${r}`;
  const l = qty(lim[name]);
  if (l && l.cmp(e) < 0) return `minimum ${name} usage per ${type} is ${e}, but limit is ${l}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = qty(enforced);
  if (!e) return undefined;
  if (lim[name] === undefined) return `maximum ${name} usage per ${type} is ${e}.  No limit is specified`;
  const l = qty(lim[name]);
  if (l && l.cmp(e) > 0) return `maximum ${name} usage per ${type} is ${e}, but limit is ${l}`;
  const r = qty(req[name]);
  if (r && r.cmp(e) > 0) return `maximum ${name} usage per ${type} is ${e}, but request is ${r}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: string, req: ResourceList): string | undefined {
  const e = qty(enforced);
  if (!e) return undefined;
  if (req[name] === undefined) return `maximum ${name} usage per ${type} is ${e}.  No request is specified`;
  const r = qty(req[name]);
  if (r && r.cmp(e) > 0) return `maximum ${name} usage per ${type} is ${e}, but request is ${r}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: string, req: ResourceList, lim: ResourceList): string | undefined {
  const e = qty(enforced);
  if (!e) return undefined;
  const r = qty(req[name]);
  const l = qty(lim[name]);
  if (!r || r.isZero()) return `${name} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (!l || l.isZero()) return `${name} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const ratio = Number(l.nanos) / Number(r.nanos);
  if (ratio * 1e9 > Number(e.nanos)) return `${name} max limit to request ratio per ${type} is ${e}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkItem(it: LimitRangeItem, type: string, req: ResourceList, lim: ResourceList, out: string[]): void {
  const push = (m: string | undefined) => m && out.push(m);
  for (const [k, v] of Object.entries(it.min ?? {})) push(minConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(it.max ?? {})) push(maxConstraint(type, k, v, req, lim));
  for (const [k, v] of Object.entries(it.maxLimitRequestRatio ?? {})) push(ratioConstraint(type, k, v, req, lim));
}

function toList(m: Map<string, Quantity>): ResourceList {
  return Object.fromEntries([...m].map(([k, v]) => [k, v.toString()]));
}

/** Upstream's messages for every violated constraint, in item order. */
export function podViolations(pod: KubeObject, limitItems: LimitRangeItem[]): string[] {
  const spec = (pod.spec ?? {}) as PodSpec;
  const out: string[] = [];
  for (const it of limitItems) {
    if (it.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        checkItem(it, 'Container', c.resources?.requests ?? {}, c.resources?.limits ?? {}, out);
      }
    } else if (it.type === 'Pod') {
      checkItem(it, 'Pod', toList(podResources(spec, 'requests')), toList(podResources(spec, 'limits')), out);
    }
  }
  return out;
}

export function pvcViolations(pvc: KubeObject, limitItems: LimitRangeItem[]): string[] {
  const req = ((pvc.spec as { resources?: { requests?: ResourceList } } | undefined)?.resources?.requests) ?? {};
  const out: string[] = [];
  for (const it of limitItems) {
    if (it.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of Object.entries(it.min ?? {})) {
      const m = minConstraint('PersistentVolumeClaim', k, v, req, {});
      if (m) out.push(m);
    }
    for (const [k, v] of Object.entries(it.max ?? {})) {
      const m = maxRequestConstraint('PersistentVolumeClaim', k, v, req);
      if (m) out.push(m);
    }
  }
  return out;
}

function applies(a: AdmissionAttributes): 'pod' | 'pvc' | undefined {
  if (a.subresource || a.rt.group !== '' || !a.object) return undefined;
  if (a.rt.plural === 'pods') return a.operation === 'CREATE' ? 'pod' : undefined;
  if (a.rt.plural === 'persistentvolumeclaims') return a.operation === 'CREATE' || a.operation === 'UPDATE' ? 'pvc' : undefined;
  return undefined;
}

export function limitRanger(reader: CachedReader): AdmissionPlugin {
  const itemsOf = async (a: AdmissionAttributes) => items(await reader.list(LIMIT_RANGES, a.namespace));
  return {
    name: 'LimitRanger',
    async admit(a: AdmissionAttributes) {
      if (applies(a) !== 'pod') return;
      applyPodDefaults(a.object!, await itemsOf(a));
    },
    async validate(a: AdmissionAttributes) {
      const kind = applies(a);
      if (!kind) return;
      const limitItems = await itemsOf(a);
      if (!limitItems.length) return;
      const errs = kind === 'pod' ? podViolations(a.object!, limitItems) : pvcViolations(a.object!, limitItems);
      if (errs.length) throw admissionForbidden(a, aggregateMessage(errs));
    },
  };
}
