/** Storage keys of objects: `/registry/<resource>/<namespace>/<name>` like upstream. */
import type { ResourceType } from '../api/resource-type.js';

/**
 * The key prefix of a resource. Built-in resources use `/registry/<plural>/`; a plural that
 * two groups share (core and events.k8s.io `events`) and every non-built-in group get
 * `/registry/<group>/<plural>/` (upstream's layout for custom resources).
 */
export function resourcePrefix(rt: Pick<ResourceType, 'group' | 'plural'>, qualified = false): string {
  return qualified && rt.group ? `/registry/${rt.group}/${rt.plural}/` : `/registry/${rt.plural}/`;
}

export function objectKey(prefix: string, namespace: string | undefined, name: string): string {
  return namespace ? `${prefix}${namespace}/${name}` : `${prefix}${name}`;
}
