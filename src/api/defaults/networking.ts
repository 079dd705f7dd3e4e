/** networking.k8s.io/v1 defaulting. */
import type { KubeObject } from '../object.js';
import { child, items, setDefaultString } from './set-default.js';

/** Ports default to TCP; policyTypes to Ingress, plus Egress when egress rules are present. */
export function defaultNetworkPolicy(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  for (const direction of ['ingress', 'egress']) {
    for (const rule of items(spec, direction)) {
      for (const port of items(rule, 'ports')) setDefaultString(port, 'protocol', 'TCP');
    }
  }
  if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
    const egress = Array.isArray(spec.egress) && spec.egress.length > 0;
    spec.policyTypes = egress ? ['Ingress', 'Egress'] : ['Ingress'];
  }
}
