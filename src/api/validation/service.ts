/** Services (upstream ValidateService, ValidateServiceUpdate). */
import { type FieldError, duplicate, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isIP } from 'node:net';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum, nameIsDNS1035Label } from './names.js';
import { validateLabels } from './labels.js';
import { validateMeta } from './object-meta.js';
import { goStringSlice, invalidRendered } from './go-format.js';
import { list, rec, str, isSet } from './json-access.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** %#v of the (port, protocol) key upstream uses to detect duplicate service ports. */
function goServicePortKey(port: number, protocol: string): string {
  return `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function validatePorts(spec: Record<string, unknown>, type: string, errs: FieldError[]): void {
  const ports = list(spec.ports);
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((port, i) => {
    const p = `spec.ports[${i}]`;
    const name = str(port.name) ?? '';
    if (ports.length > 1 && !name) errs.push(required(`${p}.name`));
    if (name) {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${p}.port`, port.port ?? 0, msg));
    const protocol = str(port.protocol) ?? '';
    if (!protocol) errs.push(required(`${p}.protocol`));
    else if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${p}.protocol`, protocol, PROTOCOLS));
    const target = port.targetPort;
    if (typeof target === 'number') {
      for (const msg of isValidPortNum(target)) errs.push(invalid(`${p}.targetPort`, target, msg));
    } else if (typeof target === 'string') {
      for (const msg of isValidPortName(target)) errs.push(invalid(`${p}.targetPort`, target, msg));
    }
    if (isSet(port.nodePort) && port.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        errs.push(forbidden(`${p}.nodePort`, `may not be used when \`type\` is '${type}'`));
      } else {
        for (const msg of isValidPortNum(port.nodePort)) errs.push(invalid(`${p}.nodePort`, port.nodePort, msg));
      }
    }
    const key = `${String(port.port)}/${protocol}`;
    if (typeof port.port === 'number' && keys.has(key)) {
      errs.push({ reason: 'FieldValueDuplicate', field: p, message: `Duplicate value: ${goServicePortKey(port.port, protocol)}` });
    }
    keys.add(key);
  });
}

function validateServiceSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(spec.type) ?? '';
  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  if (list(spec.ports).length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  if (type === 'ExternalName') {
    const externalName = str(spec.externalName) ?? '';
    if (!externalName) errs.push(required('spec.externalName'));
    else for (const msg of isDNS1123Subdomain(externalName.replace(/\.$/, ''))) errs.push(invalid('spec.externalName', externalName, msg));
    if (Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0) {
      errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    }
  }
  validatePorts(spec, type, errs);
  const clusterIPs = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : str(spec.clusterIP) ? [spec.clusterIP] : [];
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None' && i === 0) return;
    if (typeof ip !== 'string' || isIP(ip) === 0) errs.push(invalid(`spec.clusterIPs[${i}]`, ip, INVALID_IP));
  });
  const affinity = str(spec.sessionAffinity) ?? '';
  if (!affinity) errs.push(required('spec.sessionAffinity'));
  else if (!AFFINITIES.includes(affinity)) errs.push(notSupported('spec.sessionAffinity', affinity, AFFINITIES));
  const external = str(spec.externalTrafficPolicy);
  if (external) {
    if (type !== 'NodePort' && type !== 'LoadBalancer') {
      errs.push(invalid('spec.externalTrafficPolicy', external, "may only be set when `type` is 'NodePort' or 'LoadBalancer'"));
    } else if (!TRAFFIC_POLICIES.includes(external)) {
      errs.push(notSupported('spec.externalTrafficPolicy', external, TRAFFIC_POLICIES));
    }
  }
  const internal = str(spec.internalTrafficPolicy);
  if (internal && !TRAFFIC_POLICIES.includes(internal)) errs.push(notSupported('spec.internalTrafficPolicy', internal, TRAFFIC_POLICIES));
  const familyPolicy = str(spec.ipFamilyPolicy);
  if (familyPolicy && !IP_FAMILY_POLICIES.includes(familyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', familyPolicy, IP_FAMILY_POLICIES));
  }
  (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).forEach((ip, i) => {
    if (typeof ip !== 'string' || isIP(ip) === 0) errs.push(invalid(`spec.externalIPs[${i}]`, ip, INVALID_IP));
  });
  errs.push(...validateLabels(spec.selector, 'spec.selector'));
  return errs;
}

export function validateService(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNS1035Label });
  const spec = rec(obj.spec) ?? {};
  errs.push(...validateServiceSpec(spec));
  if (old) {
    const oldSpec = rec(old.spec) ?? {};
    const was = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs : [];
    const now = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [];
    const bothNeedIP = oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName';
    if (bothNeedIP && was.length > 0 && now.length > 0 && was[0] !== now[0]) {
      errs.push(invalidRendered('spec.clusterIPs[0]', goStringSlice(now), 'may not change once set'));
    }
  }
  return errs;
}
