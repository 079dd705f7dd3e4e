/**
 * The REST operations a resource row implies, in upstream's shape: which paths exist, the
 * operationId (`listCoreV1NamespacedPod`), `x-kubernetes-action`, the GVK the operation is
 * about, parameters, and body/response definitions. v2 and v3 render this same model.
 */
import type { ResourceType, SubresourceType } from '../../api/resource-type.js';
import type { GroupVersionKind, TypeRegistry } from '../../api/schema/types.js';
import * as params from './parameters.js';
import type { Parameter } from './parameters.js';

export type Action = 'get' | 'list' | 'put' | 'patch' | 'post' | 'delete' | 'deletecollection' | 'watch' | 'watchlist';

/** A body or response: a definition name, `undefined` for a schemaless object, or plain text. */
export type Payload = { definition: string | undefined } | { text: true };

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  operationId: string;
  action?: Action;
  gvk?: GroupVersionKind;
  tag: string;
  description: string;
  parameters: Parameter[];
  body?: Payload;
  /** Patch bodies are `meta/v1 Patch` in every patch content type. */
  patch?: boolean;
  responses: { code: string; payload?: Payload }[];
  /** Streams watch events instead of returning one document. */
  watch?: boolean;
}

export interface PathItem {
  path: string;
  parameters: Parameter[];
  operations: Operation[];
}

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const statusDef = `${metaV1}.Status`;
const deleteOptionsDef = `${metaV1}.DeleteOptions`;
const watchEventDef = `${metaV1}.WatchEvent`;

