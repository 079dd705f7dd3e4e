/**
 * What a write asks of a ResourceQuota (upstream pkg/quota/v1/evaluator/core and the quota
 * admission's checkRequest): which quota resources an object's evaluator knows, its usage,
 * scope matching, and the per-container "must specify" constraint on cpu and memory.
 */
import type { KubeObject } from '../../api/object.js';
import { qosClass } from '../../api/pod-qos.js';
import { parseQuantity, Quantity } from '../../api/quantity.js';
import { countUsage, LEGACY_COUNT_NAMES, podUsage, pvcUsage, serviceUsage, type Usage } from '../../controllers/resourcequota/usage.js';

export type ResourceList = Record<string, string>;

export interface Quota extends KubeObject {
  spec?: { hard?: ResourceList; scopes?: string[]; scopeSelector?: { matchExpressions?: ScopeRequirement[] } };
  status?: { hard?: ResourceList; used?: ResourceList };
}

interface ScopeRequirement {
  scopeName: string;
  operator: string;
  values?: string[];
}

const POD_COMPUTE = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
/** Quota on these makes every container state them (upstream's backward-compatibility rule). */
const MUST_SPECIFY = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

export interface Evaluator {
  /** Whether `name` (a quota resource) is tracked by this evaluator. */
  handles(name: string): boolean;
  usage(obj: KubeObject, now: number): Usage;
  /** Whether the quota's scopes select this object. */
  matchesScopes(q: Quota, obj: KubeObject): boolean;
}

function scopeRequirements(q: Quota): ScopeRequirement[] {
  return [
    ...(q.spec?.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists' })),
    ...(q.spec?.scopeSelector?.matchExpressions ?? []),
  ];
}

function noScopes(q: Quota): boolean {
  return scopeRequirements(q).length === 0;
}

export function podMatchesScope(pod: KubeObject, r: ScopeRequirement): boolean {
  const spec = (pod.spec ?? {}) as { activeDeadlineSeconds?: number; priorityClassName?: string; affinity?: { podAffinity?: unknown; podAntiAffinity?: unknown } };
  switch (r.scopeName) {
    case 'Terminating':
      return typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0;
    case 'NotTerminating':
      return !(typeof spec.activeDeadlineSeconds === 'number' && spec.activeDeadlineSeconds >= 0);
    case 'BestEffort':
      return qosClass(spec as Parameters<typeof qosClass>[0]) === 'BestEffort';
    case 'NotBestEffort':
      return qosClass(spec as Parameters<typeof qosClass>[0]) !== 'BestEffort';
    case 'PriorityClass': {
      const name = spec.priorityClassName ?? '';
      if (r.operator === 'Exists') return name !== '';
      if (r.operator === 'DoesNotExist') return name === '';
      const inValues = (r.values ?? []).includes(name);
      return r.operator === 'In' ? inValues : !inValues;
    }
    default:
      return false;
  }
}

const podEvaluator: Evaluator = {
  handles: (n) => n === 'pods' || n === 'count/pods' || POD_COMPUTE.has(n) || n.startsWith('requests.'),
  usage: podUsage,
  matchesScopes: (q, pod) => scopeRequirements(q).every((r) => podMatchesScope(pod, r)),
};

const serviceEvaluator: Evaluator = {
  handles: (n) => ['services', 'count/services', 'services.nodeports', 'services.loadbalancers'].includes(n),
  usage: serviceUsage,
  matchesScopes: noScopes,
};

const pvcEvaluator: Evaluator = {
  handles: (n) => ['persistentvolumeclaims', 'count/persistentvolumeclaims', 'requests.storage'].includes(n) || n.includes('.storageclass.storage.k8s.io/'),
  usage: pvcUsage,
  matchesScopes: noScopes,
};

function countEvaluator(plural: string, group: string): Evaluator {
  const names = new Set([group ? `count/${plural}.${group}` : `count/${plural}`]);
  if (!group && LEGACY_COUNT_NAMES[plural]) names.add(LEGACY_COUNT_NAMES[plural]);
  return { handles: (n) => names.has(n), usage: () => countUsage(plural, group), matchesScopes: noScopes };
}

export function evaluatorFor(group: string, plural: string): Evaluator {
  if (group === '' && plural === 'pods') return podEvaluator;
  if (group === '' && plural === 'services') return serviceEvaluator;
  if (group === '' && plural === 'persistentvolumeclaims') return pvcEvaluator;
  return countEvaluator(plural, group);
}

export function quantity(s: string | undefined): Quantity | undefined {
  if (s === undefined) return undefined;
  const p = parseQuantity(String(s));
  return p.ok ? p.quantity : undefined;
}

export function subtract(a: Usage, b: Usage): Usage {
  const out: Usage = new Map(a);
  for (const [k, v] of b) {
    const cur = out.get(k) ?? new Quantity(0n, v.format);
    out.set(k, new Quantity(cur.nanos - v.nanos, cur.format));
  }
  return out;
}

/** Upstream's prettyPrint of a ResourceList: `k=v` sorted by name, comma-separated. */
export function prettyPrint(list: Map<string, string>): string {
  return [...list.keys()].sort().map((k) => `${k}=${list.get(k)}`).join(',');
}

/** The "must specify" error for containers lacking a constrained request or limit, or undefined. */
export function podConstraintError(pod: KubeObject, matching: string[]): string | undefined {
  const required = matching.filter((n) => MUST_SPECIFY.has(n));
  if (!required.length) return undefined;
  type C = { name?: string; resources?: { requests?: ResourceList; limits?: ResourceList } };
  const spec = (pod.spec ?? {}) as { containers?: C[]; initContainers?: C[] };
  const missing = new Map<string, Set<string>>();
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (c.resources?.requests?.[r] !== undefined) has.add(r).add(`requests.${r}`);
      if (c.resources?.limits?.[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of required) if (!has.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name ?? '');
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
