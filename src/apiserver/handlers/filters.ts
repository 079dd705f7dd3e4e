/** Label and field selector filtering of objects (with upstream's per-resource fields). */
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../api/resource-type.js';
import { badRequest } from '../../api/status.js';
import { matchesLabels, parseLabelSelector, type LabelSelector } from '../../api/selectors/label-selector.js';
import { matchesFields, parseFieldSelector, type FieldRequirement } from '../../api/selectors/field-selector.js';

export interface Filter {
  labels: LabelSelector;
  fields: FieldRequirement[];
  /** True when nothing is filtered. */
  everything: boolean;
  matches(obj: KubeObject): boolean;
  /** The `metadata.name=` value if the selector pins one name (single-object watches). */
  name?: string;
}

export function buildFilter(rt: ResourceType, query: URLSearchParams): Filter {
  let labels: LabelSelector;
  let fields: FieldRequirement[];
  try {
    labels = parseLabelSelector(query.get('labelSelector') ?? '');
  } catch (err) {
    throw badRequest(`unable to parse requirement: ${(err as Error).message}`);
  }
  try {
    fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const extra = rt.fieldSelectors ?? {};
  for (const f of fields) {
    if (f.field !== 'metadata.name' && f.field !== 'metadata.namespace' && !extra[f.field]) {
      // Kinds with their own field conversion say "not supported"; the others list the two defaults.
      throw badRequest(
        Object.keys(extra).length
          ? `field label not supported: ${f.field}`
          : `"${f.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
  }
  const get = (obj: KubeObject) => (field: string): string | undefined => {
    if (field === 'metadata.name') return obj.metadata.name ?? '';
    if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
    return extra[field]?.(obj);
  };
  const everything = labels.length === 0 && fields.length === 0;
  const pinned = fields.find((f) => f.field === 'metadata.name' && f.op === '=');
  return {
    labels,
    fields,
    everything,
    name: pinned?.value,
    matches: (obj) => everything || (matchesLabels(labels, obj.metadata.labels) && matchesFields(fields, get(obj))),
  };
}
