/** The core ("legacy", served under /api/v1) group. Discovery data as upstream 1.32 serves it. */
import type { ResourceType } from '../resource-type.js';
import type { KubeObject } from '../object.js';
import { row, statusSubresource, scaleSubresource } from './row.js';
import { boolField, intField, selectors, stringField } from './field-value.js';
import * as d from '../defaults/core.js';
import { defaultPod } from '../defaults/pod.js';
import { defaultService } from '../defaults/service.js';
import * as v from '../validation/core.js';
import { validatePod } from '../validation/pod.js';
import { validateService } from '../validation/service.js';
import { validateConfigMap, validateSecret } from '../validation/config.js';

const core = { group: '', version: 'v1' } as const;
/** Upstream's selectable Event fields (pkg/registry/core/event/strategy.go). */
function eventSelectors(): Record<string, (obj: KubeObject) => string> {
  return {
    ...selectors({
      'involvedObject.kind': stringField,
      'involvedObject.namespace': stringField,
      'involvedObject.name': stringField,
      'involvedObject.uid': stringField,
      'involvedObject.apiVersion': stringField,
      'involvedObject.resourceVersion': stringField,
      'involvedObject.fieldPath': stringField,
      reason: stringField,
      reportingComponent: stringField,
      type: stringField,
    }),
    source: stringField('source.component'),
  };
}

const PROXY_VERBS = ['create', 'delete', 'get', 'patch', 'update'];

export function coreResources(): ResourceType[] {
  return [
    row({
      ...core, plural: 'bindings', singular: 'binding', kind: 'Binding', namespaced: true,
      verbs: ['create'], generation: false,
    }),
    row({
      ...core, plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'],
      generation: false, validate: validateConfigMap,
    }),
    row({
      ...core, plural: 'endpoints', singular: 'endpoints', kind: 'Endpoints', listKind: 'EndpointsList', namespaced: true,
      shortNames: ['ep'], generation: false, defaults: d.defaultEndpoints, validate: v.validateEndpoints,
    }),
    row({
      ...core, plural: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'], generation: false,
      fieldSelectors: eventSelectors(),
      validate: v.validateEvent,
    }),
    row({
      ...core, plural: 'limitranges', singular: 'limitrange', kind: 'LimitRange', namespaced: true, shortNames: ['limits'],
      generation: false, defaults: d.defaultLimitRange, validate: v.validateLimitRange,
    }),
    row({
      ...core, plural: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
      // NOTE: namespaces have no deletecollection upstream.
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, statusSubresource('Namespace')],
      fieldSelectors: selectors({ 'status.phase': stringField }),
      generation: false, defaults: d.defaultNamespace, validate: v.validateNamespace,
    }),
    row({
      ...core, plural: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'],
      subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: PROXY_VERBS }, statusSubresource('Node')],
      fieldSelectors: selectors({ 'spec.unschedulable': boolField }),
      generation: false, defaults: d.defaultNode, validate: v.validateNode,
    }),
    row({
      ...core, plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', kind: 'PersistentVolumeClaim',
      namespaced: true, shortNames: ['pvc'], subresources: [statusSubresource('PersistentVolumeClaim')],
      generation: false, defaults: d.defaultPersistentVolumeClaim, validate: v.validatePersistentVolumeClaim,
    }),
    row({
      ...core, plural: 'persistentvolumes', singular: 'persistentvolume', kind: 'PersistentVolume', namespaced: false,
      shortNames: ['pv'], subresources: [statusSubresource('PersistentVolume')],
      generation: false, defaults: d.defaultPersistentVolume, validate: v.validatePersistentVolume,
    }),
    row({
      ...core, plural: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'],
      subresources: [
        { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
        { name: 'binding', kind: 'Binding', verbs: ['create'] },
        { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
        { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
        { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'log', kind: 'Pod', verbs: ['get'] },
        { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
        statusSubresource('Pod'),
      ],
      fieldSelectors: selectors({
        'spec.nodeName': stringField,
        'spec.restartPolicy': stringField,
        'spec.schedulerName': stringField,
        'spec.serviceAccountName': stringField,
        'spec.hostNetwork': boolField,
        'status.phase': stringField,
        'status.podIP': stringField,
        'status.nominatedNodeName': stringField,
      }),
      // NOTE: 1.32 pods carry no metadata.generation (PodObservedGenerationTracking is 1.33+).
      generation: false, defaults: defaultPod, validate: validatePod,
    }),
    row({
      ...core, plural: 'podtemplates', singular: 'podtemplate', kind: 'PodTemplate', namespaced: true,
      generation: true, defaults: d.defaultPodTemplate, validate: v.validatePodTemplate,
    }),
    row({
      ...core, plural: 'replicationcontrollers', singular: 'replicationcontroller', kind: 'ReplicationController',
      namespaced: true, shortNames: ['rc'], categories: ['all'],
      subresources: [scaleSubresource(), statusSubresource('ReplicationController')],
      fieldSelectors: selectors({ 'status.replicas': intField }),
      generation: true, defaults: d.defaultReplicationController, validate: v.validateReplicationController,
    }),
    row({
      ...core, plural: 'resourcequotas', singular: 'resourcequota', kind: 'ResourceQuota', namespaced: true,
      shortNames: ['quota'], subresources: [statusSubresource('ResourceQuota')],
      generation: false, validate: v.validateResourceQuota,
    }),
    row({
      ...core, plural: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
      fieldSelectors: selectors({ type: stringField }),
      generation: false, defaults: d.defaultSecret, validate: validateSecret,
    }),
    row({
      ...core, plural: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true,
      shortNames: ['sa'],
      subresources: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
      generation: false, validate: v.validateServiceAccount,
    }),
    row({
      ...core, plural: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'],
      categories: ['all'],
      subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }, statusSubresource('Service')],
      fieldSelectors: selectors({ 'spec.clusterIP': stringField, 'spec.type': stringField }),
      generation: false, defaults: defaultService, validate: validateService,
    }),
  ];
  }
