/**
 * Startup repair of the allocation keys (upstream ipallocator/portallocator repair
 * controllers). A crash between taking a value and writing the Service, or between deleting a
 * Service and releasing its values, leaves keys that disagree with the Services; this makes
 * them agree again.
 */
import type { KubeObject } from '../../api/object.js';
import { realClock, type Clock } from '../../base/clock.js';
import type { Storage } from '../../storage/interface.js';
import { AllocationKeys, SERVICE_IPS_PREFIX, SERVICE_NODE_PORTS_PREFIX, type AllocationEntry } from './allocation-record.js';
import { heldValues, ownerOf } from './service-fields.js';

export interface RepairOptions {
  clock?: Pick<Clock, 'now'>;
  /**
   * Records younger than this are left alone: another API server sharing the store may be
   * between allocating and writing its Service. Default one minute.
   */
  minAgeMs?: number;
}

export interface RepairReport {
  /** Keys deleted because no Service holds their value (`ip` or `port` values). */
  released: string[];
  /** Keys written for values a Service holds that had none. */
  claimed: string[];
  /** Values a Service holds whose key names another, live owner (left as they are). */
  conflicts: string[];
}

/** Reads every Service straight from the storage. */
export async function listServicesFromStorage(storage: Storage, prefix = '/registry/services/'): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  let startAfter: string | undefined;
  for (;;) {
    const page = await storage.list(prefix, { limit: 500, startAfter });
    for (const kv of page.items) {
      try {
        out.push(JSON.parse(kv.value) as KubeObject);
      } catch {
        // An undecodable value holds nothing we could release or claim.
      }
    }
    if (!page.more || page.items.length === 0) return out;
    startAfter = page.items[page.items.length - 1].key;
  }
}

export async function repairAllocations(
  storage: Storage,
  listServices: () => Promise<KubeObject[]>,
  opts: RepairOptions = {},
): Promise<RepairReport> {
  const clock = opts.clock ?? realClock;
  const minAge = opts.minAgeMs ?? 60_000;
  const services = await listServices();
  const ipKeys = new AllocationKeys(storage, SERVICE_IPS_PREFIX, clock);
  const portKeys = new AllocationKeys(storage, SERVICE_NODE_PORTS_PREFIX, clock);
  const wantIPs = new Map<string, KubeObject>();
  const wantPorts = new Map<string, KubeObject>();
  for (const svc of services) {
    const held = heldValues(svc);
    for (const ip of held.ips) wantIPs.set(ip, svc);
    for (const port of held.ports) wantPorts.set(String(port), svc);
  }
  const report: RepairReport = { released: [], claimed: [], conflicts: [] };
  await reconcile(ipKeys, wantIPs, 'ip', report, clock.now(), minAge, services);
  await reconcile(portKeys, wantPorts, 'port', report, clock.now(), minAge, services);
  return report;
}

async function reconcile(
  keys: AllocationKeys,
  want: Map<string, KubeObject>,
  kind: string,
  report: RepairReport,
  now: number,
  minAge: number,
  services: KubeObject[],
): Promise<void> {
  const liveUids = new Set(services.map((s) => s.metadata.uid));
  const have = new Map<string, AllocationEntry>();
  for (const entry of await keys.list()) have.set(entry.value, entry);
  for (const [value, entry] of have) {
    const owner = want.get(value);
    if (owner && entry.record?.uid === owner.metadata.uid) continue;
    const young = entry.record !== undefined && now - entry.record.allocatedAt < minAge;
    if (young) {
      if (owner) report.conflicts.push(`${kind} ${value}`);
      continue;
    }
    // An old record whose holder is a live Service that no longer uses it, or no Service at all.
    if (owner && entry.record && liveUids.has(entry.record.uid) && heldBy(services, entry.record.uid, kind, value)) {
      report.conflicts.push(`${kind} ${value}`);
      continue;
    }
    if (await keys.remove(entry)) {
      report.released.push(`${kind} ${value}`);
      if (owner && (await keys.claim(value, ownerOf(owner)))) report.claimed.push(`${kind} ${value}`);
    }
  }
  for (const [value, owner] of want) {
    if (have.has(value)) continue;
    if (await keys.claim(value, ownerOf(owner))) report.claimed.push(`${kind} ${value}`);
  }
}

function heldBy(services: KubeObject[], uid: string, kind: string, value: string): boolean {
  const svc = services.find((s) => s.metadata.uid === uid);
  if (!svc) return false;
  const held = heldValues(svc);
  return kind === 'ip' ? held.ips.includes(value) : held.ports.includes(Number(value));
}
