/**
 * The RBAC objects of the cluster, read from the watch cache and indexed by subject, so the
 * rules of a user in a namespace are found without scanning every binding. The resolved rule
 * set of each (user, groups, namespace) is remembered until any RBAC object changes: that
 * keeps an authorization check a map lookup plus a walk over the user's own few rules.
 */
import type { UserInfo } from '../authn/types.js';
import type { ServerParts } from '../handlers/context.js';
import type { CacheEvent, CachedObject, WatchCache } from '../watch-cache.js';
import { RBAC_GROUP, serviceAccountUsername, type BindingObject, type PolicyRule, type RoleObject, type Subject } from './types.js';

export interface ResolvedRules {
  rules: PolicyRule[];
  /** Bindings that name a missing role (upstream reports them as evaluation errors). */
  errors: string[];
}

type Kind = 'clusterroles' | 'roles' | 'clusterrolebindings' | 'rolebindings';
const KINDS: Kind[] = ['clusterroles', 'roles', 'clusterrolebindings', 'rolebindings'];
const MEMO_LIMIT = 20_000;

function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns ? `u:${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

function userKeys(user: UserInfo): string[] {
  return [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
}

export class PolicyIndex {
  private readonly clusterRoles = new Map<string, RoleObject>();
  /** `ns/name` → Role. */
  private readonly roles = new Map<string, RoleObject>();
  private readonly objects = new Map<string, RoleObject | BindingObject>();
  /** subject key → storage keys of ClusterRoleBindings naming it. */
  private readonly clusterBySubject = new Map<string, Set<string>>();
  /** `ns\0subject key` → storage keys of RoleBindings naming it. */
  private readonly nsBySubject = new Map<string, Set<string>>();
  private readonly memo = new Map<string, ResolvedRules>();
  private readonly listeners = new Set<(kind: Kind) => void>();
  private loading: Promise<void> | undefined;
  private loaded = false;
  private unsubscribe: (() => void)[] = [];
  private closed = false;
  /** A cache was closed for a relist: wait until the relist is in before reading it again. */
  private relisting = false;

  private readonly parts: () => ServerParts;

  /** `parts` may be a getter: the index is built before the server that feeds it. */
  constructor(parts: ServerParts | (() => ServerParts)) {
    this.parts = typeof parts === 'function' ? parts : () => parts;
  }

  /** Resolves once the index holds the cache's content (re-loads after a cache reset). */
  ready(): Promise<void> | undefined {
    if (this.loaded) return undefined;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  close(): void {
    this.closed = true;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
  }

  /** Called after any RBAC object changes (the kind that changed). */
  onChange(fn: (kind: Kind) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  clusterRole(name: string): RoleObject | undefined {
    return this.clusterRoles.get(name);
  }

  role(namespace: string, name: string): RoleObject | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  allClusterRoles(): RoleObject[] {
    return [...this.clusterRoles.values()];
  }

  private async load(): Promise<void> {
    if (this.relisting) {
      await this.parts().caches.waitFresh();
      this.relisting = false;
    }
    const caches: [Kind, WatchCache][] = [];
    for (const kind of KINDS) {
      const b = this.parts().bound(RBAC_GROUP, 'v1', kind);
      if (!b) throw new Error(`RBAC resource ${kind} is not served`);
      caches.push([kind, await this.parts().caches.cache(b.prefix)]);
    }
    if (this.closed) return;
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.clear();
    // Listing and subscribing in one synchronous step: no event can fall between them.
    for (const [kind, cache] of caches) {
      for (const it of cache.list()) this.put(kind, it);
      this.unsubscribe.push(
        cache.subscribe({
          onEvent: (ev) => this.apply(kind, ev),
          onClose: () => {
            this.loaded = false;
            this.relisting = true;
            this.memo.clear();
          },
        }),
      );
    }
    this.loaded = true;
  }

  private clear(): void {
    this.clusterRoles.clear();
    this.roles.clear();
    this.objects.clear();
    this.clusterBySubject.clear();
    this.nsBySubject.clear();
    this.memo.clear();
  }

  private apply(kind: Kind, ev: CacheEvent): void {
    this.remove(kind, ev.cur.key);
    if (ev.type !== 'DELETED') this.put(kind, ev.cur);
    this.memo.clear();
    for (const fn of this.listeners) fn(kind);
  }

  private put(kind: Kind, it: CachedObject): void {
    const obj = it.obj as RoleObject & BindingObject;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    this.objects.set(it.key, obj);
    if (kind === 'clusterroles') this.clusterRoles.set(name, obj);
    else if (kind === 'roles') this.roles.set(`${ns}/${name}`, obj);
    else {
      for (const s of obj.subjects ?? []) {
        const sk = subjectKey(s, ns);
        if (!sk) continue;
        const index = kind === 'clusterrolebindings' ? this.clusterBySubject : this.nsBySubject;
        const k = kind === 'clusterrolebindings' ? sk : `${ns}\0${sk}`;
        let set = index.get(k);
        if (!set) index.set(k, (set = new Set()));
        set.add(it.key);
      }
    }
  }

  private remove(kind: Kind, key: string): void {
    const obj = this.objects.get(key) as (RoleObject & BindingObject) | undefined;
    if (!obj) return;
    this.objects.delete(key);
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    if (kind === 'clusterroles') this.clusterRoles.delete(name);
    else if (kind === 'roles') this.roles.delete(`${ns}/${name}`);
    else {
      for (const s of obj.subjects ?? []) {
        const sk = subjectKey(s, ns);
        if (!sk) continue;
        const index = kind === 'clusterrolebindings' ? this.clusterBySubject : this.nsBySubject;
        const k = kind === 'clusterrolebindings' ? sk : `${ns}\0${sk}`;
        const set = index.get(k);
        set?.delete(key);
        if (set?.size === 0) index.delete(k);
      }
    }
  }

  /**
   * Every rule that applies to the user in `namespace` (cluster-wide bindings always; role
   * bindings of that namespace when it is not empty). Call after `ready()`.
   */
  rulesFor(user: UserInfo, namespace: string): ResolvedRules {
    const memoKey = `${user.name}\0${user.groups.join('\x01')}\0${namespace}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const out: ResolvedRules = { rules: [], errors: [] };
    const keys = userKeys(user);
    const seen = new Set<string>();
    const visit = (bindingKeys: Set<string> | undefined) => {
      for (const bk of bindingKeys ?? []) {
        if (seen.has(bk)) continue;
        seen.add(bk);
        const b = this.objects.get(bk) as BindingObject | undefined;
        if (b) this.addRoleRules(b, out);
      }
    };
    for (const k of keys) visit(this.clusterBySubject.get(k));
    if (namespace) for (const k of keys) visit(this.nsBySubject.get(`${namespace}\0${k}`));
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    this.memo.set(memoKey, out);
    return out;
  }

  private addRoleRules(b: BindingObject, out: ResolvedRules): void {
    const ns = b.metadata.namespace ?? '';
    const ref = b.roleRef;
    const bindingWord = ns ? `RoleBinding "${b.metadata.name}" of ${ref.kind} "${ref.name}" to` : `ClusterRoleBinding "${b.metadata.name}" of ClusterRole "${ref.name}" to`;
    let role: RoleObject | undefined;
    if (ref.kind === 'ClusterRole') role = this.clusterRoles.get(ref.name);
    else if (ref.kind === 'Role' && ns) role = this.roles.get(`${ns}/${ref.name}`);
    if (!role) {
      const what = ref.kind === 'ClusterRole' ? `clusterrole.rbac.authorization.k8s.io "${ref.name}" not found` : `role.rbac.authorization.k8s.io "${ref.name}" not found`;
      out.errors.push(`${what} (${bindingWord} subjects)`);
      return;
    }
    for (const r of role.rules ?? []) if (r && Array.isArray(r.verbs)) out.rules.push(r);
  }
}
