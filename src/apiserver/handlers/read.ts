/** GET of one object and LIST, served from the watch cache (continuations from the store). */
import type { KubeObject } from '../../api/object.js';
import { badRequest, expired, notFound, StatusError, timeout } from '../../api/status.js';
import { CompactedError } from '../../storage/interface.js';
import { negotiate, send, type Representation } from '../negotiate.js';
import { includeObjectParam, partialObjectMetadata, toTable } from '../table.js';
import { decode as decodeCached, type CachedObject } from '../watch-cache.js';
import { cacheOf, nsPrefix, type RequestContext } from './context.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { buildFilter } from './filters.js';

const FRESH_TIMEOUT_MS = 3000;

function parseRV(v: string | null): number | undefined {
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw badRequest(`invalid resource version: ${v}`);
  return Number(v);
}

/** Waits until the cache reflects `rv` (or every acknowledged write when rv is undefined). */
async function waitForRevision(ctx: RequestContext, rv: number | undefined): Promise<void> {
  const caches = ctx.parts.caches;
  const ok = rv === undefined ? await caches.waitFresh(FRESH_TIMEOUT_MS) : await caches.waitFor(rv, FRESH_TIMEOUT_MS);
  if (!ok) {
    if (rv !== undefined) {
      throw new StatusError(504, 'Timeout', `Too large resource version: ${rv}, current: ${caches.revision}`, {
        causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
        retryAfterSeconds: 1,
      });
    }
    throw timeout('Timeout: Too large resource version');
  }
}

export async function handleGet(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  const { rt } = ctx.resource;
  const name = ctx.info.name!;
  const rv = parseRV(ctx.query.get('resourceVersion'));
  if (rv !== 0) await waitForRevision(ctx, rv);
  const cache = await cacheOf(ctx);
  const hit = cache.get(ctx.resource.store.key(ctx.info.namespace, name));
  if (!hit) throw notFound({ group: rt.group, plural: rt.plural }, name);
  sendObject(ctx, 200, hit.obj, rep, hit.json);
}

export function sendObject(ctx: RequestContext, code: number, obj: KubeObject, rep: Representation, json?: string, headers?: Record<string, string | string[]>): void {
  const { rt } = ctx.resource;
  if (rep.kind === 'table') {
    const table = toTable(rt, [obj], {
      include: includeObjectParam(ctx.query.get('includeObject')),
      version: rep.version,
      now: ctx.parts.clock.now(),
      listMeta: { resourceVersion: obj.metadata.resourceVersion },
    });
    return send(ctx.res, code, table, { kind: 'json' }, headers);
  }
  if (rep.kind === 'partial') return send(ctx.res, code, partialObjectMetadata(obj, rep.version), { kind: 'json' }, headers);
  send(ctx.res, code, rep.kind === 'json' && json ? json : obj, rep, headers);
}

interface ListPage {
  items: CachedObject[];
  revision: number;
  continueToken?: string;
  remaining?: number;
}

/** Lists from the store at a fixed revision (continue tokens and resourceVersionMatch=Exact). */
async function listFromStore(ctx: RequestContext, prefix: string, revision: number, startAfter: string | undefined, limit: number): Promise<ListPage> {
  const filter = buildFilter(ctx.resource.rt, ctx.query);
  const items: CachedObject[] = [];
  let after = startAfter;
  for (;;) {
    let page;
    try {
      page = await ctx.parts.storage.list(prefix, { revision, startAfter: after, limit: limit > 0 ? Math.max(limit, 100) : 0 });
    } catch (err) {
      if (err instanceof CompactedError) {
        throw expired(
          startAfter !== undefined
            ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
            : 'The resourceVersion for the provided list is too old.',
        );
      }
      throw err;
    }
    for (const kv of page.items) {
      const c = decodeCached(kv.key, kv.value, kv.modRevision);
      after = kv.key;
      if (!filter.matches(c.obj)) continue;
      items.push(c);
      if (limit > 0 && items.length === limit) {
        const more = page.more || page.items[page.items.length - 1].key !== kv.key;
        return {
          items,
          revision,
          continueToken: more ? encodeContinue({ rv: revision, start: kv.key.slice(ctx.resource.prefix.length) }) : undefined,
        };
      }
    }
    if (!page.more || page.items.length === 0) return { items, revision };
  }
}

async function listPage(ctx: RequestContext): Promise<ListPage> {
  const q = ctx.query;
  const limit = Math.max(0, Number.parseInt(q.get('limit') ?? '0', 10) || 0);
  const prefix = nsPrefix(ctx);
  const cont = q.get('continue');
  const rv = parseRV(q.get('resourceVersion'));
  const match = q.get('resourceVersionMatch');
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match && rv === undefined) {
    throw badRequest(`resourceVersionMatch is forbidden unless resourceVersion is provided`);
  }
  if (cont) {
    if (rv !== undefined && rv !== 0) throw badRequest('specifying resource version is not allowed when using continue');
    const token = decodeContinue(cont, ctx.resource.prefix);
    return listFromStore(ctx, prefix, token.rv, token.start, limit);
  }
  if (match === 'Exact' && rv) return listFromStore(ctx, prefix, rv, undefined, limit);
  if (rv !== 0) await waitForRevision(ctx, rv);
  const cache = await cacheOf(ctx);
  const filter = buildFilter(ctx.resource.rt, q);
  const all = cache.list(prefix);
  const revision = cache.revision;
  const items: CachedObject[] = [];
  for (let i = 0; i < all.length; i++) {
    if (!filter.matches(all[i].obj)) continue;
    if (limit > 0 && items.length === limit) {
      const last = items[items.length - 1];
      return {
        items,
        revision,
        continueToken: encodeContinue({ rv: revision, start: last.key.slice(ctx.resource.prefix.length) }),
        remaining: filter.everything ? all.length - i : undefined,
      };
    }
    items.push(all[i]);
  }
  return { items, revision };
}

export async function handleList(ctx: RequestContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, { table: true });
  const page = await listPage(ctx);
  const { rt } = ctx.resource;
  const listMeta: Record<string, unknown> = { resourceVersion: String(page.revision) };
  if (page.continueToken) listMeta.continue = page.continueToken;
  if (page.remaining !== undefined) listMeta.remainingItemCount = page.remaining;
  if (rep.kind === 'table') {
    const table = toTable(rt, page.items.map((c) => c.obj), {
      include: includeObjectParam(ctx.query.get('includeObject')),
      version: rep.version,
      now: ctx.parts.clock.now(),
      listMeta,
    });
    return send(ctx.res, 200, table);
  }
  if (rep.kind === 'partial') {
    return send(ctx.res, 200, {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${rep.version}`,
      metadata: listMeta,
      items: page.items.map((c) => partialObjectMetadata(c.obj, rep.version)),
    });
  }
  const apiVersion = rt.group ? `${rt.group}/${rt.version}` : rt.version;
  if (rep.kind === 'json') {
    // Concatenate the cached JSON of each object instead of re-serialising every item.
    const head = `{"kind":${JSON.stringify(rt.listKind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(listMeta)},"items":[`;
    return send(ctx.res, 200, head + page.items.map((c) => c.json).join(',') + ']}');
  }
  send(ctx.res, 200, { kind: rt.listKind, apiVersion, metadata: listMeta, items: page.items.map((c) => c.obj) }, rep);
}
