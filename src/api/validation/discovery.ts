/** discovery.k8s.io/v1 EndpointSlices. */
import { type FieldError, invalid, notSupported, required, tooMany } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { isIP } from 'node:net';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { validateMeta, validateImmutable } from './object-meta.js';
import { list, str, isSet } from './json-access.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ADDRESSES = 100;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 20000;

function validateAddress(addr: string, type: string, field: string): FieldError[] {
  if (type === 'IPv4') return isIP(addr) === 4 ? [] : [invalid(field, addr, 'must be a valid IPv4 address')];
  if (type === 'IPv6') return isIP(addr) === 6 ? [] : [invalid(field, addr, 'must be a valid IPv6 address')];
  return isDNS1123Subdomain(addr).map((msg) => invalid(field, addr, msg));
}

export function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: true, name: nameIsDNSSubdomain });
  const type = str(obj.addressType) ?? '';
  if (!type) errs.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = list(obj.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((ep, i) => {
    const addresses = Array.isArray(ep.addresses) ? ep.addresses : [];
    if (addresses.length === 0) errs.push(required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(`endpoints[${i}].addresses`, addresses.length, MAX_ADDRESSES));
    else if (ADDRESS_TYPES.includes(type)) {
      addresses.forEach((a, j) => errs.push(...validateAddress(String(a), type, `endpoints[${i}].addresses[${j}]`)));
    }
  });
  const ports = list(obj.ports);
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const name = str(port.name) ?? '';
    if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(`ports[${i}].name`, name, msg));
    if (names.has(name)) errs.push({ reason: 'FieldValueDuplicate', field: `ports[${i}].name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    names.add(name);
    if (isSet(port.port)) for (const msg of isValidPortNum(port.port)) errs.push(invalid(`ports[${i}].port`, port.port, msg));
    if (!str(port.protocol)) errs.push(required(`ports[${i}].protocol`));
    else if (!PROTOCOLS.includes(port.protocol as string)) errs.push(notSupported(`ports[${i}].protocol`, port.protocol, PROTOCOLS));
  });
  if (old) errs.push(...validateImmutable(obj.addressType, old.addressType, 'addressType'));
  return errs;
}
