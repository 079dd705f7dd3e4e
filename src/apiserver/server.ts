/**
 * The API server: routing, non-resource endpoints, and dispatch of resource requests to the
 * verb handlers. Built apart from listening (`handle` can be driven without a socket).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceType } from '../api/resource-type.js';
import type { ResourceTable } from '../api/resources/table.js';
import type { TypeRegistry } from '../api/schema/types.js';
import { badRequest, methodNotAllowed, notFound, StatusError } from '../api/status.js';
import type { Clock } from '../base/clock.js';
import type { Logger } from '../base/logger.js';
import { Store, type ManagedFieldsUpdater, type StoreHooks } from '../registry/store.js';
import { resourcePrefix } from '../registry/keys.js';
import type { Storage } from '../storage/interface.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { toStatusError } from './errors.js';
import { handleCreate, handlePatch, handleUpdate, getScale } from './handlers/write.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import type { BoundResource, RequestContext, ServerParts } from './handlers/context.js';
import { negotiate, send, sendStatusError } from './negotiate.js';
import { parseRequestPath, type ResourceRequest } from './request-info.js';
import { CacheSet } from './watch-cache.js';
import { versionInfo } from './version.js';
import { OpenAPIService } from './openapi-service.js';
import { ANONYMOUS, withAuthenticatedGroup, type Authenticator, type UserInfo } from './authn/types.js';
import { alwaysAllow, type Attributes, type Authorizer } from './authz/types.js';
import { forbiddenError, nonResourceAttributes, resourceAttributes, unauthorizedError } from './authz/attributes.js';
import { AdmissionChain } from './admission/types.js';
import { rejectDotSegments } from './limits/path-segments.js';
import type { ServerAuthentication } from './authn/server-authentication.js';
import { impersonate } from './authn/impersonation.js';
import type { Duplex } from 'node:stream';
import { handleConnect, handleUpgradeRequest, isConnectRequest } from './proxy/connect.js';
import { METRICS_GROUP, ResourceMetricsApi } from './metrics/resource-metrics-api.js';
import type { KubeletClientConfig } from './proxy/connect-target.js';

export interface ApiServerConfig {
  storage: Storage;
  table: ResourceTable;
  clock: Clock;
  log: Logger;
  /** Builds the type registry; called once, on first need. */
  typeRegistry: () => TypeRegistry;
  managedFields?: ManagedFieldsUpdater;
  /** Resource-specific store hooks (e.g. Service IP and port allocation). */
  hooksFor?: (rt: ResourceType) => StoreHooks | undefined;
  /** Address clients use to reach this server (legacy discovery serverAddressByClientCIDRs). */
  advertiseAddress: string;
  /** Asked in order; the first that knows the request's credentials decides. */
  authenticators?: Authenticator[];
  /** Defaults to allowing everything (until RBAC is configured). */
  authorizer?: Authorizer;
  /** Plugins that read the server's caches get the server's parts through the function form. */
  admission?: AdmissionChain | ((parts: ServerParts) => AdmissionChain);
  /** Requests without credentials become system:anonymous (else 401). */
  anonymousAuth?: boolean;
  /**
   * Called in order for every authenticated request, before authorization (audit logging,
   * in-flight and watch limits, request timeouts); one may throw a StatusError to refuse it.
   */
  requestFilters?: ((req: IncomingMessage, res: ServerResponse, user: UserInfo, info: ReturnType<typeof parseRequestPath>, url: URL) => void)[];
  /** Service-account token issuing and TokenReview (its `bearer` belongs in `authenticators`). */
  authentication?: ServerAuthentication;
  /** Client certificate for kubelets (pods/log, exec, attach, portforward, nodes/proxy). */
  kubeletClient?: KubeletClientConfig;
}

export class ApiServer implements ServerParts {
  readonly table: ResourceTable;
  readonly storage: Storage;
  readonly caches: CacheSet;
  readonly clock: Clock;
  readonly log: Logger;
  private readonly boundByKey = new Map<string, BoundResource>();
  private registry: TypeRegistry | undefined;
  private readonly openapi: OpenAPIService;
  private unsubscribeTable: (() => void) | undefined;
  private readyFlag = false;
  readonly admission: AdmissionChain;
  readonly authentication: ServerAuthentication | undefined;
  readonly authorizer: Authorizer;
  /** metrics.k8s.io, read from kubelets on request (bypasses the store and watch cache). */
  private readonly metrics: ResourceMetricsApi;

