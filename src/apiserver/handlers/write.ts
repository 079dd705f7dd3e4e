/** CREATE, UPDATE (PUT) and PATCH, including the status and scale subresources. */
import type { KubeObject } from '../../api/object.js';
import { deepCopy, isPlainObject } from '../../api/object.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest, forbidden, invalid, methodNotAllowed, notFound, StatusError, unsupportedMediaType } from '../../api/status.js';
import { conformToSchema } from '../../api/schema/conform.js';
import { findDuplicateFields } from '../duplicate-fields.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from '../../api/patch/index.js';
import { applyPatch } from '../../api/patch/apply.js';
import { bodyFormat, decodeBody, decodeObjectBody, negotiate, readBody, send } from '../negotiate.js';
import { formatLabelSelector, type LabelSelectorObject } from '../../api/selectors/label-selector.js';
import { sendObject } from './read.js';
import { handleEviction } from './eviction.js';
import { handleTokenRequest } from '../tokens/token-request.js';
import { handleAuthenticationReview } from '../authn/reviews.js';
import { handleAccessReview } from '../authz/access-review.js';
import { csrForUpdate, isCertificateSigningRequest, prepareCsrForCreate } from '../csr/csr-strategy.js';
import { admissionFor, warningHeaders, type RequestContext } from './context.js';
import type { WriteContext } from '../../registry/store.js';

function writeContext(ctx: RequestContext): WriteContext {
  return { manager: ctx.manager, dryRun: ctx.dryRun, subresource: ctx.info.subresource, admission: admissionFor(ctx) };
}

/** Decodes a JSON/YAML object body and checks it against the URL (kind, apiVersion, namespace). */
async function readObject(ctx: RequestContext, expect: { apiVersion: string; kind: string }): Promise<KubeObject> {
  const fmt = bodyFormat(ctx.req.headers['content-type']);
  if (fmt !== 'json' && fmt !== 'yaml' && fmt !== 'protobuf') throw unsupportedMediaType();
  const raw = await readBody(ctx.req);
  const body = decodeBody(raw, fmt);
  if (fmt === 'json' && ctx.query.get('fieldValidation') === 'Strict') {
    const dups = findDuplicateFields(raw.toString('utf8'));
    if (dups.length) throw badRequest(`strict decoding error: ${dups.map((f) => `duplicate field "${f}"`).join(', ')}`);
  }
  return checkObject(ctx, body, expect);
}

function checkObject(ctx: RequestContext, body: unknown, expect: { apiVersion: string; kind: string }): KubeObject {
  if (!isPlainObject(body)) throw badRequest(`the object provided is unrecognized (must be of type ${expect.kind}): couldn't get version/kind; json parse error: expected an object`);
  const obj = body as KubeObject;
  if (obj.kind !== undefined && obj.kind !== expect.kind) {
    throw badRequest(`the kind of the object (${String(obj.kind)}) does not match the kind of the request (${expect.kind})`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== expect.apiVersion) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expect.apiVersion})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
  obj.apiVersion = expect.apiVersion;
  obj.kind = expect.kind;
  return obj;
}

/**
 * Typed decoding as upstream does it: wrong JSON types → 400, undeclared fields dropped and,
 * per fieldValidation, refused (Strict), warned about (Warn, the default) or ignored.
 */
