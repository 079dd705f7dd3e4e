/**
 * Upstream's audit policy (audit.k8s.io/v1 Policy): rules are tried in order and the first
 * that matches gives the level; no match means level None (nothing is logged).
 */
import { parse } from 'yaml';
import { SkiffError } from '../../base/errors.js';
import type { Attributes } from '../authz/types.js';

export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
}

export interface Policy {
  apiVersion: string;
  kind: 'Policy';
  rules: PolicyRule[];
  omitStages?: Stage[];
}

export class AuditPolicyError extends SkiffError {
  constructor(message: string) {
    super('AuditPolicy', message);
  }
}

const LEVELS: Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** YAML or JSON; audit.k8s.io/v1 (v1beta1 files read the same for these fields). */
export function parsePolicy(text: string): Policy {
  let p: Policy;
  try {
    p = parse(text) as Policy;
  } catch (err) {
    throw new AuditPolicyError(`audit policy is not YAML: ${(err as Error).message}`);
  }
  if (p?.kind !== 'Policy' || !/^audit\.k8s\.io\//.test(String(p.apiVersion))) throw new AuditPolicyError('audit policy must be kind Policy, apiVersion audit.k8s.io/v1');
  if (!Array.isArray(p.rules) || p.rules.length === 0) throw new AuditPolicyError('audit policy has no rules');
  for (const [i, r] of p.rules.entries()) {
    if (!LEVELS.includes(r.level)) throw new AuditPolicyError(`rules[${i}].level: unsupported value ${JSON.stringify(r.level)}`);
    if (r.nonResourceURLs && (r.resources || r.namespaces)) throw new AuditPolicyError(`rules[${i}]: rules cannot apply to both regular resources and non-resource URLs`);
  }
  return p;
}

export interface Decision {
  level: Level;
  omitStages: Stage[];
}

export function decide(policy: Policy, a: Attributes): Decision {
  for (const r of policy.rules) {
    if (matches(r, a)) return { level: r.level, omitStages: [...(policy.omitStages ?? []), ...(r.omitStages ?? [])] };
  }
  return { level: 'None', omitStages: [] };
}

function matches(r: PolicyRule, a: Attributes): boolean {
  if (r.users?.length && !r.users.includes(a.user.name)) return false;
  if (r.userGroups?.length && !r.userGroups.some((g) => a.user.groups.includes(g))) return false;
  if (r.verbs?.length && !r.verbs.includes(a.verb)) return false;
  if (!r.namespaces?.length && !r.resources?.length && !r.nonResourceURLs?.length) return true;
  if (a.resourceRequest) {
    if (r.nonResourceURLs?.length) return false;
    // An empty string in namespaces matches cluster-scoped requests.
    if (r.namespaces?.length && !r.namespaces.includes(a.namespace)) return false;
    if (r.resources?.length && !r.resources.some((gr) => matchesResource(gr, a))) return false;
    return true;
  }
  if (!r.nonResourceURLs?.length) return false;
  return r.nonResourceURLs.some((u) => u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
}

/** `pods`, `pods/log`, `pods/*` (every subresource) and `*​/scale` (scale of anything). */
function matchesResource(gr: GroupResources, a: Attributes): boolean {
  if ((gr.group ?? '') !== a.apiGroup && gr.group !== '*') return false;
  if (gr.resourceNames?.length && !gr.resourceNames.includes(a.name)) return false;
  if (!gr.resources?.length) return true;
  const full = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return gr.resources.some((res) => {
    if (res === '*' || res === full) return true;
    if (res === `${a.resource}/*`) return a.subresource !== '';
    if (res === `*/${a.subresource}`) return a.subresource !== '';
    return false;
  });
}

export function levelAtLeast(l: Level, min: Level): boolean {
  return LEVELS.indexOf(l) >= LEVELS.indexOf(min);
}