  constructor(private readonly cfg: ApiServerConfig) {
    this.table = cfg.table;
    this.storage = cfg.storage;
    this.clock = cfg.clock;
    this.log = cfg.log;
    this.caches = new CacheSet(cfg.storage, cfg.log.child('watch-cache'), cfg.clock);
    this.openapi = new OpenAPIService(cfg.table, () => this.types());
    this.admission = typeof cfg.admission === 'function' ? cfg.admission(this) : (cfg.admission ?? new AdmissionChain());
    this.authentication = cfg.authentication;
    this.authorizer = cfg.authorizer ?? alwaysAllow;
    this.metrics = new ResourceMetricsApi({ clock: cfg.clock, log: cfg.log.child('metrics'), kubeletClient: cfg.kubeletClient });
  }

  /** Who sent the request: the first authenticator that recognises its credentials. */
  async authenticate(req: IncomingMessage): Promise<UserInfo> {
    for (const a of this.cfg.authenticators ?? []) {
      const user = await a.authenticate(req);
      if (user) return withAuthenticatedGroup(user);
    }
    if (this.cfg.anonymousAuth === false) throw unauthorizedError();
    return ANONYMOUS;
  }

  async authorize(attrs: Attributes): Promise<void> {
    const r = await this.authorizer.authorize(attrs);
    if (r.decision !== 'allow') throw forbiddenError(attrs, r.reason);
  }

  types(): TypeRegistry {
    this.registry ??= this.cfg.typeRegistry();
    return this.registry;
  }

  bound(group: string, version: string, plural: string): BoundResource | undefined {
    return this.boundByKey.get(`${group}/${version}/${plural}`);
  }

  private bind(rt: ResourceType): BoundResource {
    const clash = this.table.all().some((o) => o.plural === rt.plural && o.group !== rt.group);
    const prefix = resourcePrefix(rt, clash && rt.group !== '');
    const store = new Store({ rt, storage: this.storage, clock: this.clock, prefix, managedFields: this.cfg.managedFields, hooks: this.cfg.hooksFor?.(rt) });
    const b = { rt, store, prefix };
    this.boundByKey.set(`${rt.group}/${rt.version}/${rt.plural}`, b);
    return b;
  }

  async start(): Promise<void> {
    for (const rt of this.table.all()) this.bind(rt);
    this.unsubscribeTable = this.table.onChange((ch) => {
      const key = `${ch.resource.group}/${ch.resource.version}/${ch.resource.plural}`;
      if (ch.type === 'removed') {
        const b = this.boundByKey.get(key);
        this.boundByKey.delete(key);
        if (b && ![...this.boundByKey.values()].some((o) => o.prefix === b.prefix)) this.caches.drop(b.prefix);
      } else this.bind(ch.resource);
      this.openapi.invalidate();
    });
    const prefixes = [...new Set([...this.boundByKey.values()].map((b) => b.prefix))];
    await this.caches.start(prefixes);
    this.readyFlag = true;
  }

  close(): void {
    this.readyFlag = false;
    this.unsubscribeTable?.();
    this.caches.close();
  }

