/**
 * Long-running requests (upstream's --long-running-request-regexp plus watch): they hold a
 * connection by design, so in-flight limits and request timeouts do not apply to them.
 */
import type { RequestInfo } from '../request-info.js';

const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function isWatchRequest(info: RequestInfo, query: URLSearchParams): boolean {
  return info.type === 'resource' && (info.watchPath || query.get('watch') === 'true' || query.get('watch') === '1');
}

export function isLongRunning(info: RequestInfo, query: URLSearchParams): boolean {
  if (info.type !== 'resource') return false;
  if (isWatchRequest(info, query)) return true;
  if (info.subresource && STREAMING_SUBRESOURCES.has(info.subresource)) return true;
  return info.subresource === 'log' && (query.get('follow') === 'true' || query.get('follow') === '1');
}

export function isMutating(method: string): boolean {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
}
