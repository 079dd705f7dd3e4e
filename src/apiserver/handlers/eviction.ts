/**
 * POST pods/{name}/eviction (upstream pkg/registry/core/pod/storage/eviction.go): deletes a pod
 * unless that would violate its PodDisruptionBudget, in which case the answer is 429. An
 * allowed eviction is recorded in the budget's status (disruptionsAllowed decremented,
 * disruptedPods) with compare-and-swap before the pod is deleted.
 */
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { fromLabelSelectorObject, matchesLabels, type LabelSelectorObject } from '../../api/selectors/label-selector.js';
import { badRequest, notFound, StatusError } from '../../api/status.js';
import type { DeleteOptions } from '../../registry/store.js';
import { rfc3339 } from '../../registry/store.js';
import { decodeObjectBody, readBody, send } from '../negotiate.js';
import type { RequestContext } from './context.js';

interface Budget extends KubeObject {
  spec?: { selector?: LabelSelectorObject };
  status?: { disruptionsAllowed?: number; observedGeneration?: number; currentHealthy?: number; desiredHealthy?: number; disruptedPods?: Record<string, string> };
}

const TOO_MANY = 'Cannot evict pod as it would violate the pod\'s disruption budget.';

function phaseOf(pod: KubeObject): string {
  return ((pod.status ?? {}) as { phase?: string }).phase ?? '';
}

export async function handleEviction(ctx: RequestContext): Promise<void> {
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isPlainObject(body)) throw badRequest('the body must be an Eviction object');
  const name = ctx.info.name!;
  const ns = ctx.info.namespace!;
  const bodyName = isPlainObject(body.metadata) ? body.metadata.name : undefined;
  if (bodyName !== undefined && bodyName !== name) throw badRequest(`name in URL does not match name in Eviction object`);
  const deleteOptions = (isPlainObject(body.deleteOptions) ? body.deleteOptions : {}) as DeleteOptions;
  const pods = ctx.resource.store;
  const pod = await pods.getFromStorage(ns, name);
  const wctx = { manager: ctx.manager, dryRun: ctx.dryRun };
  // Terminal and already-terminating pods are not protected by budgets.
  const phase = phaseOf(pod);
  const ignoreBudget = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || pod.metadata.deletionTimestamp !== undefined;
  if (!ignoreBudget) await takeDisruption(ctx, pod);
  await pods.delete(ns, name, deleteOptions, wctx).catch((err) => {
    if (err instanceof StatusError && err.httpCode === 404) throw notFound({ group: '', plural: 'pods' }, name);
    throw err;
  });
  send(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

async function takeDisruption(ctx: RequestContext, pod: KubeObject): Promise<void> {
  const pdbs = ctx.parts.bound('policy', 'v1', 'poddisruptionbudgets');
  if (!pdbs) return;
  const ns = pod.metadata.namespace!;
  await ctx.parts.caches.waitFresh();
  const cache = await ctx.parts.caches.cache(pdbs.prefix);
  const matching = cache
    .list(`${pdbs.prefix}${ns}/`)
    .map((c) => c.obj as Budget)
    .filter((b) => {
      const sel = b.spec?.selector;
      if (!sel) return false;
      const reqs = fromLabelSelectorObject(sel);
      return reqs.length > 0 && matchesLabels(reqs, pod.metadata.labels);
    });
  if (matching.length === 0) return;
  if (matching.length > 1) {
    throw new StatusError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  }
  const budget = matching[0];
  const now = rfc3339(ctx.parts.clock.now());
  await pdbs.store.update(ns, budget.metadata.name!, (live) => {
    const b = live as Budget;
    const status = b.status ?? {};
    if ((status.observedGeneration ?? 0) < (b.metadata.generation ?? 0)) {
      throw tooMany(b, 'the disruption budget has not been observed by the controller yet');
    }
    const allowed = status.disruptionsAllowed ?? 0;
    if (allowed <= 0) {
      throw tooMany(b, `The disruption budget ${b.metadata.name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`);
    }
    status.disruptionsAllowed = allowed - 1;
    status.disruptedPods = { ...(status.disruptedPods ?? {}), [pod.metadata.name!]: now };
    b.status = status;
    return b;
  }, { manager: ctx.manager, dryRun: ctx.dryRun, subresource: 'status' });
}

function tooMany(budget: KubeObject, cause: string): StatusError {
  return new StatusError(429, 'TooManyRequests', TOO_MANY, {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    retryAfterSeconds: 0,
  } as never);
}
