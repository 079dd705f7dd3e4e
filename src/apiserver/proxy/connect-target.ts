/**
 * Where a connect request (pods/log, exec, attach, portforward, proxy; nodes/proxy;
 * services/proxy) goes: the kubelet of the pod's node, the pod itself, or a service endpoint.
 * Validation and messages follow upstream's pod/node/service ResourceLocation functions.
 */
import type { KubeObject } from '../../api/object.js';
import { badRequest, StatusError } from '../../api/status.js';
import type { ServerParts } from '../handlers/context.js';
import type { ResourceRequest } from '../request-info.js';

/** The apiserver's client identity towards kubelets (CN kube-apiserver-kubelet-client). */
export interface KubeletClientConfig {
  cert: string;
  key: string;
  /** Verifies kubelets' serving certificates. */
  ca: string;
}

export interface ConnectTarget {
  protocol: 'http:' | 'https:';
  host: string;
  port: number;
  /** Path and query on the backend. */
  path: string;
  /** A kubelet: use the apiserver's kubelet client certificate. */
  kubelet: boolean;
  /** pods/log: a non-2xx answer becomes a Status (upstream's GenericHttpResponseChecker). */
  checkResponse: boolean;
  /** pods/log of an unscheduled pod: an empty body, as upstream. */
  empty?: boolean;
}

type Container = { name: string; ports?: { containerPort: number }[] };
type PodSpec = { nodeName?: string; containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[] };

async function getObject(parts: ServerParts, plural: string, namespace: string | undefined, name: string): Promise<KubeObject> {
  const b = parts.bound('', 'v1', plural);
  if (!b) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  return b.store.getFromStorage(namespace, name);
}

const names = (cs: Container[] | undefined) => (cs ?? []).map((c) => c.name).join(' ');

