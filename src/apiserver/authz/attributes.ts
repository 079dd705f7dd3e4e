/** Request → authorization attributes and the 403 wording (apiserver endpoints/filters). */
import { StatusError } from '../../api/status.js';
import type { UserInfo } from '../authn/types.js';
import type { ResourceRequest } from '../request-info.js';
import type { Attributes } from './types.js';

export function resourceAttributes(user: UserInfo, method: string, info: ResourceRequest, isWatch: boolean): Attributes {
  let verb: string;
  switch (method) {
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = info.name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = isWatch ? 'watch' : info.name === undefined ? 'list' : 'get';
  }
  // A namespace's own name is its namespace for authorization (upstream requestinfo).
  const namespace = info.group === '' && info.resource === 'namespaces' && info.name && !info.namespace ? info.name : (info.namespace ?? '');
  return {
    user,
    verb,
    resourceRequest: true,
    path: '',
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource ?? '',
    namespace,
    name: info.name ?? '',
  };
}

export function nonResourceAttributes(user: UserInfo, method: string, path: string): Attributes {
  return { user, verb: method.toLowerCase(), resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

/** Upstream's forbidden message (responsewriters.forbiddenMessage). */
export function forbiddenError(a: Attributes, reason?: string): StatusError {
  const who = `User "${a.user.name}"`;
  let msg: string;
  if (!a.resourceRequest) {
    msg = `forbidden: ${who} cannot ${a.verb} path "${a.path}"`;
  } else {
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    const subject = a.name ? `${resource} "${a.name}"` : resource;
    msg = `${subject} is forbidden: ${who} cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
  }
  if (reason) msg += `: ${reason}`;
  return new StatusError(403, 'Forbidden', msg, a.resourceRequest ? { name: a.name || undefined, group: a.apiGroup || undefined, kind: a.resource } : {});
}

export function unauthorizedError(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}
