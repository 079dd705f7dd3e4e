/** What every resource handler gets: the request, the resolved resource and the server's parts. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../../api/resource-type.js';
import type { ResourceTable } from '../../api/resources/table.js';
import type { TypeRegistry } from '../../api/schema/types.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { Storage } from '../../storage/interface.js';
import type { AdmissionOperation, Store, WriteAdmission } from '../../registry/store.js';
import type { KubeObject } from '../../api/object.js';
import type { CacheSet, WatchCache } from '../watch-cache.js';
import type { ResourceRequest } from '../request-info.js';
import type { UserInfo } from '../authn/types.js';
import type { AdmissionChain } from '../admission/types.js';
import type { Authorizer } from '../authz/types.js';
import type { ServerAuthentication } from '../authn/server-authentication.js';

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
  admission: AdmissionChain;
  /** Type registry, built lazily on first use (OpenAPI, strict validation, patches). */
  types(): TypeRegistry;
  bound(group: string, version: string, plural: string): BoundResource | undefined;
  /** Token authentication and issuing (TokenRequest, TokenReview); absent when not configured. */
  authentication?: ServerAuthentication;
  /** The server's authorizer (access reviews ask it); absent means allow-all. */
  authorizer?: Authorizer;
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
  /** The authenticated (or impersonated) user. */
  user: UserInfo;
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

/** The request's admission, bound to its resource and user; undefined when there are no plugins. */
export function admissionFor(ctx: RequestContext, subresource = ctx.info.subresource): WriteAdmission | undefined {
  const chain = ctx.parts.admission;
  if (chain.isEmpty) return undefined;
  const attrs = (operation: AdmissionOperation, obj: KubeObject | undefined, old: KubeObject | undefined) => ({
    operation,
    rt: ctx.resource.rt,
    subresource,
    namespace: ctx.info.namespace ?? obj?.metadata.namespace ?? old?.metadata.namespace,
    name: ctx.info.name ?? obj?.metadata.name ?? old?.metadata.name,
    object: obj,
    oldObject: old,
    user: ctx.user,
    dryRun: ctx.dryRun,
    warn: (message: string) => void ctx.warnings.push(message),
  });
  return {
    admit: (op, obj, old) => chain.admit(attrs(op, obj, old)),
    validate: (op, obj, old) => chain.validate(attrs(op, obj, old)),
  };
}
