/**
 * Discovery documents built from the resource table: legacy (/api, /apis, /apis/G,
 * /api/v1, /apis/G/V) and aggregated (apidiscovery.k8s.io v2 and v2beta1).
 */
import type { ResourceTable } from '../api/resources/table.js';
import type { ResourceType } from '../api/resource-type.js';

export interface ServerAddress {
  clientCIDR: string;
  serverAddress: string;
}

export function apiVersions(addr: ServerAddress): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [addr] };
}

function groupVersions(group: string, versions: string[]) {
  return {
    name: group,
    versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

export function apiGroupList(table: ResourceTable): object {
  const groups = [...table.groups()].filter(([g]) => g !== '').map(([g, vs]) => groupVersions(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(table: ResourceTable, group: string): object | undefined {
  const vs = table.groups().get(group);
  if (!vs || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupVersions(group, vs) };
}

function resourcesOf(table: ResourceTable, group: string, version: string): ResourceType[] {
  return table.all().filter((r) => r.group === group && r.version === version);
}

export function apiResourceList(table: ResourceTable, group: string, version: string): object | undefined {
  const rows = resourcesOf(table, group, version);
  if (!rows.length) return undefined;
  const resources: object[] = [];
  for (const r of rows) {
    const main: Record<string, unknown> = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames.length) main.shortNames = r.shortNames;
    if (r.categories.length) main.categories = r.categories;
    if (r.storageVersionHash) main.storageVersionHash = r.storageVersionHash;
    resources.push(main);
    for (const s of r.subresources) {
      const sub: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      sub.kind = s.kind;
      sub.verbs = s.verbs;
      resources.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function aggregatedResource(r: ResourceType): object {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out.shortNames = r.shortNames;
  if (r.categories.length) out.categories = r.categories;
  if (r.subresources.length) {
    out.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return out;
}

/** Aggregated discovery: `/api` holds the core group only, `/apis` every other group. */
export function aggregatedDiscovery(table: ResourceTable, core: boolean, version: 'v2' | 'v2beta1'): object {
  const items: object[] = [];
  for (const [group, versions] of table.groups()) {
    if ((group === '') !== core) continue;
    items.push({
      metadata: { name: group, creationTimestamp: null },
      versions: versions.map((v) => ({
        version: v,
        resources: resourcesOf(table, group, v).map(aggregatedResource),
        freshness: 'Current',
      })),
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
