/**
 * authorization.k8s.io reviews, answered from the authorizer and never stored:
 * SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview (`kubectl auth
 * can-i`) and SelfSubjectRulesReview (`kubectl auth can-i --list`).
 */
import { isPlainObject } from '../../api/object.js';
import { invalid as invalidField } from '../../api/field-errors.js';
import { apiVersionOf } from '../../api/resource-type.js';
import { badRequest, invalid, methodNotAllowed } from '../../api/status.js';
import type { UserInfo } from '../authn/types.js';
import type { RequestContext } from '../handlers/context.js';
import { decodeObjectBody, negotiate, readBody, send } from '../negotiate.js';
import type { PolicyRule } from '../rbac/types.js';
import { alwaysAllow, type Attributes, type Authorizer } from './types.js';
import type { RuleResolver } from '../rbac/authorizer.js';

type Rec = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);


function reviewAttributes(user: UserInfo, spec: Rec): Attributes | undefined {
  const ra = isPlainObject(spec.resourceAttributes) ? (spec.resourceAttributes as Rec) : undefined;
  const na = isPlainObject(spec.nonResourceAttributes) ? (spec.nonResourceAttributes as Rec) : undefined;
  if (!!ra === !!na) return undefined;
  if (na) return { user, verb: str(na.verb), resourceRequest: false, path: str(na.path), apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
  return {
    user,
    verb: str(ra!.verb),
    resourceRequest: true,
    path: '',
    apiGroup: str(ra!.group),
    apiVersion: str(ra!.version),
    resource: str(ra!.resource),
    subresource: str(ra!.subresource),
    namespace: str(ra!.namespace),
    name: str(ra!.name),
  };
}

function specUser(spec: Rec): UserInfo {
  const extra: Record<string, string[]> = {};
  if (isPlainObject(spec.extra)) for (const [k, v] of Object.entries(spec.extra as Rec)) extra[k] = strings(v);
  const u: UserInfo = { name: str(spec.user), groups: strings(spec.groups) };
  if (str(spec.uid)) u.uid = str(spec.uid);
  if (Object.keys(extra).length) u.extra = extra;
  return u;
}

function wireRules(rules: PolicyRule[]): { resourceRules: Rec[]; nonResourceRules: Rec[] } {
  const resourceRules: Rec[] = [];
  const nonResourceRules: Rec[] = [];
  for (const r of rules) {
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    else {
      const out: Rec = { verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources ?? [] };
      if (r.resourceNames?.length) out.resourceNames = r.resourceNames;
      resourceRules.push(out);
    }
  }
  return { resourceRules, nonResourceRules };
}

export async function handleAccessReview(ctx: RequestContext): Promise<void> {
  const { rt } = ctx.resource;
  const rep = negotiate(ctx.req.headers.accept);
  const body = decodeObjectBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isPlainObject(body)) throw badRequest(`the body must be a ${rt.kind} object`);
  if (body.kind !== undefined && body.kind !== rt.kind) {
    throw badRequest(`the kind of the object (${String(body.kind)}) does not match the kind of the request (${rt.kind})`);
  }
  const authorizer: Authorizer & Partial<RuleResolver> = ctx.parts.authorizer ?? alwaysAllow;
  const spec = (isPlainObject(body.spec) ? body.spec : {}) as Rec;
  const metadata: Rec = { ...(isPlainObject(body.metadata) ? (body.metadata as Rec) : {}), creationTimestamp: null };
  const answer = (status: Rec, outSpec: Rec = spec) => send(ctx.res, 201, { kind: rt.kind, apiVersion: apiVersionOf(rt), metadata, spec: outSpec, status }, rep);
  const invalidSpec = (field: string, value: unknown, detail: string) => invalid(rt.kind, rt.group, str(metadata.name), [invalidField(field, value, detail)]);

  if (rt.kind === 'SelfSubjectRulesReview') {
    const namespace = str(spec.namespace);
    if (!authorizer.rulesFor) return answer({ resourceRules: [], nonResourceRules: [], incomplete: true });
    const resolved = await authorizer.rulesFor(ctx.user, namespace);
    const status: Rec = { ...wireRules(resolved.rules), incomplete: resolved.errors.length > 0 };
    if (resolved.errors.length) status.evaluationError = resolved.errors.join(', ');
    return answer(status);
  }

  let user: UserInfo;
  switch (rt.kind) {
    case 'SelfSubjectAccessReview':
      user = ctx.user;
      break;
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      user = specUser(spec);
      if (!user.name && user.groups.length === 0) throw invalidSpec('spec.user', '', 'at least one of user or group must be specified');
      break;
    default:
      throw methodNotAllowed('the server does not allow this method on the requested resource');
  }
  const attrs = reviewAttributes(user, spec);
  if (!attrs) throw invalidSpec('spec.resourceAttributes', spec.resourceAttributes ?? null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified');
  if (rt.kind === 'LocalSubjectAccessReview') {
    if (!attrs.resourceRequest) throw invalidSpec('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request');
    const ns = ctx.info.namespace ?? '';
    if (!attrs.namespace) attrs.namespace = ns;
    else if (attrs.namespace !== ns) {
      throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${ns}`);
    }
    (spec.resourceAttributes as Rec).namespace = ns;
    metadata.namespace = ns;
  }
  const r = await authorizer.authorize(attrs);
  const status: Rec = { allowed: r.decision === 'allow' };
  if (r.decision === 'deny') status.denied = true;
  if (r.reason) status.reason = r.reason;
  return answer(status);
}
