/**
 * Which webhooks a request is sent to (upstream apiserver pkg/admission/plugin/webhook/
 * predicates): rules (operations, apiGroups, apiVersions, resources incl. subresources,
 * scope), matchPolicy, namespaceSelector and objectSelector.
 */
import type { KubeObject } from '../../../api/object.js';
import { fromLabelSelectorObject, matchesLabels, type LabelSelectorObject } from '../../../api/selectors/label-selector.js';
import type { AdmissionAttributes } from '../types.js';

export interface RuleWithOperations {
  operations?: string[];
  apiGroups?: string[];
  apiVersions?: string[];
  resources?: string[];
  scope?: string;
}

export interface Webhook {
  name: string;
  clientConfig: { url?: string; caBundle?: string; service?: { namespace: string; name: string; path?: string; port?: number } };
  rules?: RuleWithOperations[];
  failurePolicy?: 'Fail' | 'Ignore';
  matchPolicy?: 'Exact' | 'Equivalent';
  namespaceSelector?: LabelSelectorObject;
  objectSelector?: LabelSelectorObject;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[];
  reinvocationPolicy?: 'Never' | 'IfNeeded';
}

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === '*' || x === v);

function resourceMatches(patterns: string[] | undefined, resource: string, sub: string | undefined): boolean {
  return (patterns ?? []).some((p) => {
    const [pr, ps] = p.split('/', 2);
    if (ps === undefined) return !sub && (pr === '*' || pr === resource);
    return (pr === '*' || pr === resource) && (ps === '*' ? !!sub : ps === sub);
  });
}

function scopeMatches(scope: string | undefined, a: AdmissionAttributes): boolean {
  if (!scope || scope === '*') return true;
  // Namespaces are cluster-scoped objects even though their requests carry a namespace name.
  const namespaced = a.rt.namespaced;
  return scope === 'Namespaced' ? namespaced : !namespaced;
}

export function ruleMatches(rule: RuleWithOperations, a: AdmissionAttributes, anyVersion: boolean): boolean {
  return (
    has(rule.operations, a.operation) &&
    has(rule.apiGroups, a.rt.group) &&
    (anyVersion || has(rule.apiVersions, a.rt.version)) &&
    resourceMatches(rule.resources, a.rt.plural, a.subresource) &&
    scopeMatches(rule.scope, a)
  );
}

/**
 * Rules match exactly, or (matchPolicy Equivalent, the default) in any version of the same
 * group and resource: skiff serves each resource in one version, so equivalence reduces to that.
 */
export function rulesMatch(w: Webhook, a: AdmissionAttributes): boolean {
  const rules = w.rules ?? [];
  if (rules.some((r) => ruleMatches(r, a, false))) return true;
  return (w.matchPolicy ?? 'Equivalent') === 'Equivalent' && rules.some((r) => ruleMatches(r, a, true));
}

function selectorMatches(sel: LabelSelectorObject | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return true;
  return matchesLabels(fromLabelSelectorObject(sel), labels ?? {});
}

export function objectSelectorMatches(w: Webhook, a: AdmissionAttributes): boolean {
  if (!w.objectSelector) return true;
  return [a.object, a.oldObject].some((o) => o && selectorMatches(w.objectSelector, o.metadata.labels));
}

/** `namespace` is the request's namespace object (undefined for cluster-scoped requests). */
export function namespaceSelectorMatches(w: Webhook, a: AdmissionAttributes, namespace: KubeObject | undefined): boolean {
  if (!w.namespaceSelector) return true;
  if (a.rt.group === '' && a.rt.plural === 'namespaces') {
    const o = a.object ?? a.oldObject;
    return selectorMatches(w.namespaceSelector, o?.metadata.labels);
  }
  if (!a.rt.namespaced) return true;
  return selectorMatches(w.namespaceSelector, namespace?.metadata.labels);
}

/** Webhook configurations are never sent to webhooks, so a bad webhook cannot lock itself in. */
export function isExempt(a: AdmissionAttributes): boolean {
  return a.rt.group === 'admissionregistration.k8s.io';
}
