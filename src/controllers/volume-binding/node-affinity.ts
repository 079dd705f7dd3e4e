/** Whether a PersistentVolume's required nodeAffinity admits a node (upstream CheckNodeAffinity). */
import type { KubeObject } from '../../api/object.js';

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface Term {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

function matches(r: Requirement, value: string | undefined): boolean {
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && vals.includes(value);
    case 'NotIn':
      return value === undefined || !vals.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return r.operator === 'Gt' ? Number(value) > Number(vals[0]) : Number(value) < Number(vals[0]);
    }
    default:
      return false;
  }
}

export function volumeFitsNode(pv: KubeObject, node: KubeObject | undefined, nodeName: string): boolean {
  const terms = ((pv.spec ?? {}) as { nodeAffinity?: { required?: { nodeSelectorTerms?: Term[] } } }).nodeAffinity?.required?.nodeSelectorTerms;
  if (!terms?.length) return true;
  const labels = node?.metadata.labels ?? {};
  return terms.some(
    (t) =>
      (t.matchExpressions?.length || t.matchFields?.length) &&
      (t.matchExpressions ?? []).every((r) => matches(r, labels[r.key])) &&
      (t.matchFields ?? []).every((r) => r.key === 'metadata.name' && matches(r, nodeName)),
  );
}
