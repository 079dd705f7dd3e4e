/** The remaining core/v1 kinds (upstream pkg/apis/core/validation/validation.go). */
import { type FieldError, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { KubeObject } from '../object.js';
import { deepEqual } from '../object.js';
import { isIP } from 'node:net';
import {
  isDNS1123Label, isQualifiedName, isValidPathSegmentName, isValidPortNum, nameIsDNSLabel,
  nameIsDNSSubdomain,
} from './names.js';
import { validateLabels } from './labels.js';
import { validateMeta } from './object-meta.js';
import { validatePodTemplateSpec } from './pod.js';
import { validateQuantity } from './resource-requirements.js';
import { validateAccessModes, validatePersistentVolumeClaimSpec, VOLUME_MODES } from './persistent-volume-claim.js';
import { goStringMap, invalidRendered } from './go-format.js';
import { SELECTOR_MISMATCH, nonNegative } from './workload.js';
import { mapSelectorMatches } from './labels.js';
import { list, rec, str, isEmpty, isSet } from './json-access.js';

const namespacedSubdomain = { namespaced: true, name: nameIsDNSSubdomain };
const clusterSubdomain = { namespaced: false, name: nameIsDNSSubdomain };

export function validateNamespace(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: nameIsDNSLabel });
  for (const f of Array.isArray(rec(obj.spec)?.finalizers) ? (rec(obj.spec)!.finalizers as unknown[]) : []) {
    const name = String(f);
    if (name !== 'kubernetes') for (const msg of isQualifiedName(name)) errs.push(invalid('spec.finalizers', name, msg));
  }
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateNode(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, clusterSubdomain);
  const spec = rec(obj.spec) ?? {};
  list(spec.taints).forEach((taint, i) => {
    const p = `spec.taints[${i}]`;
    const key = str(taint.key) ?? '';
    if (!key) errs.push(required(`${p}.key`));
    else for (const msg of isQualifiedName(key)) errs.push(invalid(`${p}.key`, key, msg));
    if (!str(taint.effect)) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(taint.effect as string)) errs.push(notSupported(`${p}.effect`, taint.effect, TAINT_EFFECTS));
  });
  if (old) {
    const oldSpec = rec(old.spec) ?? {};
    if (str(oldSpec.podCIDR) && !deepEqual(spec.podCIDRs ?? [], oldSpec.podCIDRs ?? [])) {
      errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (str(oldSpec.providerID) && spec.providerID !== oldSpec.providerID) {
      errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errs;
}

export function validateServiceAccount(obj: KubeObject, old?: KubeObject): FieldError[] {
  return validateMeta(obj, old, namespacedSubdomain);
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export function validateEndpoints(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  list(obj.subsets).forEach((subset, i) => {
    const p = `subsets[${i}]`;
    const addresses = list(subset.addresses);
    const notReady = list(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const [key, group] of [['addresses', addresses], ['notReadyAddresses', notReady]] as const) {
      group.forEach((a, j) => {
        const ip = str(a.ip) ?? '';
        if (isIP(ip) === 0) errs.push(invalid(`${p}.${key}[${j}].ip`, ip, 'must be a valid IP address'));
      });
    }
    list(subset.ports).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = str(port.name);
      if (name) for (const msg of isDNS1123Label(name)) errs.push(invalid(`${pp}.name`, name, msg));
      for (const msg of isValidPortNum(port.port)) errs.push(invalid(`${pp}.port`, port.port ?? 0, msg));
      if (!str(port.protocol)) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(port.protocol as string)) errs.push(notSupported(`${pp}.protocol`, port.protocol, PROTOCOLS));
    });
  });
  return errs;
}