function conform(ctx: RequestContext, obj: KubeObject): void {
  const mode = ctx.query.get('fieldValidation') ?? 'Warn';
  if (mode !== 'Strict' && mode !== 'Warn' && mode !== 'Ignore') {
    throw badRequest(`fieldValidation parameter unsupported: ${mode}`);
  }
  const { rt } = ctx.resource;
  const types = ctx.parts.types();
  const schema = types.schemaFor({ group: rt.group, version: rt.version, kind: rt.kind });
  if (!schema) return;
  const { unknown, typeError } = conformToSchema(obj, schema, types);
  if (typeError) throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${typeError}`);
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  if (!unknown.length || mode === 'Ignore') return;
  if (mode === 'Strict') {
    throw badRequest(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  for (const f of unknown) ctx.warnings.push(`unknown field "${f}"`);
}

async function checkNamespace(ctx: RequestContext): Promise<void> {
  const ns = ctx.info.namespace;
  if (!ctx.resource.rt.namespaced || !ns) return;
  const nsBound = ctx.parts.bound('', 'v1', 'namespaces');
  if (!nsBound) return;
  const cache = await ctx.parts.caches.cache(nsBound.prefix);
  let hit = cache.get(nsBound.store.key(undefined, ns));
  if (!hit) {
    await ctx.parts.caches.waitFresh(1000);
    hit = cache.get(nsBound.store.key(undefined, ns));
  }
  if (!hit) throw notFound({ group: '', plural: 'namespaces' }, ns);
  if (hit.obj.metadata.deletionTimestamp || (hit.obj.status as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw new StatusError(403, 'Forbidden', `${ctx.resource.rt.plural} "${''}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${ns} is being terminated`, field: 'metadata.namespace' }],
    });
  }
}

