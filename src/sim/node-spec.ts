/** What a simulated node looks like: the data `skiff sim` flags turn into Node objects. */
export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeSpec {
  name: string;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Address in status.addresses (InternalIP). */
  internalIP: string;
  /** Where pod IPs come from until node IPAM sets spec.podCIDR. */
  fallbackPodCIDR: string;
}

export interface NodeSpecOptions {
  count: number;
  namePrefix: string;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Index of the first node; keeps fake addresses apart between several `skiff sim` runs. */
  firstIndex?: number;
}

/**
 * N node specs named `<prefix>-<i>` with InternalIPs from 10.200.0.0/16 and fallback pod
 * ranges of one /24 each from 100.64.0.0/10 (shared address space, never routed here).
 */
export function nodeSpecs(o: NodeSpecOptions): NodeSpec[] {
  const out: NodeSpec[] = [];
  const first = o.firstIndex ?? 0;
  for (let i = first; i < first + o.count; i++) {
    const host = i + 1;
    out.push({
      name: `${o.namePrefix}-${i}`,
      cpu: o.cpu,
      memory: o.memory,
      pods: o.pods,
      ephemeralStorage: o.ephemeralStorage,
      labels: { ...o.labels },
      taints: o.taints.map((t) => ({ ...t })),
      internalIP: `10.200.${(host >> 8) & 255}.${host & 255}`,
      fallbackPodCIDR: `100.${64 + ((i >> 8) & 63)}.${i & 255}.0/24`,
    });
  }
  return out;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

/** `key=value:Effect` or `key:Effect`, as `kubectl taint` writes them. */
export function parseTaint(s: string): Taint {
  const i = s.lastIndexOf(':');
  if (i < 0) throw new Error(`invalid taint "${s}": want key[=value]:Effect`);
  const effect = s.slice(i + 1);
  if (!EFFECTS.has(effect)) throw new Error(`invalid taint effect "${effect}" in "${s}"`);
  const kv = s.slice(0, i);
  const eq = kv.indexOf('=');
  const key = eq < 0 ? kv : kv.slice(0, eq);
  if (!key) throw new Error(`invalid taint "${s}": empty key`);
  return eq < 0 ? { key, effect: effect as Taint['effect'] } : { key, value: kv.slice(eq + 1), effect: effect as Taint['effect'] };
}

export function parseLabels(items: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`invalid label "${item}": want key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
