/**
 * Impersonation (upstream endpoints/filters/impersonation.go): `Impersonate-User`,
 * `Impersonate-Group` (repeatable), `Impersonate-Uid` and `Impersonate-Extra-<key>` let a user
 * act as someone else, each asked for separately with the `impersonate` verb. The request then
 * carries the impersonated identity; the headers are removed so nothing downstream sees them.
 */
import type { IncomingMessage } from 'node:http';
import { internalError } from '../../api/status.js';
import type { Attributes } from '../authz/types.js';
import { parseServiceAccountUsername, serviceAccountGroups } from '../tokens/service-account-claims.js';
import { ANONYMOUS, type UserInfo } from './types.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';

/** Throws (403) unless the attributes are allowed: the server's authorize step. */
export type AuthorizeFn = (attrs: Attributes) => Promise<void>;

function values(req: IncomingMessage, name: string): string[] {
  const distinct = req.headersDistinct?.[name];
  if (distinct) return distinct;
  const v = req.headers[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function attrs(user: UserInfo, group: string, version: string, resource: string, name: string, namespace = '', subresource = ''): Attributes {
  return { user, verb: 'impersonate', resourceRequest: true, path: '', apiGroup: group, apiVersion: version, resource, subresource, namespace, name };
}

/** Extra keys travel percent-encoded in header names (upstream unescapeExtraKey). */
function extraKey(headerSuffix: string): string {
  try {
    return decodeURIComponent(headerSuffix);
  } catch {
    return headerSuffix;
  }
}

/**
 * Returns the user the request acts as: `user` itself without impersonation headers, else the
 * impersonated identity once every part of it is authorized for `user`.
 */
export async function impersonate(req: IncomingMessage, user: UserInfo, authorize: AuthorizeFn): Promise<UserInfo> {
  const name = values(req, USER)[0];
  const groupsAsked = values(req, GROUP);
  const uid = values(req, UID)[0];
  const extraHeaders = Object.keys(req.headers).filter((h) => h.startsWith(EXTRA_PREFIX));
  if (name === undefined && !groupsAsked.length && uid === undefined && !extraHeaders.length) return user;
  if (!name) {
    const what = [groupsAsked.length ? 'groups' : '', uid !== undefined ? 'uid' : '', extraHeaders.length ? 'user-extra' : ''].filter(Boolean).join(', ');
    throw internalError(`requested ${what || 'impersonation'} without impersonating a user`);
  }

  const checks: Attributes[] = [];
  const sa = parseServiceAccountUsername(name);
  let groups: string[] = [];
  if (sa) {
    checks.push(attrs(user, '', 'v1', 'serviceaccounts', sa.name, sa.namespace));
    // A service account's groups are fixed; they come with it unless groups are named.
    if (!groupsAsked.length) groups = serviceAccountGroups(sa.namespace);
  } else {
    checks.push(attrs(user, '', 'v1', 'users', name));
  }
  for (const g of groupsAsked) {
    checks.push(attrs(user, '', 'v1', 'groups', g));
    groups.push(g);
  }
  const extra: Record<string, string[]> = {};
  for (const h of extraHeaders) {
    const key = extraKey(h.slice(EXTRA_PREFIX.length));
    for (const v of values(req, h)) {
      checks.push(attrs(user, 'authentication.k8s.io', 'v1', 'userextras', v, '', key));
      (extra[key] ??= []).push(v);
    }
  }
  if (uid !== undefined) checks.push(attrs(user, 'authentication.k8s.io', 'v1', 'uids', uid));
  for (const a of checks) await authorize(a);

  if (name === ANONYMOUS.name) {
    if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  } else if (!groups.includes('system:authenticated')) groups.push('system:authenticated');
  for (const h of [USER, GROUP, UID, ...extraHeaders]) delete req.headers[h];
  const out: UserInfo = { name, groups };
  if (uid !== undefined) out.uid = uid;
  if (Object.keys(extra).length) out.extra = extra;
  return out;
}
