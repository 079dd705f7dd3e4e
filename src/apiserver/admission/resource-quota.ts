/**
 * ResourceQuota admission (upstream plugin/pkg/admission/resourcequota): a write that would
 * take a namespace past any of its quotas' `status.hard` is refused, and an admitted write is
 * charged to every quota it counts against by a compare-and-swap of `status.used` before
 * the object is stored, so concurrent creates cannot both take the last unit. (If the object
 * then fails to be stored, the quota controller's recount gives the charge back.)
 */
import { StatusError } from '../../api/status.js';
import type { Usage } from '../../controllers/resourcequota/usage.js';
import type { ServerParts } from '../handlers/context.js';
import { admissionForbidden } from './errors.js';
import { CachedReader, RESOURCE_QUOTAS } from './lookup.js';
import { evaluatorFor, podConstraintError, prettyPrint, quantity, subtract, type Evaluator, type Quota } from './quota-evaluation.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

/** Kinds whose updates can change usage; other updates cost nothing. */
const UPDATE_CHARGED = new Set(['/services', '/persistentvolumeclaims']);

interface Request {
  evaluator: Evaluator;
  delta: Usage;
}

function requestOf(a: AdmissionAttributes, now: number): Request | undefined {
  if (a.subresource || !a.rt.namespaced || !a.namespace || !a.object) return undefined;
  const evaluator = evaluatorFor(a.rt.group, a.rt.plural);
  if (a.operation === 'CREATE') return { evaluator, delta: evaluator.usage(a.object, now) };
  if (a.operation === 'UPDATE' && a.oldObject && UPDATE_CHARGED.has(`${a.rt.group}/${a.rt.plural}`)) {
    return { evaluator, delta: subtract(evaluator.usage(a.object, now), evaluator.usage(a.oldObject, now)) };
  }
  return undefined;
}

/**
 * Checks one quota; returns the new `status.used` values to write (undefined when the quota
 * is not concerned). Throws upstream's 403s.
 */
export function checkQuota(a: AdmissionAttributes, q: Quota, req: Request): Record<string, string> | undefined {
  const hard = q.status?.hard ?? {};
  const used = q.status?.used ?? {};
  const matching = Object.keys(hard).filter((n) => req.evaluator.handles(n));
  if (!matching.length || !req.evaluator.matchesScopes(q, a.object!)) return undefined;
  if (a.operation === 'CREATE' && a.rt.group === '' && a.rt.plural === 'pods') {
    const err = podConstraintError(a.object!, matching);
    if (err) throw admissionForbidden(a, `failed quota: ${q.metadata.name}: ${err}`);
  }
  const missing = matching.filter((n) => used[n] === undefined);
  if (missing.length) throw admissionForbidden(a, `status unknown for quota: ${q.metadata.name}, resources: ${missing.sort().join(',')}`);
  const requested = new Map([...req.delta].filter(([k, v]) => matching.includes(k) && !v.isZero()));
  if (!requested.size) return undefined;
  const next: Record<string, string> = {};
  const exceeded: string[] = [];
  for (const [k, v] of requested) {
    const total = quantity(used[k])!.add(v);
    const limit = quantity(hard[k]);
    if (limit && v.sign() > 0 && total.cmp(limit) > 0) exceeded.push(k);
    next[k] = total.toString();
  }
  if (exceeded.length) {
    const pick = (m: Map<string, string>) => new Map([...m].filter(([k]) => exceeded.includes(k)));
    const req = pick(new Map([...requested].map(([k, v]) => [k, v.toString()])));
    const usedNow = pick(new Map(Object.entries(used)));
    const limited = pick(new Map(Object.entries(hard)));
    throw admissionForbidden(a, `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(req)}, used: ${prettyPrint(usedNow)}, limited: ${prettyPrint(limited)}`);
  }
  return next;
}

export function resourceQuotaPlugin(parts: ServerParts, reader: CachedReader): AdmissionPlugin {
  async function charge(a: AdmissionAttributes, name: string, req: Request): Promise<boolean> {
    const b = parts.bound('', 'v1', 'resourcequotas');
    if (!b) return false;
    let charged = false;
    const gone = (err: unknown) => err instanceof StatusError && err.httpCode === 404;
    await b.store.update(a.namespace, name, (live) => {
      const next = checkQuota(a, live as Quota, req);
      charged = next !== undefined;
      if (!next) return live;
      const status = ((live as Quota).status ??= {});
      status.used = { ...(status.used ?? {}), ...next };
      return live;
    }, { manager: 'resourcequota-admission', dryRun: false, subresource: 'status' }).catch((err) => {
      // A quota deleted meanwhile constrains nothing.
      if (!gone(err)) throw err;
    });
    return charged;
  }

  async function refund(a: AdmissionAttributes, names: string[], req: Request): Promise<void> {
    const b = parts.bound('', 'v1', 'resourcequotas');
    if (!b) return;
    const back: Request = { evaluator: req.evaluator, delta: subtract(new Map(), req.delta) };
    for (const name of names) {
      await b.store
        .update(a.namespace, name, (live) => {
          const q = live as Quota;
          const used = { ...(q.status?.used ?? {}) };
          for (const [k, v] of back.delta) if (used[k] !== undefined) used[k] = quantity(used[k])!.add(v).toString();
          q.status = { ...(q.status ?? {}), used };
          return q;
        }, { manager: 'resourcequota-admission', dryRun: false, subresource: 'status' })
        .catch(() => undefined);
    }
  }

  return {
    name: 'ResourceQuota',
    async validate(a: AdmissionAttributes) {
      const req = requestOf(a, parts.clock.now());
      if (!req || !req.delta.size) return;
      const quotas = (await reader.list(RESOURCE_QUOTAS, a.namespace)) as Quota[];
      if (!quotas.length) return;
      // First against the cache, so a refusal costs no write; then charge with compare-and-swap.
      const concerned = quotas.filter((q) => checkQuota(a, q, req) !== undefined).map((q) => q.metadata.name!);
      if (a.dryRun) return;
      const done: string[] = [];
      try {
        for (const name of concerned.sort()) if (await charge(a, name, req)) done.push(name);
      } catch (err) {
        await refund(a, done, req);
        throw err;
      }
    },
  };
}

