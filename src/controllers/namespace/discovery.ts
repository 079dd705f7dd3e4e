/**
 * Server discovery as the namespace deleter and garbage collector need it (client-go
 * discovery.ServerPreferredResources): every top-level resource with its verbs and scope.
 * A group that fails to answer is reported in `failedGroups` and the rest is still returned,
 * so one broken aggregated API never stops namespace deletion or garbage collection.
 */
import type { ApiClient } from '../../client/client.js';
import { apiVersionOfRef, type ResourceRef } from '../../client/resources.js';

export interface DiscoveredResource extends ResourceRef {
  verbs: string[];
}

export interface Discovery {
  /** Resources of each group's preferred version (what informers and deleters use). */
  preferred: DiscoveredResource[];
  /** `apiVersion/Kind` → resource, over every served version (owner references may name any). */
  byKind: Map<string, DiscoveredResource>;
  /** groupVersion → error message. */
  failedGroups: Map<string, string>;
}

interface ApiResourceList {
  resources?: { name: string; namespaced: boolean; kind: string; verbs?: string[] }[];
}

interface GroupList {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

export async function discover(client: ApiClient): Promise<Discovery> {
  const result: Discovery = { preferred: [], byKind: new Map(), failedGroups: new Map() };
  const versions: { group: string; version: string; preferred: boolean }[] = [];
  const core = (await client.raw('GET', '/api')) as { versions?: string[] };
  for (const [i, v] of (core.versions ?? ['v1']).entries()) versions.push({ group: '', version: v, preferred: i === 0 });
  const groups = (await client.raw('GET', '/apis')) as GroupList;
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) versions.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  await Promise.all(
    versions.map(async ({ group, version, preferred }) => {
      const gv = apiVersionOfRef({ group, version });
      let list: ApiResourceList;
      try {
        list = (await client.raw('GET', group ? `/apis/${gv}` : `/api/${version}`)) as ApiResourceList;
      } catch (err) {
        result.failedGroups.set(gv, err instanceof Error ? err.message : String(err));
        return;
      }
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources
        const res: DiscoveredResource = { group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] };
        if (preferred) result.preferred.push(res);
        if (preferred || !result.byKind.has(kindKey(gv, r.kind))) result.byKind.set(kindKey(gv, r.kind), res);
      }
    }),
  );
  result.preferred.sort((a, b) => (a.group + '/' + a.resource).localeCompare(b.group + '/' + b.resource));
  return result;
}

export function supportsVerbs(r: DiscoveredResource, ...verbs: string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}
