/**
 * A pod's QoS class as upstream computes it (pkg/apis/core/helper/qos): only cpu and memory
 * count; zero quantities are ignored; Guaranteed needs cpu and memory limits on every
 * container and requests equal to limits.
 */
import { parseQuantity } from './quantity.js';

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

interface ContainerLike {
  resources?: Resources;
}

const COMPUTE = ['cpu', 'memory'];

function nanos(q: string | undefined): bigint {
  if (q === undefined) return 0n;
  const p = parseQuantity(String(q));
  return p.ok ? p.quantity.nanos : 0n;
}

export function qosClass(spec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] }): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const name of COMPUTE) {
      const r = nanos(c.resources?.requests?.[name]);
      if (r > 0n) requests.set(name, (requests.get(name) ?? 0n) + r);
    }
    let limitsFound = 0;
    for (const name of COMPUTE) {
      const l = nanos(c.resources?.limits?.[name]);
      if (l > 0n) {
        limits.set(name, (limits.get(name) ?? 0n) + l);
        limitsFound++;
      }
    }
    if (limitsFound < COMPUTE.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of requests) if (limits.get(name) !== r) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
