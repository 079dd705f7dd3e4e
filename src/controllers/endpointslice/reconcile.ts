/**
 * Plans the writes that take a Service's existing EndpointSlices to the desired endpoints with
 * as few changes as possible (upstream reconciler.go, simplified): a slice keeps the endpoints
 * it already has that are still wanted, new endpoints fill the slices already being rewritten
 * first, then slices with room, and only then new slices. Slices left empty are deleted, but a
 * Service without endpoints keeps one empty placeholder slice, as upstream does.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import { endpointKey, portsKey, type PortGroup, type SliceEndpoint, type SlicePort } from './desired-endpoints.js';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceWrite {
  /** The existing slice rewritten (undefined: a new slice). */
  existing?: KubeObject;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export interface SlicePlan {
  create: SliceWrite[];
  update: SliceWrite[];
  delete: KubeObject[];
  /** Existing slices whose endpoints and ports are already right (metadata may still need a fix). */
  unchanged: KubeObject[];
}

interface Working {
  existing: KubeObject;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
  changed: boolean;
}

export function planSlices(existing: KubeObject[], desired: Map<string, PortGroup>, maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [], unchanged: [] };
  const byPorts = new Map<string, KubeObject[]>();
  for (const s of existing) {
    const key = portsKey((s.ports as SlicePort[] | undefined) ?? []);
    if (!byPorts.has(key)) byPorts.set(key, []);
    byPorts.get(key)!.push(s);
  }

  for (const [key, group] of desired) {
    const remaining = new Map(group.endpoints);
    const working: Working[] = [];
    for (const slice of byPorts.get(key) ?? []) {
      const old = (slice.endpoints as SliceEndpoint[] | undefined) ?? [];
      const kept: SliceEndpoint[] = [];
      let changed = false;
      for (const e of old) {
        const want = remaining.get(endpointKey(e));
        if (!want || kept.length >= maxPerSlice) {
          changed = true;
          continue;
        }
        remaining.delete(endpointKey(e));
        if (!deepEqual(e, want)) changed = true;
        kept.push(want);
      }
      working.push({ existing: slice, ports: group.ports, endpoints: kept, changed });
    }
    byPorts.delete(key);
    // Fill slices being rewritten anyway first, then any slice with room, then new slices.
    const fillOrder = [...working.filter((w) => w.changed), ...working.filter((w) => !w.changed)];
    const pending = [...remaining.values()];
    for (const w of fillOrder) {
      while (pending.length && w.endpoints.length < maxPerSlice) {
        w.endpoints.push(pending.shift()!);
        w.changed = true;
      }
    }
    for (const w of working) {
      if (w.endpoints.length === 0) plan.delete.push(w.existing);
      else if (w.changed) plan.update.push({ existing: w.existing, ports: w.ports, endpoints: w.endpoints });
      else plan.unchanged.push(w.existing);
    }
    while (pending.length) plan.create.push({ ports: group.ports, endpoints: pending.splice(0, maxPerSlice) });
  }
  for (const slices of byPorts.values()) plan.delete.push(...slices);

  // A Service with no endpoints at all keeps exactly one empty placeholder slice.
  if (desired.size === 0 || [...desired.values()].every((g) => g.endpoints.size === 0)) {
    const placeholder = plan.delete.find((s) => ((s.endpoints as unknown[] | undefined) ?? []).length === 0 && ((s.ports as unknown[] | undefined) ?? []).length === 0);
    if (placeholder) {
      plan.delete = plan.delete.filter((s) => s !== placeholder);
      plan.unchanged.push(placeholder);
    } else if (plan.delete.length) {
      const reuse = plan.delete.shift()!;
      plan.update.push({ existing: reuse, ports: [], endpoints: [] });
    } else plan.create.push({ ports: [], endpoints: [] });
  }
  return plan;
}
