/**
 * Deletes every namespaced object in a namespace (upstream namespace/deletion
 * namespaced_resources_deleter.go deleteAllContent): for each discovered resource that
 * supports delete, a DELETE of the collection (or of each item when deletecollection is not
 * served), then a list to see what remains. The estimate tells the controller when to look
 * again: pods' grace periods, or a fixed wait when only finalizers hold objects back.
 */
import type { KubeObject } from '../../api/object.js';
import type { ApiClient } from '../../client/client.js';
import { ApiError, isNotFound } from '../../client/errors.js';
import { resourcePath } from '../../client/resources.js';
import type { DeletionOutcome } from './conditions.js';
import { discover, supportsVerbs, type DiscoveredResource } from './discovery.js';

/** Seconds to wait before looking again at objects held by finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export interface ContentDeletionResult extends DeletionOutcome {
  /** Seconds until remaining content is expected to be gone; 0 = nothing expected. */
  estimate: number;
}

const isMethodNotSupported = (e: unknown) => e instanceof ApiError && (e.status === 405 || e.status === 404);

export async function deleteAllContent(client: ApiClient, namespace: string, deletedAt: number, now: number): Promise<ContentDeletionResult> {
  const d = await discover(client);
  const result: ContentDeletionResult = { discoveryFailures: d.failedGroups, contentErrors: [], remaining: new Map(), finalizers: new Map(), estimate: 0 };
  const deletable = d.preferred.filter((r) => r.namespaced && supportsVerbs(r, 'delete'));
  await Promise.all(
    deletable.map(async (r) => {
      try {
        const estimate = await deleteResourceContent(client, r, namespace, deletedAt, now, result);
        result.estimate = Math.max(result.estimate, estimate);
      } catch (err) {
        result.contentErrors.push(err instanceof Error ? err.message : String(err));
      }
    }),
  );
  return result;
}

async function deleteResourceContent(client: ApiClient, r: DiscoveredResource, namespace: string, deletedAt: number, now: number, out: DeletionOutcome): Promise<number> {
  const path = resourcePath(r, namespace);
  const canList = supportsVerbs(r, 'list');
  let estimate = 0;
  if (r.group === '' && r.resource === 'pods' && canList) {
    estimate = podGraceEstimate(await listItems(client, path));
    // Once the namespace has waited out the longest grace period there is nothing left to wait for.
    if (now - deletedAt >= estimate * 1000) estimate = 0;
  }
  let collectionDeleted = false;
  if (supportsVerbs(r, 'deletecollection')) {
    try {
      await client.raw('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      collectionDeleted = true;
    } catch (err) {
      if (!isMethodNotSupported(err)) throw err;
    }
  }
  if (!canList) return estimate;
  if (!collectionDeleted) {
    for (const item of await listItems(client, path)) {
      try {
        await client.raw('DELETE', `${path}/${encodeURIComponent(item.metadata.name!)}`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err) && !isMethodNotSupported(err)) throw err;
      }
    }
  }
  const left = await listItems(client, path);
  if (left.length === 0) return estimate;
  out.remaining.set(`${r.resource}.${r.group}`, left.length);
  let withFinalizers = false;
  for (const item of left) {
    for (const f of item.metadata.finalizers ?? []) {
      out.finalizers.set(f, (out.finalizers.get(f) ?? 0) + 1);
      withFinalizers = true;
    }
  }
  if (estimate === 0) {
    if (!withFinalizers) throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${r.group}/${r.version}, Resource=${r.resource}`);
    estimate = FINALIZER_ESTIMATE_SECONDS;
  }
  return estimate;
}

async function listItems(client: ApiClient, path: string): Promise<KubeObject[]> {
  const list = (await client.raw('GET', path)) as { items?: KubeObject[] };
  return list.items ?? [];
}

/** The longest termination grace period among pods that are not yet terminal. */
export function podGraceEstimate(pods: KubeObject[]): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = (pod.spec as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds;
    if (grace !== undefined && grace > estimate) estimate = grace;
  }
  return estimate;
}
