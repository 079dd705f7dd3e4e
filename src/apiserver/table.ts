/** Server-side printing: objects → meta.k8s.io Table (apiserver pkg/endpoints/handlers/response.go). */
import type { KubeObject } from '../api/object.js';
import type { Printer, ResourceType } from '../api/resource-type.js';
import { defaultPrinter } from '../api/printers/index.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function printerFor(rt: ResourceType): Printer {
  return rt.printer ?? defaultPrinter;
}

export function partialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): object {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export function tableRows(rt: ResourceType, objs: KubeObject[], include: IncludeObject, now: number): object[] {
  const p = printerFor(rt);
  return objs.map((obj) => {
    const row: Record<string, unknown> = { cells: p.row(obj, now) };
    if (include === 'Object') row.object = obj;
    else if (include === 'Metadata') row.object = partialObjectMetadata(obj);
    return row;
  });
}

export function toTable(
  rt: ResourceType,
  objs: KubeObject[],
  opts: { include: IncludeObject; version: 'v1' | 'v1beta1'; now: number; listMeta?: Record<string, unknown>; noHeaders?: boolean },
): object {
  const p = printerFor(rt);
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.listMeta ?? {},
    columnDefinitions: opts.noHeaders ? [] : p.columns.map((c) => ({ ...c, format: c.format ?? '', description: c.description ?? '' })),
    rows: tableRows(rt, objs, opts.include, opts.now),
  };
}

export function includeObjectParam(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
