/**
 * Strategic-merge-patch and server-side-apply facts that kubernetes-models does not carry.
 * They restate upstream's Go struct tags (`patchStrategy`, `patchMergeKey`, `+listType`,
 * `+listMapKey`, `+mapType`, `+structType`) in k8s.io/api and k8s.io/apimachinery at v1.32.
 *
 * Only facts that change behaviour need to be here: a list without a list type is atomic
 * for apply and replaced by strategic merge patch anyway. Atomic entries are listed where
 * upstream's documents show them, so `kubectl explain` and code generators see the same.
 */
import type { Schema } from './types.js';

export type FieldExtensions = Pick<
  Schema,
  | 'x-kubernetes-patch-strategy'
  | 'x-kubernetes-patch-merge-key'
  | 'x-kubernetes-list-type'
  | 'x-kubernetes-list-map-keys'
  | 'x-kubernetes-map-type'
>;

/** A list merged by `key` in strategic merge patch and keyed by `listKeys` in apply. */
function mergeMap(key: string, listKeys: string[] = [key], strategy = 'merge'): FieldExtensions {
  return {
    'x-kubernetes-patch-strategy': strategy,
    'x-kubernetes-patch-merge-key': key,
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': listKeys,
  };
}
/** A list keyed for apply only; strategic merge patch replaces it. */
function listMap(...keys: string[]): FieldExtensions {
  return { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': keys };
}
const atomic: FieldExtensions = { 'x-kubernetes-list-type': 'atomic' };
const set: FieldExtensions = { 'x-kubernetes-list-type': 'set' };
const mergeSet: FieldExtensions = { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' };
const atomicMap: FieldExtensions = { 'x-kubernetes-map-type': 'atomic' };
const byType = mergeMap('type');
const byName = mergeMap('name');

const containerFields: Record<string, FieldExtensions> = {
  args: atomic,
  command: atomic,
  ports: mergeMap('containerPort', ['containerPort', 'protocol']),
  envFrom: atomic,
  env: byName,
  volumeMounts: mergeMap('mountPath'),
  volumeDevices: mergeMap('devicePath'),
  resizePolicy: atomic,
};

/** definition name → field → extensions. */
export const fieldExtensions: Record<string, Record<string, FieldExtensions>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    finalizers: mergeSet,
    ownerReferences: mergeMap('uid'),
    managedFields: atomic,
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': { matchExpressions: atomic },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { values: atomic },

  'io.k8s.api.core.v1.PodSpec': {
    volumes: mergeMap('name', ['name'], 'merge,retainKeys'),
    initContainers: byName,
    containers: byName,
    ephemeralContainers: byName,
    imagePullSecrets: byName,
    hostAliases: mergeMap('ip'),
    tolerations: atomic,
    readinessGates: atomic,
    topologySpreadConstraints: mergeMap('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    schedulingGates: byName,
    resourceClaims: mergeMap('name', ['name'], 'merge,retainKeys'),
    nodeSelector: atomicMap,
  },
  'io.k8s.api.core.v1.Container': containerFields,
  'io.k8s.api.core.v1.EphemeralContainer': containerFields,
  'io.k8s.api.core.v1.PodStatus': {
    conditions: byType,
    podIPs: mergeMap('ip'),
    hostIPs: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'ip', 'x-kubernetes-list-type': 'atomic' },
    initContainerStatuses: atomic,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    resourceClaimStatuses: mergeMap('name', ['name'], 'merge,retainKeys'),
  },
  'io.k8s.api.core.v1.PodSecurityContext': { supplementalGroups: atomic, sysctls: atomic },
  'io.k8s.api.core.v1.PodDNSConfig': { nameservers: atomic, searches: atomic, options: atomic },
  'io.k8s.api.core.v1.HostAlias': { hostnames: atomic },
  'io.k8s.api.core.v1.ExecAction': { command: atomic },
  'io.k8s.api.core.v1.HTTPGetAction': { httpHeaders: atomic },
  'io.k8s.api.core.v1.Capabilities': { add: atomic, drop: atomic },
  'io.k8s.api.core.v1.ResourceRequirements': { claims: listMap('name') },
  'io.k8s.api.core.v1.NodeSelector': { nodeSelectorTerms: atomic },
  'io.k8s.api.core.v1.NodeSelectorTerm': { matchExpressions: atomic, matchFields: atomic },
  'io.k8s.api.core.v1.NodeSelectorRequirement': { values: atomic },
  'io.k8s.api.core.v1.PodAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    requiredDuringSchedulingIgnoredDuringExecution: atomic,
    preferredDuringSchedulingIgnoredDuringExecution: atomic,
  },
  'io.k8s.api.core.v1.NodeAffinity': { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  'io.k8s.api.core.v1.PodAffinityTerm': { namespaces: atomic, matchLabelKeys: atomic, mismatchLabelKeys: atomic },
  'io.k8s.api.core.v1.TopologySpreadConstraint': { matchLabelKeys: atomic },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': { items: atomic },
  'io.k8s.api.core.v1.SecretVolumeSource': { items: atomic },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': { items: atomic },
  'io.k8s.api.core.v1.ProjectedVolumeSource': { sources: atomic },
  'io.k8s.api.core.v1.ServiceSpec': {
    ports: mergeMap('port', ['port', 'protocol']),
    selector: atomicMap,
    clusterIPs: atomic,
    externalIPs: atomic,
    loadBalancerSourceRanges: atomic,
    ipFamilies: atomic,
  },
  'io.k8s.api.core.v1.ServiceStatus': { conditions: byType },
  'io.k8s.api.core.v1.LoadBalancerStatus': { ingress: atomic },
  'io.k8s.api.core.v1.NodeSpec': { podCIDRs: mergeSet, taints: atomic },
  'io.k8s.api.core.v1.NodeStatus': {
    conditions: byType,
    addresses: byType,
    images: atomic,
    volumesInUse: atomic,
    volumesAttached: atomic,
  },
  'io.k8s.api.core.v1.NamespaceSpec': { finalizers: atomic },
  'io.k8s.api.core.v1.NamespaceStatus': { conditions: byType },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': { accessModes: atomic },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': { conditions: byType, accessModes: atomic },
  'io.k8s.api.core.v1.PersistentVolumeSpec': { accessModes: atomic, mountOptions: atomic },
  'io.k8s.api.core.v1.Endpoints': { subsets: atomic },
  'io.k8s.api.core.v1.EndpointSubset': { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  'io.k8s.api.core.v1.ServiceAccount': { secrets: byName, imagePullSecrets: atomic },
  'io.k8s.api.core.v1.LimitRangeSpec': { limits: atomic },

  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions: byType },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions: byType },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions: byType },
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: atomic },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions: byType },

  'io.k8s.api.batch.v1.JobStatus': {
    conditions: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-list-type': 'atomic' },
  },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { onPodConditions: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: set },

  'io.k8s.api.networking.v1.IngressSpec': { tls: atomic, rules: atomic },
  'io.k8s.api.networking.v1.IngressTLS': { hosts: atomic },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: atomic },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': { ingress: atomic },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { ingress: atomic, egress: atomic, policyTypes: atomic },
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule': { ports: atomic, from: atomic },
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule': { ports: atomic, to: atomic },

  'io.k8s.api.rbac.v1.Role': { rules: atomic },
  'io.k8s.api.rbac.v1.ClusterRole': { rules: atomic },
  'io.k8s.api.rbac.v1.RoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.AggregationRule': { clusterRoleSelectors: atomic },
  'io.k8s.api.rbac.v1.PolicyRule': {
    verbs: atomic,
    apiGroups: atomic,
    resources: atomic,
    resourceNames: atomic,
    nonResourceURLs: atomic,
  },

  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: { 'x-kubernetes-patch-strategy': 'replace' } },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: byType },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: byType, currentMetrics: atomic },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': { policies: atomic },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: atomic, ports: atomic },
  'io.k8s.api.discovery.v1.Endpoint': { addresses: set },
  'io.k8s.api.storage.v1.StorageClass': { mountOptions: atomic, allowedTopologies: atomic },
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec': { usages: atomic, groups: atomic },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus': { conditions: listMap('type') },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: byName },
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: byName },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': { versions: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames': { shortNames: atomic, categories: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': {
    conditions: listMap('type'),
  },
};

/** Structs that apply treats as one value (`+structType=atomic`). */
export const atomicStructs: string[] = [
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.SecretReference',
];

/** Adds the table's facts to `definitions` in place. */
export function applyPatchMetadata(definitions: Record<string, Schema>): void {
  for (const [name, fields] of Object.entries(fieldExtensions)) {
    const properties = definitions[name]?.properties;
    if (!properties) continue;
    for (const [field, extensions] of Object.entries(fields)) {
      if (properties[field]) Object.assign(properties[field], extensions);
    }
  }
  for (const name of atomicStructs) {
    if (definitions[name]) definitions[name]['x-kubernetes-map-type'] = 'atomic';
  }
}
