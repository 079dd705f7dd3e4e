/**
 * Puts the default policy in place at startup (upstream's reconcile of bootstrap roles):
 * missing objects are created; existing ones gain missing rules, selectors and subjects
 * unless their owner opted out with `rbac.authorization.kubernetes.io/autoupdate: "false"`.
 * Nothing is ever removed, so an administrator's additions survive restarts.
 */
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { StatusError } from '../../api/status.js';
import type { ServerParts } from '../handlers/context.js';
import { AUTOUPDATE_ANNOTATION, defaultClusterRoleBindings, defaultClusterRoles } from './default-policy.js';
import { RBAC_GROUP, type BindingObject, type RoleObject } from './types.js';

const MANAGER = 'skiff-apiserver';

const isStatus = (err: unknown, reason: string) => err instanceof StatusError && err.reason === reason;

function mergeMeta(live: KubeObject, want: KubeObject): void {
  live.metadata.labels = { ...want.metadata.labels, ...live.metadata.labels };
  live.metadata.annotations = { ...want.metadata.annotations, ...live.metadata.annotations };
}

function reconcileRole(live: RoleObject, want: RoleObject): RoleObject | undefined {
  const next = structuredClone(live);
  mergeMeta(next, want);
  const rules = [...(next.rules ?? [])];
  for (const r of want.rules ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
  next.rules = rules;
  const wantSelectors = want.aggregationRule?.clusterRoleSelectors ?? [];
  if (wantSelectors.length) {
    const selectors = [...(next.aggregationRule?.clusterRoleSelectors ?? [])];
    for (const s of wantSelectors) if (!selectors.some((x) => deepEqual(x, s))) selectors.push(s);
    next.aggregationRule = { clusterRoleSelectors: selectors };
  }
  return deepEqual(next, live) ? undefined : next;
}

function reconcileBinding(live: BindingObject, want: BindingObject): BindingObject | undefined {
  const next = structuredClone(live);
  mergeMeta(next, want);
  const subjects = [...(next.subjects ?? [])];
  for (const s of want.subjects ?? []) {
    if (!subjects.some((x) => x.kind === s.kind && x.name === s.name && (x.namespace ?? '') === (s.namespace ?? ''))) subjects.push(s);
  }
  if (subjects.length) next.subjects = subjects;
  return deepEqual(next, live) ? undefined : next;
}

async function ensure<T extends KubeObject>(parts: ServerParts, plural: string, want: T, reconcile: (live: T, want: T) => T | undefined): Promise<void> {
  const b = parts.bound(RBAC_GROUP, 'v1', plural);
  if (!b) throw new Error(`RBAC resource ${plural} is not served`);
  const name = want.metadata.name!;
  const ctx = { manager: MANAGER, dryRun: false };
  for (;;) {
    let live: KubeObject;
    try {
      live = await b.store.getFromStorage(undefined, name);
    } catch (err) {
      if (!isStatus(err, 'NotFound')) throw err;
      try {
        await b.store.create(structuredClone(want), ctx);
        return;
      } catch (e) {
        if (isStatus(e, 'AlreadyExists')) continue;
        throw e;
      }
    }
    if (live.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return;
    const liveRef = (live as BindingObject).roleRef;
    const wantRef = (want as KubeObject as BindingObject).roleRef;
    if (wantRef && liveRef && !deepEqual(liveRef, wantRef)) {
      // roleRef is immutable: a binding pointing elsewhere is replaced, as upstream does.
      await b.store.delete(undefined, name, { preconditions: { uid: live.metadata.uid } }, ctx).catch((e: unknown) => {
        if (!isStatus(e, 'NotFound') && !isStatus(e, 'Conflict')) throw e;
      });
      continue;
    }
    if (!reconcile(live as T, want)) return;
    try {
      await b.store.update(undefined, name, (cur) => reconcile(cur as T, want) ?? cur, ctx);
      return;
    } catch (err) {
      if (isStatus(err, 'NotFound')) continue;
      throw err;
    }
  }
}

/** Creates or tops up the default cluster roles and bindings. Safe to run on every start. */
export async function reconcileDefaultPolicy(parts: ServerParts): Promise<void> {
  // Every object is independent: issued together, the writes share the store's group commits.
  await Promise.all(defaultClusterRoles().map((role) => ensure(parts, 'clusterroles', role, reconcileRole)));
  await Promise.all(defaultClusterRoleBindings().map((binding) => ensure(parts, 'clusterrolebindings', binding, reconcileBinding)));
}
