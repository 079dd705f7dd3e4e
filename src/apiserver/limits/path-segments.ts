/**
 * Dot segments in request paths. WHATWG URL parsing resolves `..` and `%2e%2e`, which would
 * silently turn `/…/configmaps/..` into a request for the namespace itself; upstream never
 * resolves them and refuses such names (path.IsValidPathSegmentName → 400).
 */
import { StatusError } from '../../api/status.js';
import { parseRequestPath } from '../request-info.js';

function decode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/**
 * Throws a client-error StatusError when the raw request path has a `.` or `..` segment, or a
 * resource name or namespace that is not a valid path segment (an encoded `/`).
 */
export function rejectDotSegments(rawUrl: string): void {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const info = parseRequestPath(path);
  if (info.type === 'resource') {
    for (const [what, v] of [['Name', info.name], ['Namespace', info.namespace]] as const) {
      if (v === undefined) continue;
      const why = v === '.' || v === '..' ? `may not be '${v}'` : v.includes('/') ? "may not contain '/'" : undefined;
      if (why) throw new StatusError(400, 'BadRequest', `${what} parameter invalid: ${JSON.stringify(v)}: ${why}`, {});
    }
  }
  if (path.split('/').map(decode).some((s) => s === '.' || s === '..')) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  }
}
