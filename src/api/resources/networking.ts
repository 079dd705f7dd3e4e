/** networking.k8s.io/v1. */
import type { ResourceType } from '../resource-type.js';
import { row, statusSubresource } from './row.js';
import * as d from '../defaults/networking.js';
import * as v from '../validation/networking.js';

const networking = { group: 'networking.k8s.io', version: 'v1' } as const;

export function networkingResources(): ResourceType[] {
  return [
    row({
      ...networking, plural: 'ingressclasses', singular: 'ingressclass', kind: 'IngressClass', namespaced: false,
      generation: true, validate: v.validateIngressClass,
    }),
    row({
      ...networking, plural: 'ingresses', singular: 'ingress', kind: 'Ingress', namespaced: true, shortNames: ['ing'],
      subresources: [statusSubresource('Ingress')], generation: true, validate: v.validateIngress,
    }),
    row({
      ...networking, plural: 'networkpolicies', singular: 'networkpolicy', kind: 'NetworkPolicy', namespaced: true,
      shortNames: ['netpol'], generation: true, defaults: d.defaultNetworkPolicy, validate: v.validateNetworkPolicy,
    }),
  ];
}
