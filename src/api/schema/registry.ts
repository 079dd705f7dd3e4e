/**
 * The built-in type registry: upstream definitions derived from kubernetes-models at first
 * use, plus the patch and list metadata skiff carries itself.
 *
 * Loading reads ~1,800 small files (about 0.2 s), so it happens on the first question, not
 * at import. The loaded definitions are deep-frozen: every registry shares one copy and no
 * caller can change what another sees.
 */
import { loadModelDefinitions } from './models-source.js';
import { applyPatchMetadata } from './patch-metadata.js';
import type { GroupVersionKind, Schema, TypeRegistry } from './types.js';

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const refPrefix = '#/components/schemas/';

/** meta/v1 kinds that every group-version serves under its own apiVersion. */
const sharedMetaKinds: Record<string, string> = {
  Status: `${metaV1}.Status`,
  DeleteOptions: `${metaV1}.DeleteOptions`,
  WatchEvent: `${metaV1}.WatchEvent`,
  APIResourceList: `${metaV1}.APIResourceList`,
};

interface Loaded {
  definitions: Record<string, Schema>;
  byGVK: Map<string, string>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  const definitions = loadModelDefinitions();
  applyPatchMetadata(definitions);
  describeTypeMeta(definitions);
  const status = definitions[`${metaV1}.Status`];
  if (status && !status['x-kubernetes-group-version-kind']) {
    status['x-kubernetes-group-version-kind'] = [{ group: '', version: 'v1', kind: 'Status' }];
  }
  const byGVK = new Map<string, string>();
  for (const [name, schema] of Object.entries(definitions)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) byGVK.set(gvkKey(gvk), name);
  }
  loaded = { definitions: deepFreeze(definitions), byGVK };
  return loaded;
}

/** kubernetes-models leaves the literal apiVersion/kind of kinds undocumented; upstream does not. */
function describeTypeMeta(definitions: Record<string, Schema>): void {
  const source = definitions[`${metaV1}.DeleteOptions`]?.properties ?? {};
  for (const schema of Object.values(definitions)) {
    if (!schema['x-kubernetes-group-version-kind']) continue;
    for (const field of ['apiVersion', 'kind']) {
      const prop = schema.properties?.[field];
      const description = source[field]?.description;
      if (prop && !prop.description && description) schema.properties![field] = { description, ...prop };
    }
  }
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export function createTypeRegistry(): TypeRegistry {
  const definitionNameFor = (gvk: GroupVersionKind): string | undefined =>
    load().byGVK.get(gvkKey(gvk)) ?? sharedMetaKinds[gvk.kind];
  const resolve = (schema: Schema): Schema => {
    let current = schema;
    for (let hops = 0; hops < 32; hops++) {
      if (current.$ref?.startsWith(refPrefix)) {
        const target = load().definitions[current.$ref.slice(refPrefix.length)];
        if (!target) return current;
        current = target;
      } else if (current.allOf?.length === 1 && !current.properties) {
        current = current.allOf[0];
      } else {
        return current;
      }
    }
    return current;
  };
  return {
    definitions: () => load().definitions,
    definitionNameFor,
    schemaFor: (gvk) => {
      const name = definitionNameFor(gvk);
      return name === undefined ? undefined : load().definitions[name];
    },
    resolve,
  };
}
