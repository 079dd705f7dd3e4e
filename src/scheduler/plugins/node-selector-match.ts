/** Matching nodes against NodeSelectorTerms (upstream component-helpers nodeaffinity). */
import type { Node, NodeSelectorRequirement, NodeSelectorTerm } from '../framework/api-types.js';

/** Terms are ORed; an empty term (no expressions, no fields) matches nothing. */
export function matchesNodeSelectorTerms(node: Node, terms: readonly NodeSelectorTerm[]): boolean {
  for (const t of terms) if (matchesTerm(node, t)) return true;
  return false;
}

export function matchesTerm(node: Node, t: NodeSelectorTerm): boolean {
  const exprs = t.matchExpressions ?? [];
  const fields = t.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  for (const r of exprs) if (!matchesRequirement(r, labels)) return false;
  for (const r of fields) {
    // Only metadata.name is a supported field, and only In/NotIn with one value make sense.
    if (r.key !== 'metadata.name') return false;
    if (!matchesRequirement(r, { 'metadata.name': node.metadata.name ?? '' })) return false;
  }
  return true;
}

export function matchesRequirement(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v!);
    case 'NotIn':
      return !has || !values.includes(v!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || values.length !== 1) return false;
      const a = parseIntStrict(v!);
      const b = parseIntStrict(values[0]!);
      if (a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

function parseIntStrict(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** Node names a required term list pins the pod to via `matchFields metadata.name In`, if every term does. */
export function nodeNamesFromTerms(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const t of terms) {
    const names = (t.matchFields ?? []).filter((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (names.length === 0) return undefined;
    // Several In requirements in one term intersect.
    let set = new Set(names[0]!.values ?? []);
    for (const n of names.slice(1)) set = new Set([...set].filter((x) => (n.values ?? []).includes(x)));
    for (const x of set) out.add(x);
  }
  return out;
}
