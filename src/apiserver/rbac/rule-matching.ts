/**
 * Whether a policy rule allows a request (upstream rbac.RuleAllows) and whether one set of
 * rules covers another (upstream validation.Covers, the escalation check).
 */
import type { Attributes } from '../authz/types.js';
import type { PolicyRule } from './types.js';

const has = (list: readonly string[] | undefined, v: string) => list !== undefined && list.includes(v);

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, '*') || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, '*') || has(rule.apiGroups, group);
}

/** `pods/log` matches `pods/log`, `*` and `*\/log`; a bare `pods` rule does not reach subresources. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

/** A trailing `*` matches any path with that prefix. */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  if (a.resourceRequest) {
    return verbMatches(rule, a.verb) && apiGroupMatches(rule, a.apiGroup) && resourceMatches(rule, a.resource, a.subresource) && resourceNameMatches(rule, a.name);
  }
  return verbMatches(rule, a.verb) && nonResourceURLMatches(rule, a.path);
}

export function rulesAllow(a: Attributes, rules: readonly PolicyRule[]): boolean {
  for (const r of rules) if (ruleAllows(a, r)) return true;
  return false;
}

/** Splits a rule into rules of one verb, group, resource and name (or one verb and URL). */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        const names = rule.resourceNames ?? [];
        if (names.length === 0) out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        for (const n of names) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [n] });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  return out;
}

function coversResource(owner: PolicyRule, resource: string): boolean {
  const rs = owner.resources ?? [];
  if (rs.includes('*') || rs.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash >= 0 && rs.includes(`*${resource.slice(slash)}`);
}

function coversURL(owner: PolicyRule, url: string): boolean {
  return (owner.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1))));
}

/** Does `owner` hold everything the single-valued rule `sub` (from breakdownRule) grants? */
function ruleCovers(owner: PolicyRule, sub: PolicyRule): boolean {
  if (!sub.verbs.every((v) => has(owner.verbs, '*') || has(owner.verbs, v))) return false;
  if (sub.nonResourceURLs?.length) return sub.nonResourceURLs.every((u) => coversURL(owner, u));
  if (!(sub.apiGroups ?? []).every((g) => has(owner.apiGroups, '*') || has(owner.apiGroups, g))) return false;
  if (!(sub.resources ?? []).every((r) => coversResource(owner, r))) return false;
  const ownerNames = owner.resourceNames ?? [];
  return ownerNames.length === 0 || (sub.resourceNames ?? []).length > 0 && (sub.resourceNames ?? []).every((n) => ownerNames.includes(n));
}

/** The parts of `servant` no rule of `owner` covers (empty: fully covered). */
export function uncoveredRules(owner: readonly PolicyRule[], servant: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of servant) {
    for (const sub of breakdownRule(rule)) if (!owner.some((o) => ruleCovers(o, sub))) missing.push(sub);
  }
  return missing;
}

const goQuoted = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** Upstream's CompactString: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function compactRuleString(r: PolicyRule): string {
  const parts: string[] = [];
  if (r.apiGroups?.length) parts.push(`APIGroups:${goQuoted(r.apiGroups)}`);
  if (r.resources?.length) parts.push(`Resources:${goQuoted(r.resources)}`);
  if (r.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoted(r.nonResourceURLs)}`);
  if (r.resourceNames?.length) parts.push(`ResourceNames:${goQuoted(r.resourceNames)}`);
  if (r.verbs.length) parts.push(`Verbs:${goQuoted(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