  /** Entry point for every HTTP request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let rep: ReturnType<typeof negotiate> = { kind: 'json' };
    try {
      rejectDotSegments(req.url ?? '/');
      const url = new URL(req.url ?? '/', 'https://localhost');
      const info = parseRequestPath(url.pathname);
      const user = await impersonate(req, await this.authenticate(req), (a) => this.authorize(a));
      for (const f of this.cfg.requestFilters ?? []) f(req, res, user, info, url);
      if (info.type !== 'resource') await this.authorize(nonResourceAttributes(user, req.method ?? 'GET', url.pathname));
      switch (info.type) {
        case 'nonResource':
          return await this.nonResource(req, res, url);
        case 'api':
          return this.discovery(req, res, true);
        case 'apis':
          return this.discovery(req, res, false);
        case 'group': {
          this.onlyGet(req);
          const g = apiGroup(this.table, info.group);
          if (!g) throw pageNotFound();
          return send(res, 200, g, negotiate(req.headers.accept));
        }
        case 'groupVersion': {
          this.onlyGet(req);
          const list = apiResourceList(this.table, info.group, info.version);
          if (!list) throw pageNotFound();
          return send(res, 200, list, negotiate(req.headers.accept));
        }
        case 'resource':
          return await this.resource(req, res, url, info, user);
      }
    } catch (err) {
      const se = toStatusError(err);
      if (se.httpCode >= 500) this.log.error('request failed', { method: req.method, url: req.url, error: err });
      if (!res.headersSent) sendStatusError(res, se, rep);
      else res.destroy();
      req.resume();
    }
    void rep;
  }

  /** Entry point for HTTP upgrade requests (exec, attach, portforward, proxy). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    return handleUpgradeRequest(this, this.cfg.kubeletClient, req, socket, head);
  }

  private onlyGet(req: IncomingMessage): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('the server does not allow this method on the requested resource');
  }

  private discovery(req: IncomingMessage, res: ServerResponse, core: boolean): void {
    this.onlyGet(req);
    const rep = negotiate(req.headers.accept, { discovery: true });
    const headers = { Vary: 'Accept' };
    if (rep.kind === 'discovery') return send(res, 200, aggregatedDiscovery(this.table, core, rep.version), rep, headers);
    const addr = { clientCIDR: '0.0.0.0/0', serverAddress: this.cfg.advertiseAddress };
    send(res, 200, core ? apiVersions(addr) : apiGroupList(this.table), rep, headers);
  }

  private async nonResource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === '/version' || path === '/version/') {
      this.onlyGet(req);
      return send(res, 200, versionInfo());
    }
    if (['/healthz', '/livez', '/readyz'].includes(path) || /^\/(healthz|livez|readyz)\/[a-z-]+$/.test(path)) {
      this.onlyGet(req);
      const ok = path.startsWith('/livez') || this.readyFlag;
      const body = url.searchParams.has('verbose')
        ? `[+]ping ok\n[${ok ? '+' : '-'}]storage ok\n${path.slice(1).split('/')[0]} check ${ok ? 'passed' : 'failed'}\n`
        : ok ? 'ok' : 'not ready';
      res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private' });
      return void res.end(body);
    }
    if (path === '/' ) {
      this.onlyGet(req);
      return send(res, 200, { paths: this.rootPaths() });
    }
    if (path.startsWith('/openapi/')) {
      this.onlyGet(req);
      return this.openapi.serve(req, res, url);
    }
    throw pageNotFound();
  }

  private rootPaths(): string[] {
    const paths = new Set(['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version', '/openapi/v2', '/openapi/v3', '/metrics']);
    for (const [g, vs] of this.table.groups()) {
      if (!g) continue;
      paths.add(`/apis/${g}`);
      for (const v of vs) paths.add(`/apis/${g}/${v}`);
    }
    return [...paths].sort();
  }

  private async resource(req: IncomingMessage, res: ServerResponse, url: URL, info: ResourceRequest, user: UserInfo): Promise<void> {
    const b = this.bound(info.group, info.version, info.resource);
    if (!b) throw pageNotFound();
    const { rt } = b;
    if (info.namespace !== undefined && !rt.namespaced) throw pageNotFound();
    if (info.subresource && !rt.subresources.some((s) => s.name === info.subresource)) throw pageNotFound();
    const query = url.searchParams;
    const dryRunValues = query.getAll('dryRun');
    for (const v of dryRunValues) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(v)}`.replace('Invalid dryRun value', 'dryRun: Unsupported value'));
    const ua = String(req.headers['user-agent'] ?? '');
    const manager = query.get('fieldManager') ?? (ua.split('/')[0].slice(0, 128) || 'unknown');
    const method = req.method ?? 'GET';
    const isWatch = info.watchPath || query.get('watch') === 'true' || query.get('watch') === '1';
    await this.authorize(resourceAttributes(user, method, info, isWatch));
    const ctx: RequestContext = { req, res, url, query, info, resource: b, parts: this, manager, dryRun: dryRunValues.length > 0, warnings: [], user };
    if (isConnectRequest(info)) return handleConnect(ctx, this.cfg.kubeletClient);
    if (rt.group === METRICS_GROUP) return this.metrics.handle(ctx);
    if (info.name === undefined) {
      if (method === 'GET') {
        if (!rt.verbs.includes('list') && !rt.verbs.includes('watch')) throw methodNotAllowed('the server does not allow this method on the requested resource');
        return isWatch ? handleWatch(ctx) : handleList(ctx);
      }
      if (method === 'POST') {
        if (!rt.verbs.includes('create')) throw methodNotAllowed('the server does not allow this method on the requested resource');
        return handleCreate(ctx);
      }
      if (method === 'DELETE') return handleDeleteCollection(ctx);
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
    switch (method) {
      case 'GET':
        if (isWatch) {
          // Watching one object by name: same as a collection watch pinned by field selector.
          query.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${info.name}`].filter(Boolean).join(','));
          return handleWatch(ctx);
        }
        if (info.subresource === 'scale') {
          const live = await b.store.getFromStorage(info.namespace, info.name);
          return getScale(ctx, live);
        }
        if (info.subresource && info.subresource !== 'status') throw methodNotAllowed('the server does not allow this method on the requested resource');
        return handleGet(ctx);
      case 'POST':
        if (info.subresource) return handleCreate(ctx);
        throw methodNotAllowed('the server does not allow this method on the requested resource');
      case 'PUT':
        return handleUpdate(ctx);
      case 'PATCH':
        return handlePatch(ctx);
      case 'DELETE':
        return handleDelete(ctx);
      default:
        throw methodNotAllowed('the server does not allow this method on the requested resource');
    }
  }
}

/** Upstream answers unknown paths with a plain 404 Status "the server could not find the requested resource". */
export function pageNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export { notFound };
