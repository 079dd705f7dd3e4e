/**
 * DefaultTolerationSeconds (upstream plugin/pkg/admission/defaulttolerationseconds): new pods
 * tolerate not-ready and unreachable nodes for 300 s unless they say otherwise, so a node
 * problem evicts them only after five minutes.
 */
import { isResource } from './errors.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const DEFAULT_TOLERATION_SECONDS = 300;
const TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

export function addDefaultTolerations(spec: { tolerations?: Toleration[] }, seconds = DEFAULT_TOLERATION_SECONDS): void {
  const tolerations = spec.tolerations ?? [];
  for (const key of TAINTS) {
    // An empty key tolerates every taint; an empty effect tolerates every effect.
    const covered = tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
    if (!covered) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  spec.tolerations = tolerations;
}

export function defaultTolerationSeconds(): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    admit(a: AdmissionAttributes) {
      if (a.operation !== 'CREATE' || !isResource(a, '', 'pods') || !a.object) return;
      a.object.spec ??= {};
      addDefaultTolerations(a.object.spec as { tolerations?: Toleration[] });
    },
  };
}
