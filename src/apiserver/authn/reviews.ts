/**
 * authentication.k8s.io reviews, answered and never stored: SelfSubjectReview (who am I —
 * `kubectl auth whoami`) and TokenReview (whose is this token — webhooks and proxies ask).
 */
import { isPlainObject } from '../../api/object.js';
import { badRequest, methodNotAllowed } from '../../api/status.js';
import { apiVersionOf } from '../../api/resource-type.js';
import type { RequestContext } from '../handlers/context.js';
import { decodeObjectBody, negotiate, readBody, send } from '../negotiate.js';
import { InvalidTokenError } from './token.js';
import type { UserInfo } from './types.js';

/** UserInfo in authentication.k8s.io wire form. */
function wireUser(u: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: u.name };
  if (u.uid) out.uid = u.uid;
  out.groups = [...u.groups];
  if (u.extra && Object.keys(u.extra).length) out.extra = u.extra;
  return out;
}

async function readReview(ctx: RequestContext, kind: string): Promise<Record<string, unknown>> {
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isPlainObject(body)) throw badRequest(`the body must be a ${kind} object`);
  if (body.kind !== undefined && body.kind !== kind) {
    throw badRequest(`the kind of the object (${String(body.kind)}) does not match the kind of the request (${kind})`);
  }
  return body;
}

export async function handleAuthenticationReview(ctx: RequestContext): Promise<void> {
  const { rt } = ctx.resource;
  const rep = negotiate(ctx.req.headers.accept);
  const apiVersion = apiVersionOf(rt);
  const body = await readReview(ctx, rt.kind);
  const metadata = isPlainObject(body.metadata) ? { ...body.metadata, creationTimestamp: null } : { creationTimestamp: null };
  switch (rt.kind) {
    case 'SelfSubjectReview':
      return send(ctx.res, 201, { kind: rt.kind, apiVersion, metadata, status: { userInfo: wireUser(ctx.user) } }, rep);
    case 'TokenReview': {
      const spec = (isPlainObject(body.spec) ? body.spec : {}) as { token?: unknown; audiences?: unknown };
      if (typeof spec.token !== 'string' || !spec.token) throw badRequest('token is required for TokenReview in authentication');
      const asked = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
      const status: Record<string, unknown> = { user: {} };
      try {
        const r = await ctx.parts.authentication?.tokens.authenticateToken(spec.token, asked.length ? asked : undefined);
        if (r) {
          status.authenticated = true;
          status.user = wireUser({ ...r.user, groups: r.user.groups.includes('system:authenticated') ? r.user.groups : [...r.user.groups, 'system:authenticated'] });
          status.audiences = r.audiences;
        }
      } catch (err) {
        if (!(err instanceof InvalidTokenError)) throw err;
        status.error = err.message;
      }
      return send(ctx.res, 201, { kind: rt.kind, apiVersion, metadata, spec: { token: spec.token, ...(asked.length ? { audiences: asked } : {}) }, status }, rep);
    }
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
}
