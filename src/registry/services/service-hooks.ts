/**
 * Store hooks giving Services their ClusterIP, NodePorts and healthCheckNodePort
 * (upstream pkg/registry/core/service/storage alloc.go). Allocations are storage keys, so the
 * store decides them by compare-and-swap; nothing is counted in process.
 */
import { isIP } from 'node:net';
import type { KubeObject } from '../../api/object.js';
import { invalid as fieldInvalid, type FieldError } from '../../api/field-errors.js';
import { internalError, invalid } from '../../api/status.js';
import { goStringSlice, invalidRendered } from '../../api/validation/go-format.js';
import type { Clock } from '../../base/clock.js';
import type { Storage } from '../../storage/interface.js';
import type { StoreHooks, WriteContext } from '../store.js';
import { AllocationError } from './allocation-error.js';
import { AllocationTxn } from './allocation-txn.js';
import { ServiceIPAllocator } from './ip-allocator.js';
import { NodePortAllocator } from './port-allocator.js';
import { prepareServiceUpdate } from './prepare-update.js';
import {
  allocatesNodePorts,
  healthCheckNodePortOf,
  heldValues,
  isHeadless,
  needsClusterIP,
  needsHealthCheckNodePort,
  needsNodePorts,
  nodePortOf,
  ownerOf,
  portsOf,
  requestedClusterIP,
  specOf,
  type HeldValues,
  type ServiceSpec,
} from './service-fields.js';

export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

export interface ServiceHooksConfig {
  storage: Storage;
  serviceCIDR: string;
  nodePortRange?: string;
  clock?: Pick<Clock, 'now'>;
  random?: () => number;
}

/**
 * StoreHooks plus the update steps the generic store does not call yet:
 * `prepareForUpdate` (sync, before defaulting/validation), `afterUpdate` (write succeeded:
 * release what the old object held and the new one does not) and `abortUpdate` (write did not
 * happen: release what beforeUpdate took).
 */
export interface ServiceStoreHooks extends StoreHooks {
  beforeCreate(obj: KubeObject, ctx: WriteContext): Promise<void>;
  abortCreate(obj: KubeObject): Promise<void>;
  beforeUpdate(obj: KubeObject, old: KubeObject, ctx: WriteContext): Promise<void>;
  afterDelete(obj: KubeObject): Promise<void>;
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  afterUpdate(obj: KubeObject, old: KubeObject): Promise<void>;
  abortUpdate(obj: KubeObject, old: KubeObject): Promise<void>;
}

export function serviceHooks(cfg: ServiceHooksConfig): ServiceStoreHooks {
  const ips = new ServiceIPAllocator({ storage: cfg.storage, serviceCIDR: cfg.serviceCIDR, clock: cfg.clock, random: cfg.random });
  const ports = new NodePortAllocator({
    storage: cfg.storage,
    nodePortRange: cfg.nodePortRange ?? DEFAULT_NODE_PORT_RANGE,
    clock: cfg.clock,
    random: cfg.random,
  });

  async function release(values: HeldValues, uid: string): Promise<void> {
    for (const ip of values.ips) await ips.release(ip, uid);
    for (const port of values.ports) await ports.release(port, uid);
  }

  async function run(obj: KubeObject, dryRun: boolean, body: (txn: AllocationTxn) => Promise<void>): Promise<void> {
    const txn = new AllocationTxn(ips, ports, ownerOf(obj), dryRun);
    try {
      await body(txn);
    } catch (err) {
      await txn.revert();
      throw err;
    }
  }

  return {
    async beforeCreate(obj, ctx) {
      const spec = specOf(obj);
      defaultAllocateLoadBalancerNodePorts(spec);
      checkIPFamilies(obj, spec, undefined);
      await run(obj, ctx.dryRun, async (txn) => {
        if (needsClusterIP(spec)) await assignClusterIP(obj, spec, txn);
        if (needsNodePorts(spec)) await assignNodePortsOnCreate(obj, spec, txn);
        if (needsHealthCheckNodePort(spec)) await assignHealthCheckNodePort(spec, txn);
      });
    },

    async abortCreate(obj) {
      await release(heldValues(obj), obj.metadata.uid ?? '');
    },

    prepareForUpdate: prepareServiceUpdate,

    async beforeUpdate(obj, old, ctx) {
      if (ctx.subresource !== undefined) return;
      prepareServiceUpdate(obj, old);
      const spec = specOf(obj);
      const oldSpec = (old.spec ?? {}) as ServiceSpec;
      defaultAllocateLoadBalancerNodePorts(spec);
      checkIPFamilies(obj, spec, oldSpec);
      await run(obj, ctx.dryRun, async (txn) => {
        if (needsClusterIP(spec)) {
          // A held address stays (validation refuses a change); only a Service that had none,
          // such as a former ExternalName, gets one now.
          const was = needsClusterIP(oldSpec) ? requestedClusterIP(oldSpec) : '';
          if (was) {
            if (!requestedClusterIP(spec)) setClusterIP(spec, was);
          } else await assignClusterIP(obj, spec, txn);
        }
        if (needsNodePorts(spec)) await assignNodePortsOnUpdate(obj, spec, oldSpec, txn);
        const neededHC = needsHealthCheckNodePort(oldSpec);
        const needsHC = needsHealthCheckNodePort(spec);
        if (needsHC && !neededHC) await assignHealthCheckNodePort(spec, txn);
        else if (!needsHC && neededHC) delete spec.healthCheckNodePort;
        else if (needsHC && healthCheckNodePortOf(spec) !== healthCheckNodePortOf(oldSpec)) {
          throw invalid('Service', '', obj.metadata.name ?? '', [
            fieldInvalid(
              'spec.healthCheckNodePort',
              healthCheckNodePortOf(spec),
              'cannot change healthCheckNodePort on loadBalancer service with externalTraffic=Local during update',
            ),
          ]);
        }
      });
    },

    async afterUpdate(obj, old) {
      await release(minus(heldValues(old), heldValues(obj)), old.metadata.uid ?? '');
    },

    async abortUpdate(obj, old) {
      await release(minus(heldValues(obj), heldValues(old)), obj.metadata.uid ?? '');
    },

    async afterDelete(obj) {
      await release(heldValues(obj), obj.metadata.uid ?? '');
    },
  };
}

