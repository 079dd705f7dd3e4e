/**
 * Claiming dependents (upstream ControllerRefManager): an owner adopts orphans its selector
 * matches and releases objects it owns that no longer match (ReplicaSet → pods, Deployment →
 * ReplicaSets). Objects owned by another controller are never touched. Patches carry the pod's resourceVersion so a racing writer wins cleanly.
 */
import type { KubeObject } from '../../api/object.js';
import { matchesLabels, type LabelSelector } from '../../api/selectors/label-selector.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { ResourceRef } from '../../client/resources.js';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';

export interface ClaimOptions {
  client: ApiClient;
  /** The dependents' resource. */
  resource: ResourceRef;
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: LabelSelector;
  /** Re-reads the owner from the API before the first adoption (upstream canAdopt). */
  canAdopt: () => Promise<boolean>;
}

/** Returns the objects the owner controls after adoptions and releases. */
export async function claimObjects<T extends KubeObject>(pods: T[], opts: ClaimOptions): Promise<T[]> {
  const { client, owner, selector } = opts;
  const claimed: T[] = [];
  let adoptable: boolean | undefined;
  const errors: unknown[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    const matches = matchesLabels(selector, pod.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches || owner.metadata.deletionTimestamp) {
        claimed.push(pod);
        continue;
      }
      try {
        await release(client, opts.resource, pod, owner.metadata.uid!);
      } catch (err) {
        if (!isNotFound(err)) errors.push(err);
      }
      continue;
    }
    if (!matches || owner.metadata.deletionTimestamp || pod.metadata.deletionTimestamp) continue;
    adoptable ??= await opts.canAdopt();
    if (!adoptable) continue;
    try {
      claimed.push(await adopt(client, opts.resource, pod, newControllerRef(owner, opts.ownerApiVersion, opts.ownerKind)));
    } catch (err) {
      if (!isNotFound(err)) errors.push(err);
    }
  }
  if (errors.length) throw errors[0];
  return claimed;
}

async function adopt<T extends KubeObject>(client: ApiClient, resource: ResourceRef, pod: T, ref: ReturnType<typeof newControllerRef>): Promise<T> {
  const refs = [...(pod.metadata.ownerReferences ?? []), ref];
  return client.patch<T>(resource, pod.metadata.namespace, pod.metadata.name!, 'merge', {
    metadata: { ownerReferences: refs, resourceVersion: pod.metadata.resourceVersion },
  });
}

async function release(client: ApiClient, resource: ResourceRef, pod: KubeObject, ownerUid: string): Promise<void> {
  const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  await client.patch(resource, pod.metadata.namespace, pod.metadata.name!, 'merge', {
    metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: pod.metadata.resourceVersion },
  });
}
