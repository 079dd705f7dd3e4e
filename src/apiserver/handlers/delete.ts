/** DELETE of one object and DELETECOLLECTION. */
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest } from '../../api/status.js';
import type { DeleteOptions } from '../../registry/store.js';
import { decodeObjectBody, negotiate, readBody, send } from '../negotiate.js';
import { admissionFor, cacheOf, nsPrefix, type RequestContext } from './context.js';
import { buildFilter } from './filters.js';
import { sendObject } from './read.js';

const POLICIES = ['Orphan', 'Background', 'Foreground'];

/** DeleteOptions from the body (kubectl sends one) or from query parameters. */
async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const q = ctx.query;
  let opts: DeleteOptions = {};
  const buf = await readBody(ctx.req);
  if (buf.length) {
    const body = decodeObjectBody(buf, ctx.req.headers['content-type']);
    if (!isPlainObject(body)) throw badRequest('DeleteOptions must be an object');
    opts = body as DeleteOptions;
  }
  if (q.has('gracePeriodSeconds')) opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.has('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy') as DeleteOptions['propagationPolicy'];
  if (q.has('orphanDependents')) opts.orphanDependents = q.get('orphanDependents') === 'true';
  if (opts.gracePeriodSeconds !== undefined && (!Number.isInteger(opts.gracePeriodSeconds) || opts.gracePeriodSeconds < 0)) {
    if (!Number.isInteger(opts.gracePeriodSeconds)) throw badRequest('gracePeriodSeconds must be an integer');
    opts.gracePeriodSeconds = 0;
  }
  if (opts.propagationPolicy !== undefined && !POLICIES.includes(opts.propagationPolicy)) {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  if (opts.propagationPolicy !== undefined && opts.orphanDependents !== undefined) {
    throw badRequest('DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "' + opts.propagationPolicy + '": orphanDependents and deletionPropagation cannot be both set');
  }
  return opts;
}

function successStatus(ctx: RequestContext, obj: KubeObject): object {
  const { rt } = ctx.resource;
  const details: Record<string, unknown> = { name: obj.metadata.name, kind: rt.plural, uid: obj.metadata.uid };
  if (rt.group) details.group = rt.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  if (ctx.info.subresource) throw badRequest('subresources cannot be deleted');
  const opts = await deleteOptions(ctx);
  const wctx = { manager: ctx.manager, dryRun: ctx.dryRun, admission: admissionFor(ctx) };
  const { obj, deleted } = await ctx.resource.store.delete(ctx.info.namespace, ctx.info.name!, opts, wctx);
  if (!deleted) return sendObject(ctx, 202, obj, rep);
  if (ctx.resource.store.returnsDeletedObject) return sendObject(ctx, 200, obj, rep);
  send(ctx.res, 200, successStatus(ctx, obj), rep.kind === 'yaml' ? rep : { kind: 'json' });
}

export async function handleDeleteCollection(ctx: RequestContext): Promise<void> {
  negotiate(ctx.req.headers.accept, { table: true });
  const opts = await deleteOptions(ctx);
  const { rt, store } = ctx.resource;
  await ctx.parts.caches.waitFresh();
  const cache = await cacheOf(ctx);
  const filter = buildFilter(rt, ctx.query);
  const wctx = { manager: ctx.manager, dryRun: ctx.dryRun, admission: admissionFor(ctx) };
  const out: KubeObject[] = [];
  for (const c of cache.list(nsPrefix(ctx))) {
    if (!filter.matches(c.obj)) continue;
    try {
      const r = await store.delete(c.obj.metadata.namespace, c.obj.metadata.name!, opts, wctx);
      out.push(r.obj);
    } catch (err) {
      if ((err as { httpCode?: number }).httpCode !== 404) throw err;
    }
  }
  send(ctx.res, 200, { kind: rt.listKind, apiVersion: apiVersionOf(rt), metadata: {}, items: out });
}
