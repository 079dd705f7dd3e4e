/**
 * Parses an API path into what it addresses (apiserver pkg/endpoints/request/requestinfo.go).
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}/{rest...}
 *   /apis/{group}/{version}/...      /api/v1/watch/... (deprecated watch paths)
 */
export interface ResourceRequest {
  type: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Path after the subresource, for proxy subresources. */
  subpath?: string;
  /** True for the deprecated /watch/ path prefix. */
  watchPath: boolean;
}

export type RequestInfo =
  | ResourceRequest
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'nonResource'; path: string };

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

export function parseRequestPath(pathname: string): RequestInfo {
  const trimmed = pathname.replace(/\/+$/, '');
  const parts = trimmed.split('/').slice(1).map(decode);
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    if (parts.length === 2) return { type: 'groupVersion', group: '', version: parts[1] };
    return resourceParts('', parts[1], parts.slice(2)) ?? { type: 'nonResource', path: pathname };
  }
  if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    if (parts.length === 2) return { type: 'group', group: parts[1] };
    if (parts.length === 3) return { type: 'groupVersion', group: parts[1], version: parts[2] };
    return resourceParts(parts[1], parts[2], parts.slice(3)) ?? { type: 'nonResource', path: pathname };
  }
  return { type: 'nonResource', path: pathname };
}

function resourceParts(group: string, version: string, rest: string[]): ResourceRequest | undefined {
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  if (rest.length === 0 || rest.some((p) => p === '')) return undefined;
  const base = { type: 'resource' as const, group, version, watchPath };
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    // /namespaces/{ns}/{resource}[/{name}[/{sub}[/...]]]
    const [, namespace, resource, name, subresource, ...more] = rest;
    return {
      ...base,
      namespace,
      resource,
      name,
      subresource,
      subpath: more.length ? more.join('/') : undefined,
    };
  }
  const [resource, name, subresource, ...more] = rest;
  return { ...base, resource, name, subresource, subpath: more.length ? more.join('/') : undefined };
}