/** Upstream's container defaulting for log and exec/attach. */
function podContainer(pod: KubeObject, requested: string | null, name: string, withEphemeral: boolean): string {
  const spec = pod.spec as PodSpec;
  const containers = spec.containers ?? [];
  if (requested) {
    const all = [...containers, ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
    if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
  let msg = `a container name must be specified for pod ${name}, choose one of: [${names(containers)}]`;
  if (spec.initContainers?.length) msg += ` or one of the init containers: [${names(spec.initContainers)}]`;
  if (withEphemeral && spec.ephemeralContainers?.length) msg += ` or one of the ephemeral containers: [${names(spec.ephemeralContainers)}]`;
  throw badRequest(msg);
}

/** The node's kubelet: InternalIP first (upstream's default preferred address types), its daemon port. */
export async function kubeletAddress(parts: ServerParts, nodeName: string): Promise<{ host: string; port: number }> {
  const node = await getObject(parts, 'nodes', undefined, nodeName);
  const status = (node.status ?? {}) as { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
  const addrs = status.addresses ?? [];
  const addr = ['InternalIP', 'ExternalIP', 'Hostname'].map((t) => addrs.find((a) => a.type === t)).find(Boolean);
  if (!addr) throw new StatusError(503, 'ServiceUnavailable', `no preferred addresses found; known addresses: []`);
  return { host: addr.address, port: status.daemonEndpoints?.kubeletEndpoint?.Port || 10250 };
}

function withQuery(path: string, q: URLSearchParams): string {
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const enc = encodeURIComponent;

/** `[scheme:]name[:port]` as in pods/proxy and services/proxy names. */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } {
  const parts = id.split(':');
  if (parts.length === 1) return { scheme: '', name: parts[0], port: '' };
  if (parts.length === 2) return parts[0] === 'http' || parts[0] === 'https' ? { scheme: parts[0], name: parts[1], port: '' } : { scheme: '', name: parts[0], port: parts[1] };
  if (parts.length === 3) return { scheme: parts[0], name: parts[1], port: parts[2] };
  throw badRequest(`invalid name "${id}"`);
}

function boolQuery(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

async function podStreamTarget(parts: ServerParts, info: ResourceRequest, query: URLSearchParams): Promise<ConnectTarget> {
  const ns = info.namespace!;
  const name = info.name!;
  const pod = await getObject(parts, 'pods', ns, name);
  const spec = pod.spec as PodSpec;
  const kind = info.subresource!;
  if (kind === 'log') {
    const container = podContainer(pod, query.get('container'), name, false);
    const q = new URLSearchParams();
    for (const flag of ['follow', 'previous', 'timestamps']) if (boolQuery(query, flag)) q.set(flag, 'true');
    if (query.get('sinceSeconds') && query.get('sinceTime')) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
    for (const p of ['sinceSeconds', 'sinceTime', 'tailLines', 'limitBytes']) {
      const v = query.get(p);
      if (v !== null && v !== '') q.set(p, v);
    }
    const base = { protocol: 'https:' as const, kubelet: true, checkResponse: true };
    if (!spec.nodeName) return { ...base, host: '', port: 0, path: '', empty: true };
    const at = await kubeletAddress(parts, spec.nodeName);
    return { ...base, ...at, path: withQuery(`/containerLogs/${enc(ns)}/${enc(name)}/${enc(container)}`, q) };
  }
  if (!spec.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const at = await kubeletAddress(parts, spec.nodeName);
  const base = { protocol: 'https:' as const, kubelet: true, checkResponse: false, ...at };
  if (kind === 'portforward') {
    const q = new URLSearchParams();
    for (const p of query.getAll('ports')) q.append('port', p);
    return { ...base, path: withQuery(`/portForward/${enc(ns)}/${enc(name)}`, q) };
  }
  const container = podContainer(pod, query.get('container'), name, true);
  const q = new URLSearchParams();
  for (const s of ['stdin', 'stdout', 'stderr', 'tty']) if (boolQuery(query, s)) q.set(s, '1');
  if (kind === 'exec') for (const c of query.getAll('command')) q.append('command', c);
  return { ...base, path: withQuery(`/${kind}/${enc(ns)}/${enc(name)}/${enc(container)}`, q) };
}

function proxyPath(info: ResourceRequest, query: URLSearchParams): string {
  return withQuery(`/${info.subpath ?? ''}`, query);
}

async function podProxyTarget(parts: ServerParts, info: ResourceRequest, query: URLSearchParams): Promise<ConnectTarget> {
  const id = splitSchemeNamePort(info.name!);
  const pod = await getObject(parts, 'pods', info.namespace, id.name);
  const podIP = (pod.status as { podIP?: string } | undefined)?.podIP;
  if (!podIP) throw new StatusError(503, 'ServiceUnavailable', `address not allowed`);
  const port = id.port ? Number(id.port) : id.scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port)) throw badRequest(`invalid port "${id.port}"`);
  return { protocol: id.scheme === 'https' ? 'https:' : 'http:', host: podIP, port, path: proxyPath(info, query), kubelet: false, checkResponse: false };
}

type ServicePort = { name?: string; port: number };
type EndpointSubset = { addresses?: { ip: string }[]; ports?: { name?: string; port: number }[] };

async function serviceProxyTarget(parts: ServerParts, info: ResourceRequest, query: URLSearchParams): Promise<ConnectTarget> {
  const id = splitSchemeNamePort(info.name!);
  const svc = await getObject(parts, 'services', info.namespace, id.name);
  const ports = ((svc.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []);
  const svcPort = id.port ? ports.find((p) => p.name === id.port || String(p.port) === id.port) : ports.length === 1 ? ports[0] : ports.find((p) => !p.name);
  if (!svcPort) throw new StatusError(503, 'ServiceUnavailable', `no service port ${JSON.stringify(id.port)} found for service "${id.name}"`);
  let subsets: EndpointSubset[] = [];
  try {
    subsets = ((await getObject(parts, 'endpoints', info.namespace, id.name)) as { subsets?: EndpointSubset[] }).subsets ?? [];
  } catch {
    subsets = [];
  }
  const candidates: { ip: string; port: number }[] = [];
  for (const s of subsets) {
    const p = (s.ports ?? []).find((x) => (x.name ?? '') === (svcPort.name ?? ''));
    if (p) for (const a of s.addresses ?? []) candidates.push({ ip: a.ip, port: p.port });
  }
  if (candidates.length === 0) throw new StatusError(503, 'ServiceUnavailable', `no endpoints available for service "${id.name}"`);
  const pick = candidates[Math.floor(Math.random() * candidates.length)];
  return { protocol: id.scheme === 'https' ? 'https:' : 'http:', host: pick.ip, port: pick.port, path: proxyPath(info, query), kubelet: false, checkResponse: false };
}

/** Connect subresources this server proxies, per resource. */
export function isConnectRequest(info: ResourceRequest): boolean {
  if (info.group !== '' || !info.name || !info.subresource) return false;
  if (info.resource === 'pods') return ['log', 'exec', 'attach', 'portforward', 'proxy'].includes(info.subresource);
  return (info.resource === 'nodes' || info.resource === 'services') && info.subresource === 'proxy';
}

export async function connectTarget(parts: ServerParts, info: ResourceRequest, query: URLSearchParams): Promise<ConnectTarget> {
  if (info.resource === 'nodes') {
    const id = splitSchemeNamePort(info.name!);
    const at = await kubeletAddress(parts, id.name);
    return { protocol: 'https:', ...at, port: id.port ? Number(id.port) : at.port, path: proxyPath(info, query), kubelet: true, checkResponse: false };
  }
  if (info.resource === 'services') return serviceProxyTarget(parts, info, query);
  if (info.subresource === 'proxy') return podProxyTarget(parts, info, query);
  return podStreamTarget(parts, info, query);
}
