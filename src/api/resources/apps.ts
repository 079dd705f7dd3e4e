/** apps/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, scaleSubresource, statusSubresource } from './row.js';
import { intField, selectors } from './field-value.js';
import * as d from '../defaults/apps.js';
import * as v from '../validation/apps.js';

const apps = { group: 'apps', version: 'v1' } as const;

export function appsResources(): ResourceType[] {
  return [
    row({
      ...apps, plural: 'controllerrevisions', singular: 'controllerrevision', kind: 'ControllerRevision', namespaced: true,
      generation: false, validate: v.validateControllerRevision,
    }),
    row({
      ...apps, plural: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'],
      categories: ['all'], subresources: [statusSubresource('DaemonSet')],
      generation: true, defaults: d.defaultDaemonSet, validate: v.validateDaemonSet,
    }),
    row({
      ...apps, plural: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'],
      categories: ['all'], subresources: [scaleSubresource(), statusSubresource('Deployment')],
      generation: true, defaults: d.defaultDeployment, validate: v.validateDeployment,
    }),
    row({
      ...apps, plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'],
      categories: ['all'], subresources: [scaleSubresource(), statusSubresource('ReplicaSet')],
      fieldSelectors: selectors({ 'status.replicas': intField }),
      generation: true, defaults: d.defaultReplicaSet, validate: v.validateReplicaSet,
    }),
    row({
      ...apps, plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'],
      categories: ['all'], subresources: [scaleSubresource(), statusSubresource('StatefulSet')],
      generation: true, defaults: d.defaultStatefulSet, validate: v.validateStatefulSet,
    }),
  ];
}
