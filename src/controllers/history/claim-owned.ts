/**
 * Controller-ref claiming (upstream ControllerRefManager, used by ClaimPods and
 * ClaimControllerRevisions): an owner keeps what it controls and its selector matches, adopts
 * matching orphans, and releases what it controls but no longer matches. A deleting owner
 * adopts nothing and releases nothing.
 */
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, type LabelSelector } from '../../api/selectors/label-selector.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { Indexer } from '../../client/informer.js';
import type { ResourceRef } from '../../client/resources.js';
import { getControllerOf } from '../common/controller-ref.js';

/** Index name under which callers register `controllerUidIndex` on their informers. */
export const CONTROLLER_UID_INDEX = 'controller-uid';

export function controllerUidIndex(o: KubeObject): string[] {
  const ref = getControllerOf(o);
  return ref ? [ref.uid] : [];
}

export interface ClaimOptions {
  client: ApiClient;
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: LabelSelector;
  /** Indexed by CONTROLLER_UID_INDEX. */
  store: Indexer;
  resource: ResourceRef;
  /** Extra condition an orphan must meet to be adopted (StatefulSets: a member name). */
  adoptable?: (o: KubeObject) => boolean;
}

export async function claimOwned(o: ClaimOptions): Promise<KubeObject[]> {
  const { owner, client, resource } = o;
  const uid = owner.metadata.uid!;
  const deleting = Boolean(owner.metadata.deletionTimestamp);
  const result: KubeObject[] = [];
  // The uid in the patch makes it a precondition: we never re-own a recreated namesake.
  const setRefs = async (obj: KubeObject, refs: KubeObject['metadata']['ownerReferences']): Promise<KubeObject | undefined> => {
    try {
      return await client.patch(resource, obj.metadata.namespace, obj.metadata.name!, 'merge', { metadata: { ownerReferences: refs, uid: obj.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  for (const obj of o.store.byIndex(CONTROLLER_UID_INDEX, uid)) {
    if (obj.metadata.namespace !== owner.metadata.namespace) continue;
    if (deleting || matchesLabels(o.selector, obj.metadata.labels)) {
      result.push(obj);
      continue;
    }
    await setRefs(obj, (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid));
  }
  if (deleting) return result;
  for (const obj of o.store.listNamespace(owner.metadata.namespace)) {
    if (getControllerOf(obj) || obj.metadata.deletionTimestamp || !matchesLabels(o.selector, obj.metadata.labels)) continue;
    if (o.adoptable && !o.adoptable(obj)) continue;
    const ref = { apiVersion: o.ownerApiVersion, kind: o.ownerKind, name: owner.metadata.name!, uid, controller: true, blockOwnerDeletion: true };
    const adopted = await setRefs(obj, [...(obj.metadata.ownerReferences ?? []), ref]);
    if (adopted) result.push(adopted);
  }
  return result;
}