export async function handleCreate(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  const { rt, store } = ctx.resource;
  if (ctx.info.subresource === 'binding' && rt.kind === 'Pod') return createBinding(ctx);
  if (ctx.info.subresource === 'eviction' && rt.kind === 'Pod') return handleEviction(ctx);
  if (ctx.info.subresource === 'token' && rt.kind === 'ServiceAccount') return handleTokenRequest(ctx);
  if (rt.group === 'authentication.k8s.io') return handleAuthenticationReview(ctx);
  if (rt.group === 'authorization.k8s.io') return handleAccessReview(ctx);
  if (ctx.info.subresource) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const obj = await readObject(ctx, { apiVersion: apiVersionOf(rt), kind: rt.kind });
  const ns = ctx.info.namespace;
  if (rt.namespaced) {
    if (obj.metadata.namespace && ns && obj.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (ns) obj.metadata.namespace = ns;
  }
  if (rt.namespaced && !ns) throw methodNotAllowed('the server does not allow this method on the requested resource');
  conform(ctx, obj);
  await checkNamespace(ctx);
  if (isCertificateSigningRequest(rt)) await prepareCsrForCreate(obj, ctx.user);
  const created = await store.create(obj, writeContext(ctx));
  sendObject(ctx, 201, created, rep, undefined, warningHeaders(ctx));
}

export async function handleUpdate(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  const { rt, store } = ctx.resource;
  const name = ctx.info.name!;
  const sub = ctx.info.subresource;
  if (sub === 'scale') return updateScale(ctx, rep);
  if (sub === 'finalize' && rt.kind === 'Namespace') return finalizeNamespace(ctx, rep);
  const csr = isCertificateSigningRequest(rt);
  if (sub && sub !== 'status' && !(csr && sub === 'approval')) throw methodNotAllowed('the server does not allow this method on the requested resource');
  const obj = await readObject(ctx, { apiVersion: apiVersionOf(rt), kind: rt.kind });
  if (obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${name})`);
  }
  if (rt.namespaced && obj.metadata.namespace && obj.metadata.namespace !== ctx.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.name = name;
  if (rt.namespaced) obj.metadata.namespace = ctx.info.namespace;
  conform(ctx, obj);
  const desired = csr
    ? (live: KubeObject) => csrForUpdate({ subresource: sub, user: ctx.user, authorizer: ctx.parts.authorizer }, live, deepCopy(obj))
    : () => deepCopy(obj);
  const { obj: out, created } = await store.update(ctx.info.namespace, name, desired, writeContext(ctx), {
    createIfMissing: () => deepCopy(obj),
  });
  sendObject(ctx, created ? 201 : 200, out, rep, undefined, warningHeaders(ctx));
}

function patchedObject(ctx: RequestContext, live: KubeObject, format: string, patch: unknown): KubeObject {
  const { rt } = ctx.resource;
  switch (format) {
    case 'json-patch':
      if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return applyJsonPatch(live, patch) as KubeObject;
    case 'merge-patch':
      return applyMergePatch(live, patch) as KubeObject;
    case 'strategic-merge-patch': {
      const types = ctx.parts.types();
      const schema = types.schemaFor({ group: rt.group, version: rt.version, kind: rt.kind });
      if (!schema) throw unsupportedMediaType();
      return applyStrategicMergePatch(live, patch, schema, types) as KubeObject;
    }
    default:
      throw unsupportedMediaType();
  }
}

export async function handlePatch(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  const { rt, store } = ctx.resource;
  const name = ctx.info.name!;
  const sub = ctx.info.subresource;
  if (sub && sub !== 'status' && sub !== 'scale') throw methodNotAllowed('the server does not allow this method on the requested resource');
  const format = bodyFormat(ctx.req.headers['content-type']);
  if (format === 'json' || format === 'yaml' || format === 'protobuf') throw unsupportedMediaType();
  const raw = await readBody(ctx.req);
  const patch = decodeBody(raw, format === 'apply-patch' ? 'yaml' : 'json');
  if (format === 'apply-patch') return serverSideApply(ctx, patch, rep);
  if (sub === 'scale') return patchScale(ctx, format, patch, rep);
  if (format !== 'json-patch' && !isPlainObject(patch)) throw badRequest('the patch must be a JSON object');
  const wctx = writeContext(ctx);
  const { obj } = await store.update(ctx.info.namespace, name, (live) => {
    const next = patchedObject(ctx, live, format, patch);
    if (!isPlainObject(next) || !isPlainObject(next.metadata)) throw badRequest('the patched object has no metadata');
    conform(ctx, next);
    return next;
  }, wctx);
  sendObject(ctx, 200, obj, rep, undefined, warningHeaders(ctx));
}

async function serverSideApply(ctx: RequestContext, body: unknown, rep: ReturnType<typeof negotiate>): Promise<void> {
  const { rt, store } = ctx.resource;
  const name = ctx.info.name!;
  if (!ctx.query.get('fieldManager')) {
    throw badRequest('PATCH, application/apply-patch+yaml requests require fieldManager query parameter');
  }
  const force = ctx.query.get('force') === 'true';
  const applied = checkObject(ctx, body, { apiVersion: apiVersionOf(rt), kind: rt.kind });
  if (applied.metadata.name !== undefined && applied.metadata.name !== name) {
    throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
  }
  conform(ctx, applied);
  const types = ctx.parts.types();
  const schema = types.schemaFor({ group: rt.group, version: rt.version, kind: rt.kind });
  const now = ctx.parts.clock.now();
  const common = { manager: ctx.manager, force, apiVersion: apiVersionOf(rt), now, schema, registry: types };
  const wctx = { ...writeContext(ctx), applied: true };
  try {
    const { obj } = await store.update(ctx.info.namespace, name, (live) => applyPatch({ ...common, live, applied: deepCopy(applied) }).object as KubeObject, wctx);
    return sendObject(ctx, 200, obj, rep, undefined, warningHeaders(ctx));
  } catch (err) {
    if (!(err instanceof StatusError) || err.httpCode !== 404) throw err;
  }
  const fresh = applyPatch({ ...common, live: undefined, applied: deepCopy(applied) }).object as KubeObject;
  fresh.metadata.name = name;
  if (rt.namespaced) fresh.metadata.namespace = ctx.info.namespace;
  await checkNamespace(ctx);
  const created = await store.create(fresh, wctx);
  sendObject(ctx, 201, created, rep, undefined, warningHeaders(ctx));
}

/** The autoscaling/v1 Scale view of a scalable object. */
export function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const sel = spec.selector;
  let selector: string | undefined;
  if (isPlainObject(sel) && ('matchLabels' in sel || 'matchExpressions' in sel)) {
    selector = formatLabelSelector(sel as LabelSelectorObject);
  } else if (isPlainObject(sel)) {
    // ReplicationController: a plain label map.
    selector = Object.entries(sel as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  }
  const m = obj.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector !== undefined ? { selector } : {}) },
  };
}

function sendScale(ctx: RequestContext, code: number, scale: KubeObject, rep: ReturnType<typeof negotiate>): void {
  send(ctx.res, code, scale, rep.kind === 'yaml' ? rep : { kind: 'json' });
}

export async function getScale(ctx: RequestContext, live: KubeObject): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept);
  sendScale(ctx, 200, scaleOf(live), rep);
}

function replicasFrom(scale: unknown, name: string): number {
  const r = isPlainObject(scale) && isPlainObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof r !== 'number' || !Number.isInteger(r) || r < 0) {
    throw invalid('Scale', 'autoscaling', name, [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(r ?? null)}: must be greater than or equal to 0` }]);
  }
  return r;
}

