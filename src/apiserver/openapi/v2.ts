/**
 * /openapi/v2: one Swagger 2.0 document for the whole server, with `#/definitions/` refs.
 * Code generators (swagger-codegen, openapi-generator) consume it, so every path parameter
 * is declared, operationIds are unique and no schema uses a non-standard type.
 *
 * NOTE: kubectl 1.27–1.28 ask for this document as protobuf; that encoding is not built here.
 */
import type { ResourceType } from '../../api/resource-type.js';
import type { Schema, TypeRegistry } from '../../api/schema/types.js';
import { reachableDefinitions, rewriteRefs } from './definitions.js';
import { byGroupVersion, type Operation, type PathItem, type Payload } from './operations.js';
import type { Parameter } from './parameters.js';
import { pathItemsFor } from './v3.js';

const objectMimes = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const watchMimes = [...objectMimes, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const patchMimes = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];
const statusText: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

export interface OpenAPIV2Options {
  /** `info.version`, e.g. the server's gitVersion. */
  version?: string;
}

export function buildOpenAPIV2(
  resources: ResourceType[],
  registry: TypeRegistry,
  options: OpenAPIV2Options = {},
): Record<string, unknown> {
  const keys = ['api', 'apis', 'version'];
  for (const rt of resources) if (rt.group && !keys.includes(`apis/${rt.group}`)) keys.push(`apis/${rt.group}`);
  keys.push(...byGroupVersion(resources).keys());

  const roots = new Set<string>();
  const items: PathItem[] = keys.flatMap((key) => pathItemsFor(key, resources, registry));
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const paths: Record<string, unknown> = {};
  for (const item of items) paths[item.path] = renderPathItem(item, roots);

  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: options.version ?? 'unversioned' },
    paths,
    definitions: rewriteRefs(reachableDefinitions(roots, registry), '#/definitions/'),
    securityDefinitions: {
      BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}

function renderPathItem(item: PathItem, roots: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const op of item.operations) out[op.method] = renderOperation(op, roots);
  if (item.parameters.length > 0) out.parameters = item.parameters.map(renderParameter);
  return out;
}

function renderOperation(op: Operation, roots: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    description: op.description,
    consumes: op.patch ? patchMimes : ['*/*'],
    produces: op.responses.some((r) => r.payload && 'text' in r.payload) ? ['text/plain', 'application/json'] : op.watch ? watchMimes : objectMimes,
    schemes: ['https'],
    tags: [op.tag],
    operationId: op.operationId,
  };
  const parameters = op.parameters.map(renderParameter);
  if (op.body) parameters.unshift({ name: 'body', in: 'body', required: true, schema: payloadSchema(op.body, roots) });
  if (parameters.length > 0) out.parameters = parameters;
  const responses: Record<string, unknown> = {};
  for (const { code, payload } of op.responses) {
    responses[code] = payload ? { description: statusText[code] ?? code, schema: payloadSchema(payload, roots) } : { description: statusText[code] ?? code };
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
  return { $ref: `#/definitions/${payload.definition}` };
}

function renderParameter(p: Parameter): Record<string, unknown> {
  const out: Record<string, unknown> = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}
