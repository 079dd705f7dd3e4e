/**
 * POST serviceaccounts/<name>/token (upstream pkg/registry/core/serviceaccount/storage/token.go):
 * a TokenRequest in, the same TokenRequest out with status.token and expirationTimestamp. The
 * token may be bound to a Pod, Secret or Node; it then dies with that object.
 */
import type { KubeObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import { badRequest, conflict, invalid, notFound, StatusError } from '../../api/status.js';
import { invalid as invalidField } from '../../api/field-errors.js';
import { rfc3339 } from '../../registry/store.js';
import type { RequestContext } from '../handlers/context.js';
import { decodeObjectBody, negotiate, readBody, send } from '../negotiate.js';
import type { TokenClaimsInput } from './issuer.js';
import { EXTENDED_EXPIRATION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS, type ObjectRef } from './service-account-claims.js';

const API_VERSION = 'authentication.k8s.io/v1';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef?: BoundObjectReference | null;
}

function specOf(body: Record<string, unknown>): TokenRequestSpec {
  const spec = isPlainObject(body.spec) ? (body.spec as TokenRequestSpec) : {};
  if (spec.audiences !== undefined && (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string'))) {
    throw badRequest('TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.audiences must be a list of strings');
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null && !Number.isInteger(Number(spec.expirationSeconds))) {
    throw badRequest('TokenRequest in version "v1" cannot be handled as a TokenRequest: spec.expirationSeconds must be an integer');
  }
  return spec;
}

async function getOrNotFound(ctx: RequestContext, plural: 'pods' | 'secrets' | 'nodes', namespace: string | undefined, name: string): Promise<KubeObject> {
  const b = ctx.parts.bound('', 'v1', plural);
  if (!b) throw notFound({ group: '', plural }, name);
  return b.store.getFromStorage(b.rt.namespaced ? namespace : undefined, name);
}

function refOf(obj: KubeObject): ObjectRef {
  return { name: obj.metadata.name!, uid: obj.metadata.uid! };
}

export async function handleTokenRequest(ctx: RequestContext): Promise<void> {
  const authn = ctx.parts.authentication;
  if (!authn) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  const rep = negotiate(ctx.req.headers.accept);
  const name = ctx.info.name!;
  const ns = ctx.info.namespace!;
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isPlainObject(body)) throw badRequest('the body must be a TokenRequest object');
  if (body.kind !== undefined && body.kind !== 'TokenRequest') {
    throw badRequest(`the kind of the object (${String(body.kind)}) does not match the kind of the request (TokenRequest)`);
  }
  const meta = isPlainObject(body.metadata) ? (body.metadata as { name?: string; namespace?: string }) : {};
  if (meta.name && meta.name !== name) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [invalidField('metadata.name', meta.name, 'must match the service account name if specified')]);
  }
  if (meta.namespace && meta.namespace !== ns) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [invalidField('metadata.namespace', meta.namespace, 'must match the service account namespace if specified')]);
  }
  const spec = specOf(body);
  const expirationSeconds = spec.expirationSeconds == null ? DEFAULT_EXPIRATION_SECONDS : Number(spec.expirationSeconds);
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes')]);
  }
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) {
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds')]);
  }
  const audiences = spec.audiences?.length ? spec.audiences : authn.apiAudiences;

  const sa = await ctx.resource.store.getFromStorage(ns, name);
  const input: TokenClaimsInput = { namespace: ns, serviceAccount: refOf(sa), audiences };
  const ref = isPlainObject(spec.boundObjectRef) ? (spec.boundObjectRef as BoundObjectReference) : undefined;
  let bound: KubeObject | undefined;
  if (ref) {
    const refName = ref.name ?? '';
    const apiVersion = ref.apiVersion ?? '';
    if (apiVersion !== 'v1' || !['Pod', 'Secret', 'Node'].includes(ref.kind ?? '')) {
      throw badRequest(`cannot bind token to object of type ${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}, Kind=${ref.kind ?? ''}`);
    }
    if (ref.kind === 'Pod') {
      bound = await getOrNotFound(ctx, 'pods', ns, refName);
      const podSA = ((bound.spec ?? {}) as { serviceAccountName?: string }).serviceAccountName;
      if (podSA !== name) throw badRequest(`cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`);
      input.pod = refOf(bound);
      const nodeName = ((bound.spec ?? {}) as { nodeName?: string }).nodeName;
      if (nodeName) {
        const node = await getOrNotFound(ctx, 'nodes', undefined, nodeName).catch(() => undefined);
        if (node) input.node = refOf(node);
      }
    } else if (ref.kind === 'Secret') {
      bound = await getOrNotFound(ctx, 'secrets', ns, refName);
      input.secret = refOf(bound);
    } else {
      bound = await getOrNotFound(ctx, 'nodes', undefined, refName);
      input.node = refOf(bound);
    }
    if (ref.uid && ref.uid !== bound.metadata.uid) {
      throw conflict({ group: '', plural: ref.kind! }, refName, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
  }

  // A kubelet asking for 3607 s of a pod-bound API token gets a year-long one that only warns
  // after 3607 s, so clients that never reload their token keep working (upstream default).
  const extended = ref?.kind === 'Pod' && expirationSeconds === WARN_ONLY_EXPIRATION_SECONDS && audiences.every((a) => authn.apiAudiences.includes(a));
  const now = ctx.parts.clock.now();
  const { token } = extended
    ? authn.issuer.issue(input, now, EXTENDED_EXPIRATION_SECONDS, WARN_ONLY_EXPIRATION_SECONDS)
    : authn.issuer.issue(input, now, expirationSeconds);
  const out = {
    kind: 'TokenRequest',
    apiVersion: API_VERSION,
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: {
      audiences,
      expirationSeconds,
      boundObjectRef: ref ? { kind: ref.kind, apiVersion: ref.apiVersion, name: ref.name, uid: bound?.metadata.uid } : null,
    },
    status: { token, expirationTimestamp: rfc3339(Math.floor(now / 1000) * 1000 + expirationSeconds * 1000) },
  };
  send(ctx.res, 201, out, rep);
}
