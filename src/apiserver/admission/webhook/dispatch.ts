/**
 * MutatingAdmissionWebhook and ValidatingAdmissionWebhook (upstream apiserver
 * pkg/admission/plugin/webhook): configurations come from the watch cache, in name order;
 * mutating webhooks run one after another and may patch the object (JSONPatch), validating
 * ones run in parallel and may only refuse. failurePolicy decides what an unreachable or
 * broken webhook means.
 */
import { deepCopy, deepEqual, type KubeObject } from '../../../api/object.js';
import { applyJsonPatch } from '../../../api/patch/json-patch.js';
import { badRequest, internalError, StatusError, type StatusReason } from '../../../api/status.js';
import type { Logger } from '../../../base/logger.js';
import { CachedReader, NAMESPACES, type ResourceRef } from '../lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';
import { callWebhook, resolveTarget, WebhookCallError } from './client.js';
import { isExempt, namespaceSelectorMatches, objectSelectorMatches, rulesMatch, type Webhook } from './matching.js';
import { reviewRequest, type AdmissionResponse } from './review.js';

const MUTATING: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'mutatingwebhookconfigurations' };
const VALIDATING: ResourceRef = { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations' };

/** Upstream's webhookerrors.ToStatusErr: a refusal is at least a 400 and names the webhook. */
export function deniedError(name: string, status: AdmissionResponse['status']): StatusError {
  const by = `admission webhook ${JSON.stringify(name)} denied the request`;
  const message = status?.message ? `${by}: ${status.message}` : status?.reason ? `${by}: ${status.reason}` : `${by} without explanation`;
  const code = status?.code && status.code >= 400 ? status.code : 400;
  return new StatusError(code, (status?.reason ?? '') as StatusReason, message, status?.details as never);
}

function callFailed(name: string, err: unknown): StatusError {
  return internalError(`failed calling webhook ${JSON.stringify(name)}: failed to call webhook: ${(err as Error).message}`);
}

async function matchingWebhooks(reader: CachedReader, ref: ResourceRef, a: AdmissionAttributes): Promise<Webhook[]> {
  if (isExempt(a)) return [];
  const configs = (await reader.list(ref)).sort((x, y) => (x.metadata.name ?? '').localeCompare(y.metadata.name ?? ''));
  const candidates = configs.flatMap((c) => ((c as KubeObject & { webhooks?: Webhook[] }).webhooks ?? [])).filter((w) => rulesMatch(w, a) && objectSelectorMatches(w, a));
  if (!candidates.length) return [];
  const ns = a.rt.namespaced && a.namespace ? await reader.get(NAMESPACES, undefined, a.namespace) : undefined;
  return candidates.filter((w) => namespaceSelectorMatches(w, a, ns));
}

/** Calls one webhook; returns undefined when it failed and its failurePolicy is Ignore. */
async function invoke(reader: CachedReader, log: Logger, w: Webhook, a: AdmissionAttributes, object: KubeObject | undefined): Promise<AdmissionResponse | undefined> {
  if (a.dryRun && w.sideEffects !== 'None' && w.sideEffects !== 'NoneOnDryRun') {
    throw badRequest(`admission webhook ${JSON.stringify(w.name)} does not support dry run`);
  }
  const { uid, body } = reviewRequest(a, object);
  try {
    const target = await resolveTarget(w, reader);
    const res = await callWebhook(target, w.clientConfig.caBundle, body, (w.timeoutSeconds ?? 10) * 1000);
    if (res.uid !== uid) throw new WebhookCallError(`received invalid webhook response: expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(res.uid ?? '')}`);
    return res;
  } catch (err) {
    if (!(err instanceof WebhookCallError)) throw err;
    if (w.failurePolicy === 'Ignore') {
      log.warn('webhook failed, ignored by failurePolicy', { webhook: w.name, error: err.message });
      return undefined;
    }
    throw err.message.startsWith('received invalid') ? internalError(`failed calling webhook ${JSON.stringify(w.name)}: ${err.message}`) : callFailed(w.name, err);
  }
}

function replaceContents(target: KubeObject, source: KubeObject): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, source);
}

export function mutatingAdmissionWebhook(reader: CachedReader, log: Logger): AdmissionPlugin {
  async function runOne(w: Webhook, a: AdmissionAttributes): Promise<boolean> {
    const res = await invoke(reader, log, w, a, a.object);
    if (!res) return false;
    for (const m of res.warnings ?? []) a.warn?.(m);
    if (!res.allowed) throw deniedError(w.name, res.status);
    if (!res.patch || !a.object) return false;
    if (res.patchType !== 'JSONPatch') throw internalError(`failed calling webhook ${JSON.stringify(w.name)}: unsupported patch type ${JSON.stringify(res.patchType ?? '')}`);
    let patched: KubeObject;
    try {
      patched = applyJsonPatch(deepCopy(a.object), JSON.parse(Buffer.from(res.patch, 'base64').toString('utf8'))) as KubeObject;
    } catch (err) {
      throw internalError(`failed calling webhook ${JSON.stringify(w.name)}: ${(err as Error).message}`);
    }
    if (deepEqual(patched, a.object)) return false;
    replaceContents(a.object, patched);
    return true;
  }

  return {
    name: 'MutatingAdmissionWebhook',
    async admit(a: AdmissionAttributes) {
      const hooks = await matchingWebhooks(reader, MUTATING, a);
      // Reinvocation (IfNeeded): a webhook that ran before a later one changed the object runs once more.
      let lastChange = -1;
      for (const [i, w] of hooks.entries()) {
        if (await runOne(w, a)) lastChange = i;
      }
      const again = hooks.filter((w, i) => w.reinvocationPolicy === 'IfNeeded' && i < lastChange);
      for (const w of again) await runOne(w, a);
    },
  };
}

export function validatingAdmissionWebhook(reader: CachedReader, log: Logger): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionWebhook',
    async validate(a: AdmissionAttributes) {
      const hooks = await matchingWebhooks(reader, VALIDATING, a);
      if (!hooks.length) return;
      const results = await Promise.allSettled(hooks.map((w) => invoke(reader, log, w, a, a.object)));
      for (const [i, r] of results.entries()) {
        if (r.status === 'rejected') throw r.reason;
        for (const m of r.value?.warnings ?? []) a.warn?.(m);
        if (r.value && !r.value.allowed) throw deniedError(hooks[i].name, r.value.status);
      }
    },
  };
}
