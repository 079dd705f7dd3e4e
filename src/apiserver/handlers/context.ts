/** What every resource handler gets: the request, the resolved resource and the server's parts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../../api/resource-type.js';
import type { ResourceTable } from '../../api/resources/table.js';
import type { TypeRegistry } from '../../api/schema/types.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { Storage } from '../../storage/interface.js';
import type { Store } from '../../registry/store.js';
import type { CacheSet, WatchCache } from '../watch-cache.js';
import type { ResourceRequest } from '../request-info.js';

export interface BoundResource {
  rt: ResourceType;
  store: Store;
  prefix: string;
}

export interface ServerParts {
  table: ResourceTable;
  storage: Storage;
  caches: CacheSet;
  clock: Clock;
  log: Logger;
  /** Type registry, built lazily on first use (OpenAPI, strict validation, patches). */
  types(): TypeRegistry;
  bound(group: string, version: string, plural: string): BoundResource | undefined;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  query: URLSearchParams;
  info: ResourceRequest;
  resource: BoundResource;
  parts: ServerParts;
  /** Field manager derived from ?fieldManager or the User-Agent (upstream prefixFromUserAgent). */
  manager: string;
  dryRun: boolean;
  /** Warnings to send as `Warning: 299 - "…"` headers. */
  warnings: string[];
}

export async function cacheOf(ctx: RequestContext): Promise<WatchCache> {
  return ctx.parts.caches.cache(ctx.resource.prefix);
}

export function nsPrefix(ctx: RequestContext): string {
  const ns = ctx.resource.rt.namespaced ? ctx.info.namespace : undefined;
  return ns ? `${ctx.resource.prefix}${ns}/` : ctx.resource.prefix;
}

export function warningHeaders(ctx: RequestContext): Record<string, string[]> | undefined {
  if (!ctx.warnings.length) return undefined;
  return { Warning: ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`) };
}
