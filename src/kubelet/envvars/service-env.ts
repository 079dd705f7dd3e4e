/**
 * Service environment variables (upstream pkg/kubelet/envvars): for each Service of the pod's
 * namespace with a cluster IP (when enableServiceLinks, the default) plus the `kubernetes`
 * Service of `default`, `<NAME>_SERVICE_HOST`/`_SERVICE_PORT[_<PORTNAME>]` and the Docker-link
 * style `<NAME>_PORT[_<port>_<PROTO>[_PROTO|_PORT|_ADDR]]`.
 */
import type { KubeObject } from '../../api/object.js';

interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
}

type Service = KubeObject & { spec?: { clusterIP?: string; ports?: ServicePort[] } };

const MASTER_SERVICES = new Set(['kubernetes']);

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

function hasClusterIP(s: Service): boolean {
  const ip = s.spec?.clusterIP;
  return !!ip && ip !== 'None';
}

/** The variables of one Service, in upstream's order. */
export function serviceVars(svc: Service): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const name = envName(svc.metadata.name ?? '');
  const ip = svc.spec!.clusterIP!;
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return out;
  out.push({ key: `${name}_SERVICE_HOST`, value: ip });
  out.push({ key: `${name}_SERVICE_PORT`, value: String(ports[0].port) });
  for (const p of ports) if (p.name) out.push({ key: `${name}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
  const url = (p: ServicePort) => `${(p.protocol ?? 'TCP').toLowerCase()}://${ip.includes(':') ? `[${ip}]` : ip}:${p.port}`;
  out.push({ key: `${name}_PORT`, value: url(ports[0]) });
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toUpperCase();
    const prefix = `${name}_PORT_${p.port}_${proto}`;
    out.push({ key: prefix, value: url(p) });
    out.push({ key: `${prefix}_PROTO`, value: proto.toLowerCase() });
    out.push({ key: `${prefix}_PORT`, value: String(p.port) });
    out.push({ key: `${prefix}_ADDR`, value: ip });
  }
  return out;
}

/** The Services a pod sees (its namespace's when service links are on, and the master Services). */
export function podServiceEnv(namespace: string, enableServiceLinks: boolean | undefined, services: readonly Service[]): { key: string; value: string }[] {
  const chosen = new Map<string, Service>();
  for (const s of services) {
    if (!hasClusterIP(s)) continue;
    if (enableServiceLinks !== false && s.metadata.namespace === namespace) chosen.set(s.metadata.name!, s);
  }
  for (const s of services) {
    if (!hasClusterIP(s) || s.metadata.namespace !== 'default' || !MASTER_SERVICES.has(s.metadata.name!)) continue;
    if (!chosen.has(s.metadata.name!)) chosen.set(s.metadata.name!, s);
  }
  return [...chosen.values()].flatMap(serviceVars);
}
