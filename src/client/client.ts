/**
 * The API client every component uses (controllers, scheduler, agent, sim): REST verbs and
 * watches over a Transport, JSON on the wire, errors as ApiError.
 */
import type { KubeObject } from '../api/object.js';
import { ApiError, type StatusBody } from './errors.js';
import { resourcePath, type ResourceRef } from './resources.js';
import type { Transport, TransportResponse } from './transport.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KubeObject> {
  type: WatchEventType;
  object: T;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  subresource?: string;
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function readAll(res: TransportResponse): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res.stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toError(status: number, text: string): ApiError {
  let body: StatusBody | undefined;
  try {
    body = JSON.parse(text) as StatusBody;
  } catch {
    body = undefined;
  }
  return new ApiError(status, body?.reason ?? '', body?.message ?? (text || `HTTP ${status}`), body);
}

export class ApiClient {
  constructor(
    private readonly transport: Transport,
    /** Default field manager, like a component's user agent (`skiff-controller-manager`). */
    readonly userAgent = 'skiff',
  ) {}

  async raw(method: string, path: string, body?: unknown, contentType = 'application/json', signal?: AbortSignal): Promise<unknown> {
    const res = await this.transport.request({
      method,
      path,
      headers: { Accept: 'application/json', 'Content-Type': contentType, 'User-Agent': this.userAgent },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal,
    });
    const text = await readAll(res);
    if (res.status >= 300) throw toError(res.status, text);
    return text ? JSON.parse(text) : undefined;
  }

  get<T = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string, subresource?: string): Promise<T> {
    return this.raw('GET', resourcePath(r, namespace, name, subresource)) as Promise<T>;
  }

  list<T = KubeObject>(r: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    return this.raw('GET', resourcePath(r, namespace) + query({ ...opts })) as Promise<ObjectList<T>>;
  }

  /** Lists every page (limit/continue) and returns all items with the first page's revision. */
  async listAll<T = KubeObject>(r: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<ObjectList<T>> {
    const first = await this.list<T>(r, namespace, { limit: 500, ...opts });
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(r, namespace, { ...opts, limit: opts.limit ?? 500, continue: cont, resourceVersion: undefined });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  create<T = KubeObject>(r: ResourceRef, namespace: string | undefined, obj: unknown, opts: WriteOptions = {}): Promise<T> {
    const q = query({ fieldManager: opts.fieldManager ?? this.userAgent, dryRun: opts.dryRun ? 'All' : undefined });
    return this.raw('POST', resourcePath(r, namespace) + q, obj) as Promise<T>;
  }

  /** POST to a subresource (pods/binding, pods/eviction, serviceaccounts/token). */
  createSubresource<T = unknown>(r: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: unknown): Promise<T> {
    return this.raw('POST', resourcePath(r, namespace, name, subresource), body) as Promise<T>;
  }

  update<T = KubeObject>(r: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    const q = query({ fieldManager: opts.fieldManager ?? this.userAgent, dryRun: opts.dryRun ? 'All' : undefined });
    return this.raw('PUT', resourcePath(r, obj.metadata.namespace, obj.metadata.name, opts.subresource) + q, obj) as Promise<T>;
  }

  updateStatus<T = KubeObject>(r: ResourceRef, obj: KubeObject, opts: WriteOptions = {}): Promise<T> {
    return this.update<T>(r, obj, { ...opts, subresource: 'status' });
  }

  patch<T = KubeObject>(r: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): Promise<T> {
    const q = query({
      fieldManager: opts.fieldManager ?? this.userAgent,
      dryRun: opts.dryRun ? 'All' : undefined,
      force: opts.force ? 'true' : undefined,
    });
    return this.raw('PATCH', resourcePath(r, namespace, name, opts.subresource) + q, patch, PATCH_CONTENT_TYPES[type]) as Promise<T>;
  }

  delete<T = unknown>(r: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<T> {
    return this.raw('DELETE', resourcePath(r, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts }) as Promise<T>;
  }

  /**
   * Streams watch events to `onEvent` until the server ends the stream, the signal aborts, or
   * an error occurs. Resolves when the stream ends; ERROR events are delivered like others.
   */
  async watch<T = KubeObject>(r: ResourceRef, namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    const q = query({
      watch: 'true',
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: opts.timeoutSeconds,
    });
    const res = await this.transport.request({
      method: 'GET',
      path: resourcePath(r, namespace) + q,
      headers: { Accept: 'application/json', 'User-Agent': this.userAgent },
      signal,
    });
    if (res.status >= 300) throw toError(res.status, await readAll(res));
    let buf = '';
    try {
      for await (const chunk of res.stream) {
        buf += (chunk as Buffer).toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) onEvent(JSON.parse(line) as WatchEvent<T>);
        }
      }
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
  }
}
