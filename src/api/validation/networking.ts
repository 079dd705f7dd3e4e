/** networking.k8s.io/v1 Ingresses, IngressClasses and NetworkPolicies. */
import { type FieldError, forbidden, invalid, notSupported, required, tooMany } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { validateLabelSelector } from './labels.js';
import { list, rec, str, isSet, type Json } from './json-access.js';

const meta = { namespaced: true, name: nameIsDNSSubdomain };
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function validateBackend(backend: Json, field: string): FieldError[] {
  const resource = rec(backend.resource);
  const service = rec(backend.service);
  if (resource && service) return [invalid(field, '', 'cannot set both resource and service backends')];
  if (resource) {
    const errs: FieldError[] = [];
    if (!str(resource.kind)) errs.push(required(`${field}.resource.kind`));
    if (!str(resource.name)) errs.push(required(`${field}.resource.name`));
    return errs;
  }
  if (!service) return [invalid(field, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const name = str(service.name) ?? '';
  if (!name) errs.push(required(`${field}.service.name`));
  else for (const msg of isDNS1035Label(name)) errs.push(invalid(`${field}.service.name`, name, msg));
  const port = rec(service.port) ?? {};
  const portName = str(port.name) ?? '';
  const portNumber = typeof port.number === 'number' ? port.number : 0;
  if (portName && portNumber) errs.push(invalid(field, '', 'cannot set both port name & port number'));
  else if (portName) for (const msg of isValidPortName(portName)) errs.push(invalid(`${field}.service.port.name`, portName, msg));
  else if (portNumber) for (const msg of isValidPortNum(portNumber)) errs.push(invalid(`${field}.service.port.number`, portNumber, msg));
  else errs.push(required(field, 'port name or number is required'));
  return errs;
}

export function validateIngress(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  const rules = list(spec.rules);
  const defaultBackend = rec(spec.defaultBackend);
  if (!defaultBackend && rules.length === 0) {
    errs.push(invalid('spec.rules', rules, 'either `defaultBackend` or `rules` must be specified'));
  }
  if (defaultBackend) errs.push(...validateBackend(defaultBackend, 'spec.defaultBackend'));
  rules.forEach((rule, i) => {
    const p = `spec.rules[${i}]`;
    const host = str(rule.host);
    if (host) {
      const bare = host.startsWith('*.') ? host.slice(2) : host;
      for (const msg of isDNS1123Subdomain(bare)) errs.push(invalid(`${p}.host`, host, msg));
    }
    const http = rec(rule.http);
    if (!http) return;
    const paths = list(http.paths);
    if (paths.length === 0) errs.push(required(`${p}.http.paths`));
    paths.forEach((path, j) => {
      const pp = `${p}.http.paths[${j}]`;
      const pathType = str(path.pathType) ?? '';
      if (!pathType) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(pathType)) errs.push(notSupported(`${pp}.pathType`, pathType, PATH_TYPES));
      const value = str(path.path) ?? '';
      if ((pathType === 'Exact' || pathType === 'Prefix') && !value.startsWith('/')) {
        errs.push(invalid(`${pp}.path`, value, 'must be an absolute path'));
      }
      errs.push(...validateBackend(rec(path.backend) ?? {}, `${pp}.backend`));
    });
  });
  list(spec.tls).forEach((tls, i) => {
    (Array.isArray(tls.hosts) ? tls.hosts : []).forEach((h: unknown, j: number) => {
      const host = String(h);
      const bare = host.startsWith('*.') ? host.slice(2) : host;
      for (const msg of isDNS1123Subdomain(bare)) errs.push(invalid(`spec.tls[${i}].hosts[${j}]`, host, msg));
    });
  });
  return errs;
}

export function validateIngressClass(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: nameIsDNSSubdomain });
  const spec = rec(obj.spec) ?? {};
  const controller = str(spec.controller) ?? '';
  if (!controller) errs.push(required('spec.controller'));
  else if (controller.length > 250) errs.push({ reason: 'FieldValueTooLong', field: 'spec.controller', message: 'Too long: may not be more than 250 bytes' });
  if (old) errs.push(...validateImmutable(spec.controller, rec(old.spec)?.controller, 'spec.controller'));
  return errs;
}

const POLICY_TYPES = ['Egress', 'Ingress'];

function validatePeers(peers: Json[], field: string, errs: FieldError[]): void {
  peers.forEach((peer, i) => {
    const p = `${field}[${i}]`;
    const selectors = ['podSelector', 'namespaceSelector'].filter((k) => isSet(peer[k]));
    const ipBlock = rec(peer.ipBlock);
    if (selectors.length === 0 && !ipBlock) errs.push(required(p, 'must specify a peer'));
    if (ipBlock && selectors.length > 0) errs.push(forbidden(p, 'may not specify both ipBlock and another peer'));
    for (const k of selectors) errs.push(...validateLabelSelector(peer[k], `${p}.${k}`));
    if (ipBlock && !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(str(ipBlock.cidr) ?? '')) {
      errs.push(invalid(`${p}.ipBlock.cidr`, ipBlock.cidr ?? '', 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
    }
  });
}

function validatePolicyPorts(ports: Json[], field: string, errs: FieldError[]): void {
  ports.forEach((port, i) => {
    const p = `${field}[${i}]`;
    if (isSet(port.protocol) && !PROTOCOLS.includes(String(port.protocol))) {
      errs.push(notSupported(`${p}.protocol`, port.protocol, PROTOCOLS));
    }
    if (typeof port.port === 'number') for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${p}.port`, port.port, msg));
    else if (typeof port.port === 'string') for (const msg of isValidPortName(port.port)) errs.push(invalid(`${p}.port`, port.port, msg));
    if (isSet(port.endPort)) {
      if (typeof port.port !== 'number') errs.push(required(`${p}.port`, 'must be specified when endPort is specified'));
      else if (typeof port.endPort === 'number' && port.endPort < port.port) {
        errs.push(invalid(`${p}.endPort`, port.endPort, 'must be greater than or equal to `port`'));
      }
    }
  });
}

export function validateNetworkPolicy(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, meta);
  const spec = rec(obj.spec) ?? {};
  errs.push(...validateLabelSelector(spec.podSelector, 'spec.podSelector'));
  list(spec.ingress).forEach((rule, i) => {
    validatePolicyPorts(list(rule.ports), `spec.ingress[${i}].ports`, errs);
    validatePeers(list(rule.from), `spec.ingress[${i}].from`, errs);
  });
  list(spec.egress).forEach((rule, i) => {
    validatePolicyPorts(list(rule.ports), `spec.egress[${i}].ports`, errs);
    validatePeers(list(rule.to), `spec.egress[${i}].to`, errs);
  });
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  types.forEach((t: unknown, i: number) => {
    if (!POLICY_TYPES.includes(String(t))) errs.push(notSupported(`spec.policyTypes[${i}]`, t, POLICY_TYPES));
  });
  if (types.length > 2) errs.push(tooMany('spec.policyTypes', types.length, 2));
  return errs;
}
