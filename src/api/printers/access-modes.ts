/** Upstream's GetAccessModesAsString: short names, deduplicated, in a fixed order. */
import { strs } from './json-fields.js';

const SHORT: [mode: string, short: string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

export function accessModesString(modes: unknown): string {
  const present = new Set(strs(modes));
  return SHORT.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}