async function updateScale(ctx: RequestContext, rep: ReturnType<typeof negotiate>): Promise<void> {
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  const name = ctx.info.name!;
  const replicas = replicasFrom(body, name);
  const wantRv = isPlainObject(body) && isPlainObject(body.metadata) ? (body.metadata.resourceVersion as string | undefined) : undefined;
  const { obj } = await ctx.resource.store.update(ctx.info.namespace, name, (live) => {
    if (wantRv) live.metadata.resourceVersion = wantRv;
    (live.spec as Record<string, unknown>).replicas = replicas;
    return live;
  }, { ...writeContext(ctx), subresource: 'scale' });
  sendScale(ctx, 200, scaleOf(obj), rep);
}

async function patchScale(ctx: RequestContext, format: string, patch: unknown, rep: ReturnType<typeof negotiate>): Promise<void> {
  const name = ctx.info.name!;
  const { obj } = await ctx.resource.store.update(ctx.info.namespace, name, (live) => {
    const scale = scaleOf(live);
    let next: unknown;
    if (format === 'json-patch') next = applyJsonPatch(scale, patch as never);
    else next = applyMergePatch(scale, patch);
    (live.spec as Record<string, unknown>).replicas = replicasFrom(next, name);
    return live;
  }, { ...writeContext(ctx), subresource: 'scale' });
  sendScale(ctx, 200, scaleOf(obj), rep);
}

/** POST pods/{name}/binding: assigns a node once (upstream's BindingREST). */
async function createBinding(ctx: RequestContext): Promise<void> {
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  const target = isPlainObject(body) && isPlainObject(body.target) ? (body.target as { name?: string }) : undefined;
  const name = ctx.info.name!;
  if (!target?.name) {
    throw invalid('Binding', '', name, [{ reason: 'FieldValueRequired', field: 'target.name', message: 'Required value' }]);
  }
  await ctx.resource.store.update(ctx.info.namespace, name, (live) => {
    const spec = live.spec as { nodeName?: string };
    if (live.metadata.deletionTimestamp) throw forbidden(`pod ${name} is being deleted, cannot be assigned to a host`);
    if (spec.nodeName) {
      throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on pods/binding "${name}": pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    spec.nodeName = target.name;
    const status = (live.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string | null; lastProbeTime?: null }[] };
    const conds = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(ctx.parts.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') });
    status.conditions = conds;
    live.status = status;
    return live;
  }, { ...writeContext(ctx), subresource: 'binding' });
  send(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** PUT namespaces/{name}/finalize: only spec.finalizers changes (the namespace controller's last step). */
async function finalizeNamespace(ctx: RequestContext, rep: ReturnType<typeof negotiate>): Promise<void> {
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  const spec = isPlainObject(body) && isPlainObject(body.spec) ? body.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
  const wantRv = isPlainObject(body) && isPlainObject(body.metadata) ? (body.metadata.resourceVersion as string | undefined) : undefined;
  const { obj } = await ctx.resource.store.update(ctx.info.namespace, ctx.info.name!, (live) => {
    if (wantRv) live.metadata.resourceVersion = wantRv;
    live.spec = { ...((live.spec as object) ?? {}), finalizers };
    return live;
  }, { ...writeContext(ctx), subresource: 'finalize' });
  sendObject(ctx, 200, obj, rep);
}