function minus(a: HeldValues, b: HeldValues): HeldValues {
  return { ips: a.ips.filter((ip) => !b.ips.includes(ip)), ports: a.ports.filter((p) => !b.ports.includes(p)) };
}

function invalidService(obj: KubeObject, errs: FieldError[]) {
  return invalid('Service', '', obj.metadata.name ?? '', errs);
}

/** Single-stack IPv4 cluster: the IP-family fields are filled and checked here (upstream initIPFamilyFields). */
function checkIPFamilies(obj: KubeObject, spec: ServiceSpec, oldSpec: ServiceSpec | undefined): void {
  if (!needsClusterIP(spec)) return;
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = oldSpec?.ipFamilyPolicy || 'SingleStack';
  const errs: FieldError[] = [];
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
  if (spec.ipFamilyPolicy === 'SingleStack' && clusterIPs.length > 1) {
    errs.push(fieldInvalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack' && !isHeadless(spec)) {
    errs.push(fieldInvalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  }
  clusterIPs.forEach((ip, i) => {
    if (typeof ip === 'string' && isIP(ip) === 6) {
      errs.push(invalidRendered(`spec.clusterIPs[${i}]`, goStringSlice(clusterIPs), 'IPv6 is not configured on this cluster'));
    }
  });
  // Headless Services may name both families even on a single-stack cluster.
  (Array.isArray(spec.ipFamilies) && !isHeadless(spec) ? spec.ipFamilies : []).forEach((family, i) => {
    if (family !== 'IPv4') errs.push(fieldInvalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'));
  });
  if (errs.length) throw invalidService(obj, errs);
  if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4'];
}

function defaultAllocateLoadBalancerNodePorts(spec: ServiceSpec): void {
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
}

function setClusterIP(spec: ServiceSpec, ip: string): void {
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
}

async function assignClusterIP(obj: KubeObject, spec: ServiceSpec, txn: AllocationTxn): Promise<void> {
  if (isHeadless(spec)) {
    setClusterIP(spec, 'None');
    return;
  }
  const want = requestedClusterIP(spec);
  try {
    setClusterIP(spec, await txn.ip(want));
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    if (!want) throw internalError(`failed to allocate a serviceIP: ${err.message}`);
    const shown = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [want];
    throw invalidService(obj, [invalidRendered('spec.clusterIPs', goStringSlice(shown), `failed to allocate IP ${want}: ${err.message}`)]);
  }
}

async function claimNodePort(obj: KubeObject, txn: AllocationTxn, requested: number, index: number): Promise<number> {
  try {
    return await txn.port(requested);
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    if (!requested) throw internalError(`failed to allocate a nodePort: ${err.message}`);
    throw invalidService(obj, [fieldInvalid(`spec.ports[${index}].nodePort`, requested, err.message)]);
  }
}

/**
 * Ports with the same port number (e.g. 53/TCP and 53/UDP) share one node port unless the
 * client asked otherwise (upstream initNodePorts).
 */
async function assignNodePortsOnCreate(obj: KubeObject, spec: ServiceSpec, txn: AllocationTxn): Promise<void> {
  const list = portsOf(spec);
  const byServicePort = new Map<unknown, number>();
  for (const [i, p] of list.entries()) {
    const own = nodePortOf(p);
    if (!own && !allocatesNodePorts(spec)) continue;
    const shared = byServicePort.get(p.port);
    if (shared === undefined) {
      const requested = own || nodePortOf(list.find((q) => q.port === p.port && nodePortOf(q) > 0) ?? {});
      const np = await claimNodePort(obj, txn, requested, i);
      p.nodePort = np;
      byServicePort.set(p.port, np);
    } else if (own !== shared) {
      if (!own) p.nodePort = shared;
      else await claimNodePort(obj, txn, own, i);
    }
  }
}

/** Keeps the old values, takes new requested ones, allocates the missing (upstream updateNodePorts). */
async function assignNodePortsOnUpdate(obj: KubeObject, spec: ServiceSpec, oldSpec: ServiceSpec, txn: AllocationTxn): Promise<void> {
  const held = new Set(portsOf(oldSpec).map(nodePortOf).filter((n) => n > 0));
  for (const [i, p] of portsOf(spec).entries()) {
    const own = nodePortOf(p);
    if (!own && !allocatesNodePorts(spec)) continue;
    if (own) {
      if (!held.has(own)) {
        await claimNodePort(obj, txn, own, i);
        held.add(own);
      }
    } else p.nodePort = await claimNodePort(obj, txn, 0, i);
  }
}

async function assignHealthCheckNodePort(spec: ServiceSpec, txn: AllocationTxn): Promise<void> {
  const requested = healthCheckNodePortOf(spec);
  try {
    spec.healthCheckNodePort = await txn.port(requested);
  } catch (err) {
    if (!(err instanceof AllocationError)) throw err;
    if (requested) throw internalError(`failed to allocate requested HealthCheck NodePort ${requested}: ${err.message}`);
    throw internalError(`failed to allocate a HealthCheck NodePort 0: ${err.message}`);
  }
}
