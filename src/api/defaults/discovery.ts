/** discovery.k8s.io/v1 defaulting. */
import type { KubeObject } from '../object.js';
import { items, setDefault, setDefaultString } from './set-default.js';

export function defaultEndpointSlice(obj: KubeObject): void {
  for (const port of items(obj, 'ports')) {
    setDefault(port, 'name', '');
    setDefaultString(port, 'protocol', 'TCP');
  }
}
