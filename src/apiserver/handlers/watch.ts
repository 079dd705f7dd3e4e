/**
 * WATCH: newline-delimited JSON events over a chunked response, served from the watch cache
 * (apiserver pkg/endpoints/handlers/watch.go). Selector transitions follow upstream: an object
 * that stops matching is sent as DELETED, one that starts matching as ADDED.
 */
import type { KubeObject } from '../../api/object.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest } from '../../api/status.js';
import { CompactedError } from '../../storage/interface.js';
import { toStatusError } from '../errors.js';
import { negotiate } from '../negotiate.js';
import { includeObjectParam, toTable } from '../table.js';
import type { CacheEvent, CachedObject, CacheWatcher, EventType } from '../watch-cache.js';
import { cacheOf, nsPrefix, type RequestContext } from './context.js';
import { buildFilter } from './filters.js';

/** A watcher whose unsent output grows past this is too slow and is dropped. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;

export async function handleWatch(ctx: RequestContext): Promise<void> {
  const { req, res, query, parts } = ctx;
  const { rt } = ctx.resource;
  const rep = negotiate(req.headers.accept, { table: true });
  const filter = buildFilter(rt, query);
  const rvParam = query.get('resourceVersion') ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: ${rvParam}`);
  const sendInitial = query.get('sendInitialEvents');
  const match = query.get('resourceVersionMatch');
  if (sendInitial !== null && match !== 'NotOlderThan') {
    throw badRequest('sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan');
  }
  if (match && sendInitial === null) throw badRequest('resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const timeoutParam = Number(query.get('timeoutSeconds') ?? '');
  const timeoutMs = Number.isFinite(timeoutParam) && timeoutParam > 0 ? timeoutParam * 1000 : (1800 + Math.random() * 1800) * 1000;
  const prefix = nsPrefix(ctx);
  const rv = rvParam === '' ? undefined : Number(rvParam);
  const initialEvents = sendInitial === 'true' || (sendInitial === null && (rv === undefined || rv === 0));
  if (rv === undefined || (rv > 0 && rv > parts.caches.revision)) {
    await parts.caches.waitFor(rv ?? (await parts.storage.currentRevision()), 3000);
  }
  const cache = await cacheOf(ctx);
  const apiVersion = apiVersionOf(rt);
  const table = rep.kind === 'table' ? rep : undefined;
  const include = includeObjectParam(query.get('includeObject'));
  let headerSent = false;

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let closed = false;
  let unsubscribe: (() => void) | undefined;
  const timers: { cancel(): void }[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    for (const t of timers) t.cancel();
    res.end();
  };
  req.on('close', finish);
  res.on('error', finish);

  const encodeObject = (c: CachedObject | KubeObject): string => {
    const cached = 'json' in c && 'key' in c;
    if (cached && !table) return (c as CachedObject).json;
    const obj = cached ? (c as CachedObject).obj : (c as KubeObject);
    if (table) {
      const t = toTable(rt, [obj], { include, version: table.version, now: parts.clock.now(), noHeaders: headerSent, listMeta: { resourceVersion: obj.metadata.resourceVersion } });
      headerSent = true;
      return JSON.stringify(t);
    }
    return JSON.stringify(obj);
  };
  const write = (type: EventType | 'BOOKMARK' | 'ERROR', payload: string) => {
    if (closed) return;
    res.write(`{"type":"${type}","object":${payload}}\n`);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };
  const inScope = (c: CachedObject) => c.key.startsWith(prefix);
  let lastRv = rv ?? 0;
  const onEvent = (ev: CacheEvent) => {
    if (!inScope(ev.cur)) return;
    lastRv = ev.rv;
    // Without selectors no object needs parsing: cached events carry their JSON.
    const matches = (c: CachedObject) => filter.everything || filter.matches(c.obj);
    const nowMatches = ev.type !== 'DELETED' && matches(ev.cur);
    const wasMatching = ev.prev !== undefined && matches(ev.prev);
    if (ev.type === 'DELETED') {
      if (matches(ev.cur)) write('DELETED', encodeObject(ev.cur));
    } else if (nowMatches && (ev.type === 'ADDED' || !wasMatching)) write('ADDED', encodeObject(ev.cur));
    else if (nowMatches) write('MODIFIED', encodeObject(ev.cur));
    else if (wasMatching) {
      // Left the selection: upstream sends the new state as DELETED.
      write('DELETED', encodeObject(ev.cur));
    }
  };
  const bookmark = (rev: number, initialEnd = false) => {
    const meta: Record<string, unknown> = { resourceVersion: String(rev) };
    if (initialEnd) meta.annotations = { 'k8s.io/initial-events-end': 'true' };
    write('BOOKMARK', JSON.stringify({ kind: rt.kind, apiVersion, metadata: meta }));
  };
  const watcher: CacheWatcher = {
    onEvent,
    onProgress: (r) => {
      lastRv = Math.max(lastRv, r);
    },
    onClose: (err) => {
      if (err) write('ERROR', JSON.stringify(toStatusError(err).toStatus()));
      finish();
    },
  };

  if (initialEvents) {
    // Snapshot and subscription happen in one synchronous step: nothing falls between them.
    const snapshot = cache.list(prefix);
    const at = cache.revision;
    unsubscribe = cache.subscribe(watcher);
    for (const c of snapshot) if (filter.matches(c.obj)) write('ADDED', encodeObject(c));
    lastRv = at;
    if (sendInitial === 'true' && bookmarks) bookmark(at, true);
  } else {
    try {
      unsubscribe = cache.watch(rv!, watcher);
    } catch (err) {
      if (err instanceof CompactedError) {
        write('ERROR', JSON.stringify(toStatusError(err).toStatus()));
        return finish();
      }
      throw err;
    }
  }
  timers.push(parts.clock.setTimeout(finish, timeoutMs));
  if (bookmarks) timers.push(parts.clock.setInterval(() => bookmark(Math.max(lastRv, cache.revision)), BOOKMARK_INTERVAL_MS));
}