/** URL prefix of a group-version: `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** `apps` → `Apps`, `rbac.authorization.k8s.io` → `RbacAuthorization`, core → `Core`. */
export function groupIdentifier(group: string): string {
  if (!group) return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split(/[.-]/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`. */
export function tagOf(group: string, version: string): string {
  const id = groupIdentifier(group);
  return `${id[0].toLowerCase()}${id.slice(1)}_${version}`;
}

/** The discovery operation of a group-version (`GET /apis/apps/v1/`). */
export function apiResourcesPath(group: string, version: string): PathItem {
  const id = groupIdentifier(group) + capitalize(version);
  return {
    path: `${groupVersionPath(group, version)}/`,
    parameters: [],
    operations: [
      {
        method: 'get',
        operationId: `get${id}APIResources`,
        tag: tagOf(group, version),
        description: 'get available resources',
        parameters: [],
        responses: [{ code: '200', payload: { definition: `${metaV1}.APIResourceList` } }, { code: '401' }],
      },
    ],
  };
}

export function resourcePaths(rt: ResourceType, registry: TypeRegistry): PathItem[] {
  const gvk: GroupVersionKind = { group: rt.group, version: rt.version, kind: rt.kind };
  const object: Payload = { definition: registry.definitionNameFor(gvk) };
  const list: Payload = { definition: registry.definitionNameFor({ ...gvk, kind: rt.listKind }) };
  const id = groupIdentifier(rt.group) + capitalize(rt.version);
  const scope = rt.namespaced ? 'Namespaced' : '';
  const base = groupVersionPath(rt.group, rt.version);
  const nsPath = rt.namespaced ? '/namespaces/{namespace}' : '';
  const scopeParams = rt.namespaced ? [params.namespace] : [];
  const tag = tagOf(rt.group, rt.version);
  const has = (verb: string): boolean => rt.verbs.includes(verb);
  const op = (o: Omit<Operation, 'tag' | 'gvk'> & { gvk?: GroupVersionKind }): Operation => ({ gvk, ...o, tag });
  const out: PathItem[] = [];

  const collection: Operation[] = [];
  if (has('list')) {
    collection.push(op({
      method: 'get', action: 'list', operationId: `list${id}${scope}${rt.kind}`,
      description: `list or watch objects of kind ${rt.kind}`,
      parameters: params.listParameters, responses: [ok(list), unauthorized],
    }));
  }
  if (has('create')) {
    collection.push(op({
      method: 'post', action: 'post', operationId: `create${id}${scope}${rt.kind}`,
      description: `create ${article(rt.kind)}`, parameters: params.createParameters, body: object,
      responses: [ok(object), { code: '201', payload: object }, { code: '202', payload: object }, unauthorized],
    }));
  }
  if (has('deletecollection')) {
    collection.push(op({
      method: 'delete', action: 'deletecollection', operationId: `delete${id}Collection${scope}${rt.kind}`,
      description: `delete collection of ${rt.kind}`, parameters: params.deleteCollectionParameters,
      body: { definition: deleteOptionsDef }, responses: [ok({ definition: statusDef }), unauthorized],
    }));
  }
  if (collection.length > 0) {
    out.push({ path: `${base}${nsPath}/${rt.plural}`, parameters: [...scopeParams, params.pretty], operations: collection });
  }

  const item: Operation[] = [];
  if (has('get')) {
    item.push(op({
      method: 'get', action: 'get', operationId: `read${id}${scope}${rt.kind}`,
      description: `read the specified ${rt.kind}`, parameters: [], responses: [ok(object), unauthorized],
    }));
  }
  if (has('update')) item.push(op(replace(`replace${id}${scope}${rt.kind}`, `replace the specified ${rt.kind}`, object)));
  if (has('delete')) {
    item.push(op({
      method: 'delete', action: 'delete', operationId: `delete${id}${scope}${rt.kind}`,
      description: `delete ${article(rt.kind)}`, parameters: params.deleteParameters,
      body: { definition: deleteOptionsDef },
      responses: [ok(object), { code: '202', payload: object }, unauthorized],
    }));
  }
  if (has('patch')) item.push(op(patch(`patch${id}${scope}${rt.kind}`, `partially update the specified ${rt.kind}`, object)));
  const itemParams = [params.nameOf(rt.kind), ...scopeParams, params.pretty];
  if (item.length > 0) out.push({ path: `${base}${nsPath}/${rt.plural}/{name}`, parameters: itemParams, operations: item });

  for (const sub of rt.subresources) {
    const path = subresourcePath(rt, sub, registry, { id, scope, tag, itemParams });
    if (path) out.push({ ...path, path: `${base}${nsPath}/${rt.plural}/{name}/${sub.name}` });
  }

  if (has('watch')) {
    const watchOp = (operationId: string, action: Action, description: string): Operation =>
      op({
        method: 'get', action, operationId, description, watch: true,
        parameters: [], responses: [ok({ definition: watchEventDef }), unauthorized],
      });
    const watchParams = [...params.listParameters, params.pretty];
    out.push({
      path: `${base}/watch${nsPath}/${rt.plural}`,
      parameters: [...watchParams, ...scopeParams],
      operations: [watchOp(`watch${id}${scope}${rt.kind}List`, 'watchlist', `watch individual changes to a list of ${rt.kind}`)],
    });
    out.push({
      path: `${base}/watch${nsPath}/${rt.plural}/{name}`,
      parameters: [...watchParams, params.nameOf(rt.kind), ...scopeParams],
      operations: [watchOp(`watch${id}${scope}${rt.kind}`, 'watch', `watch changes to an object of kind ${rt.kind}`)],
    });
    if (rt.namespaced) {
      out.push({
        path: `${base}/watch/${rt.plural}`,
        parameters: watchParams,
        operations: [watchOp(`watch${id}${rt.kind}ListForAllNamespaces`, 'watchlist', `watch individual changes to a list of ${rt.kind}`)],
      });
    }
  }
  if (rt.namespaced && has('list')) {
    out.push({
      path: `${base}/${rt.plural}`,
      parameters: [...params.listParameters, params.pretty],
      operations: [op({
        method: 'get', action: 'list', operationId: `list${id}${rt.kind}ForAllNamespaces`,
        description: `list or watch objects of kind ${rt.kind}`, parameters: [], responses: [ok(list), unauthorized],
      })],
    });
  }
  return out;
}

interface SubresourceContext {
  id: string;
  scope: string;
  tag: string;
  itemParams: Parameter[];
}

function subresourcePath(
  rt: ResourceType,
  sub: SubresourceType,
  registry: TypeRegistry,
  ctx: SubresourceContext,
): Omit<PathItem, 'path'> | undefined {
  const gvk: GroupVersionKind = { group: sub.group ?? rt.group, version: sub.version ?? rt.version, kind: sub.kind };
  const payload: Payload = { definition: registry.definitionNameFor(gvk) };
  const suffix = capitalize(sub.name);
  const name = `${ctx.id}${ctx.scope}${rt.kind}${suffix}`;
  const what = `${sub.name} of the specified ${rt.kind}`;
  const ops: Operation[] = [];
  const op = (o: Omit<Operation, 'tag' | 'gvk'>): Operation => ({ ...o, gvk, tag: ctx.tag });

  if (sub.name === 'log') {
    if (!sub.verbs.includes('get')) return undefined;
    ops.push(op({
      method: 'get', action: 'get', operationId: `read${name}`, description: `read log of the specified ${rt.kind}`,
      parameters: params.logParameters, responses: [{ code: '200', payload: { text: true } }, unauthorized],
    }));
    return { parameters: ctx.itemParams, operations: ops };
  }
  // Streaming subresources (exec, attach, portforward, proxy) are upgrades, not documents.
  if (['exec', 'attach', 'portforward', 'proxy'].includes(sub.name)) return undefined;

  if (sub.verbs.includes('get')) {
    ops.push(op({ method: 'get', action: 'get', operationId: `read${name}`, description: `read ${what}`, parameters: [], responses: [ok(payload), unauthorized] }));
  }
  if (sub.verbs.includes('create')) {
    ops.push(op({
      method: 'post', action: 'post', operationId: `create${name}`, description: `create ${sub.name} of ${article(rt.kind)}`,
      parameters: params.createParameters, body: payload,
      responses: [ok(payload), { code: '201', payload }, { code: '202', payload }, unauthorized],
    }));
  }
  if (sub.verbs.includes('update')) ops.push(op(replace(`replace${name}`, `replace ${what}`, payload)));
  if (sub.verbs.includes('patch')) ops.push(op(patch(`patch${name}`, `partially update ${what}`, payload)));
  return ops.length > 0 ? { parameters: ctx.itemParams, operations: ops } : undefined;
}

function replace(operationId: string, description: string, object: Payload): Omit<Operation, 'tag' | 'gvk'> {
  return {
    method: 'put', action: 'put', operationId, description, parameters: params.updateParameters, body: object,
    responses: [ok(object), { code: '201', payload: object }, unauthorized],
  };
}

function patch(operationId: string, description: string, object: Payload): Omit<Operation, 'tag' | 'gvk'> {
  return {
    method: 'patch', action: 'patch', operationId, description, parameters: params.patchParameters,
    body: { definition: `${metaV1}.Patch` }, patch: true,
    responses: [ok(object), { code: '201', payload: object }, unauthorized],
  };
}

const unauthorized = { code: '401' };

function ok(payload: Payload): { code: string; payload: Payload } {
  return { code: '200', payload };
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? `an ${kind}` : `a ${kind}`;
}

/** Resources grouped by the URL prefix of their group-version, in first-seen order. */
export function byGroupVersion(resources: ResourceType[]): Map<string, ResourceType[]> {
  const out = new Map<string, ResourceType[]>();
  for (const rt of resources) {
    const key = groupVersionPath(rt.group, rt.version).slice(1);
    out.set(key, [...(out.get(key) ?? []), rt]);
  }
  return out;
}
