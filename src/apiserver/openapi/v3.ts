/**
 * /openapi/v3: an index of per-group-version documents, each an OpenAPI 3.0 document whose
 * `components.schemas` hold every definition its paths reach.
 *
 * Documents are addressed by the index key, which is also the URL suffix: `api/v1`,
 * `apis/apps/v1`, `apis/apps`, `api`, `apis`, `version`. The index links each one with
 * `?hash=<sha512>` so clients can cache them as immutable.
 */
import type { ResourceType } from '../../api/resource-type.js';
import type { Schema, TypeRegistry } from '../../api/schema/types.js';
import { createTypeRegistry } from '../../api/schema/registry.js';
import { reachableDefinitions, wrapDescribedRefs } from './definitions.js';
import { documentHash } from './hash.js';
import {
  apiResourcesPath,
  byGroupVersion,
  groupIdentifier,
  type Operation,
  type PathItem,
  type Payload,
  resourcePaths,
} from './operations.js';
import type { Parameter } from './parameters.js';

export interface OpenAPIV3Document {
  key: string;
  document: Record<string, unknown>;
  /** The serialized document; `hash` is computed over exactly these bytes. */
  json: string;
  hash: string;
}

export interface OpenAPIV3 {
  index: { paths: Record<string, { serverRelativeURL: string }> };
  documents: Map<string, OpenAPIV3Document>;
}

const metaV1 = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const objectMimes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const watchMimes = [...objectMimes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const patchMimes = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
];
const statusText: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

/** Every document and the index that links them; build once per change of the resource table. */
export function buildOpenAPIV3(resources: ResourceType[], registry: TypeRegistry = createTypeRegistry()): OpenAPIV3 {
  const documents = new Map<string, OpenAPIV3Document>();
  for (const key of documentKeys(resources)) {
    const document = buildOpenAPIV3Document(key, resources, registry);
    const json = JSON.stringify(document);
    documents.set(key, { key, document, json, hash: documentHash(json) });
  }
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { key, hash } of documents.values()) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  return { index: { paths }, documents };
}

export function buildOpenAPIV3Index(resources: ResourceType[], registry: TypeRegistry = createTypeRegistry()): OpenAPIV3['index'] {
  return buildOpenAPIV3(resources, registry).index;
}

function documentKeys(resources: ResourceType[]): string[] {
  const keys = new Set<string>(['api', 'apis', 'version']);
  for (const rt of resources) {
    if (rt.group) keys.add(`apis/${rt.group}`);
  }
  for (const key of byGroupVersion(resources).keys()) keys.add(key);
  return [...keys].sort();
}

/** `v1` → `api/v1`, `apps/v1` → `apis/apps/v1`; index keys pass through. */
export function documentKeyOf(groupVersion: string): string {
  const trimmed = groupVersion.replace(/^\/+|\/+$/g, '');
  if (/^(api|apis|version)(\/|$)/.test(trimmed)) return trimmed;
  return trimmed.includes('/') ? `apis/${trimmed}` : `api/${trimmed}`;
}

/**
 * The OpenAPI 3.0 document of one group-version (`apps/v1` or `apis/apps/v1`), or of the
 * discovery roots `api`, `apis`, `apis/<group>` and `version`.
 */
export function buildOpenAPIV3Document(
  groupVersion: string,
  resources: ResourceType[],
  registry: TypeRegistry,
): Record<string, unknown> {
  const items = pathItemsFor(documentKeyOf(groupVersion), resources, registry);
  const roots = new Set<string>();
  const paths: Record<string, unknown> = {};
  for (const item of items) paths[item.path] = renderPathItem(item, roots);
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas: wrapDescribedRefs(reachableDefinitions(roots, registry)),
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
  };
}

/** The path items a document key covers; shared with the v2 builder. */
export function pathItemsFor(key: string, resources: ResourceType[], registry: TypeRegistry): PathItem[] {
  if (key === 'api') return [discoveryRoot('/api/', 'getCoreAPIVersions', 'core', `${metaV1}.APIVersions`, 'get available API versions')];
  if (key === 'apis') return [discoveryRoot('/apis/', 'getAPIVersions', 'apis', `${metaV1}.APIGroupList`, 'get available API versions')];
  if (key === 'version') {
    return [discoveryRoot('/version/', 'getCodeVersion', 'version', 'io.k8s.apimachinery.pkg.version.Info', 'get the version information for this server')];
  }
  const group = /^apis\/([^/]+)$/.exec(key);
  if (group) {
    const id = groupIdentifier(group[1]);
    const tag = id[0].toLowerCase() + id.slice(1);
    return [discoveryRoot(`/apis/${group[1]}/`, `get${id}APIGroup`, tag, `${metaV1}.APIGroup`, 'get information of a group')];
  }
  const rows = byGroupVersion(resources).get(key) ?? [];
  if (rows.length === 0) return [];
  const items = [apiResourcesPath(rows[0].group, rows[0].version)];
  for (const rt of rows) items.push(...resourcePaths(rt, registry));
  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function discoveryRoot(path: string, operationId: string, tag: string, definition: string, description: string): PathItem {
  return {
    path,
    parameters: [],
    operations: [{ method: 'get', operationId, tag, description, parameters: [], responses: [{ code: '200', payload: { definition } }, { code: '401' }] }],
  };
}

function renderPathItem(item: PathItem, roots: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const op of item.operations) out[op.method] = renderOperation(op, roots);
  if (item.parameters.length > 0) out.parameters = item.parameters.map(renderParameter);
  return out;
}

function renderOperation(op: Operation, roots: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { tags: [op.tag], description: op.description, operationId: op.operationId };
  if (op.parameters.length > 0) out.parameters = op.parameters.map(renderParameter);
  if (op.body) {
    const schema = payloadSchema(op.body, roots);
    const mimes = op.patch ? patchMimes : ['*/*'];
    out.requestBody = { content: Object.fromEntries(mimes.map((m) => [m, { schema }])), required: true };
  }
  const responses: Record<string, unknown> = {};
  for (const { code, payload } of op.responses) {
    const response: Record<string, unknown> = { description: statusText[code] ?? code };
    if (payload) {
      const schema = payloadSchema(payload, roots);
      const mimes = 'text' in payload ? ['text/plain'] : op.watch ? watchMimes : objectMimes;
      response.content = Object.fromEntries(mimes.map((m) => [m, { schema }]));
    }
    responses[code] = response;
  }
  out.responses = responses;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { ...op.gvk };
  return out;
}

function payloadSchema(payload: Payload, roots: Set<string>): Schema {
  if ('text' in payload) return { type: 'string' };
  if (payload.definition === undefined) return { type: 'object' };
  roots.add(payload.definition);
  return { $ref: `#/components/schemas/${payload.definition}` };
}

function renderParameter(p: Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}