/** Core/v1 Events as old clients (and the kubelet) write them. */
export function validateEvent(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  const involved = rec(obj.involvedObject) ?? {};
  const namespace = obj.metadata.namespace ?? '';
  const involvedNamespace = str(involved.namespace) ?? '';
  if (involvedNamespace === '') {
    if (namespace !== '' && namespace !== 'default') {
      errs.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
    }
  } else if (involvedNamespace !== namespace) {
    errs.push(invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace'));
  }
  const type = str(obj.type);
  if (type && type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  return errs;
}

const EVENT_TEXT_LIMIT = 128;

/** events.k8s.io/v1 Events: the reporting fields are mandatory. */
export function validateEventsV1Event(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  if (!str(obj.eventTime)) errs.push(required('eventTime'));
  const type = str(obj.type) ?? '';
  if (type !== 'Normal' && type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${type}`));
  const controller = str(obj.reportingController) ?? '';
  if (!controller) errs.push(required('reportingController'));
  else for (const msg of isQualifiedName(controller)) errs.push(invalid('reportingController', controller, msg));
  for (const key of ['reportingInstance', 'action', 'reason']) {
    const v = str(obj[key]) ?? '';
    if (!v) errs.push(required(key));
    else if (v.length > EVENT_TEXT_LIMIT) errs.push(invalid(key, '', `can have at most ${EVENT_TEXT_LIMIT} characters`));
  }
  const note = str(obj.note) ?? '';
  if (note.length > 1024) errs.push(invalid('note', '', 'can have at most 1024 characters'));
  return errs;
}

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

export function validateLimitRange(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  list(rec(obj.spec)?.limits).forEach((limit, i) => {
    const p = `spec.limits[${i}]`;
    if (!LIMIT_TYPES.includes(String(limit.type))) errs.push(notSupported(`${p}.type`, limit.type ?? '', LIMIT_TYPES));
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) {
      for (const [name, q] of Object.entries(rec(limit[key]) ?? {})) validateQuantity(q, `${p}.${key}[${name}]`, errs);
    }
  });
  return errs;
}

export function validateResourceQuota(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  for (const [name, q] of Object.entries(rec(rec(obj.spec)?.hard) ?? {})) validateQuantity(q, `spec.hard[${name}]`, errs);
  return errs;
}

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCE_FIELDS = new Set([
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'csi', 'fc', 'flexVolume', 'flocker',
  'gcePersistentDisk', 'glusterfs', 'hostPath', 'iscsi', 'local', 'nfs', 'photonPersistentDisk', 'portworxVolume',
  'quobyte', 'rbd', 'scaleIO', 'storageos', 'vsphereVolume',
]);

export function validatePersistentVolume(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, { namespaced: false, name: isValidPathSegmentName });
  const spec = rec(obj.spec) ?? {};
  errs.push(...validateAccessModes(spec.accessModes, 'spec.accessModes', ''));
  const capacity = rec(spec.capacity);
  if (!capacity || Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(notSupported('spec.capacity', capacity, ['storage']));
  else validateQuantity(capacity.storage, 'spec.capacity[storage]', errs);
  const sources = Object.keys(spec).filter((k) => PV_SOURCE_FIELDS.has(k) && isSet(spec[k]));
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  sources.slice(1).forEach((k) => errs.push(forbidden(`spec.${k}`, 'may not specify more than 1 volume type')));
  const reclaim = str(spec.persistentVolumeReclaimPolicy);
  if (reclaim && !RECLAIM_POLICIES.includes(reclaim)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', reclaim, RECLAIM_POLICIES));
  const mode = str(spec.volumeMode);
  if (mode && !VOLUME_MODES.includes(mode)) errs.push(notSupported('spec.volumeMode', mode, VOLUME_MODES));
  return errs;
}

export function validatePersistentVolumeClaim(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  const spec = rec(obj.spec) ?? {};
  errs.push(...validatePersistentVolumeClaimSpec(spec, 'spec'));
  if (old) {
    const oldSpec = rec(old.spec) ?? {};
    const frozen = (s: Record<string, unknown>, volumeName: unknown) => {
      const copy: Record<string, unknown> = { ...s, resources: { ...(rec(s.resources) ?? {}), requests: undefined }, volumeName };
      return copy;
    };
    // Binding (volumeName "" → name) and expansion (resources.requests) are the only spec changes allowed.
    const volumeName = isEmpty(oldSpec.volumeName) ? spec.volumeName : oldSpec.volumeName;
    if (!deepEqual(frozen(spec, spec.volumeName), frozen(oldSpec, volumeName))) {
      errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests for bound claims'));
    }
  }
  return errs;
}

export function validatePodTemplate(obj: KubeObject, old?: KubeObject): FieldError[] {
  return [...validateMeta(obj, old, namespacedSubdomain), ...validatePodTemplateSpec(obj.template, 'template')];
}

export function validateReplicationController(obj: KubeObject, old?: KubeObject): FieldError[] {
  const errs = validateMeta(obj, old, namespacedSubdomain);
  const spec = rec(obj.spec) ?? {};
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector = rec(spec.selector);
  if (!selector || Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  const template = rec(spec.template);
  if (!template) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = rec(template.metadata)?.labels;
  if (selector && Object.keys(selector).length > 0 && !mapSelectorMatches(selector, labels)) {
    errs.push(invalidRendered('spec.template.metadata.labels', goStringMap(labels), SELECTOR_MISMATCH));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  const podSpec = rec(template.spec) ?? {};
  if (podSpec.restartPolicy !== undefined && podSpec.restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  }
  if (isSet(podSpec.activeDeadlineSeconds)) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}
