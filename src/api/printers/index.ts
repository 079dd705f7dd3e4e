/**
 * Server-side Table printers of the built-in resources, keyed by `Kind` for the core group
 * and `Kind.group` otherwise. Resources missing here (Roles, ClusterRoles, LimitRanges,
 * CustomResourceDefinitions, ...) use `defaultPrinter`, as upstream does.
 */
import type { Printer } from '../resource-type.js';
import {
  mutatingWebhookConfigurationPrinter,
  validatingAdmissionPolicyBindingPrinter,
  validatingAdmissionPolicyPrinter,
  validatingWebhookConfigurationPrinter,
} from './admission.js';
import { certificateSigningRequestPrinter } from './certificate-signing-request.js';
import { componentStatusPrinter } from './component-status.js';
import { configMapPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { controllerRevisionPrinter } from './controller-revision.js';
import { cronJobPrinter } from './cron-job.js';
import { csiDriverPrinter, csiNodePrinter, csiStorageCapacityPrinter, volumeAttachmentPrinter } from './csi.js';
import { daemonSetPrinter } from './daemon-set.js';
import { deploymentPrinter } from './deployment.js';
import { endpointSlicePrinter } from './endpoint-slice.js';
import { endpointsPrinter } from './endpoints.js';
import { eventPrinter } from './event.js';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flow-control.js';
import { horizontalPodAutoscalerPrinter, scalePrinter } from './horizontal-pod-autoscaler.js';
import { ingressClassPrinter, ingressPrinter } from './ingress.js';
import { jobPrinter } from './job.js';
import { leasePrinter } from './lease.js';
import { namespacePrinter } from './namespace.js';
import { networkPolicyPrinter } from './network-policy.js';
import { nodePrinter } from './node.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter } from './persistent-volume.js';
import { podDisruptionBudgetPrinter } from './pod-disruption-budget.js';
import { podTemplatePrinter } from './pod-template.js';
import { podPrinter } from './pod.js';
import { replicaSetPrinter, replicationControllerPrinter } from './replica-set.js';

import { resourceQuotaPrinter } from './resource-quota.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './role-binding.js';
import { priorityClassPrinter, runtimeClassPrinter } from './scheduling.js';
import { ipAddressPrinter, serviceCIDRPrinter } from './service-cidr.js';
import { servicePrinter } from './service.js';
import { statefulSetPrinter } from './stateful-set.js';
import { storageClassPrinter, volumeAttributesClassPrinter } from './storage-class.js';

export { defaultPrinter } from './default-printer.js';
export { humanDuration, translateTimestampSince } from './human-duration.js';
export { formatLabelSelector, formatLabels, labelSelectorString } from './label-selector.js';

export function builtinPrinters(): Record<string, Printer> {
  return {
    // core
    Pod: podPrinter,
    PodTemplate: podTemplatePrinter,
    ReplicationController: replicationControllerPrinter,
    Service: servicePrinter,
    Endpoints: endpointsPrinter,
    Node: nodePrinter,
    Namespace: namespacePrinter,
    Event: eventPrinter,
    Secret: secretPrinter,
    ServiceAccount: serviceAccountPrinter,
    ConfigMap: configMapPrinter,
    PersistentVolume: persistentVolumePrinter,
    PersistentVolumeClaim: persistentVolumeClaimPrinter,
    ResourceQuota: resourceQuotaPrinter,
    ComponentStatus: componentStatusPrinter,
    // apps
    'Deployment.apps': deploymentPrinter,
    'ReplicaSet.apps': replicaSetPrinter,
    'StatefulSet.apps': statefulSetPrinter,
    'DaemonSet.apps': daemonSetPrinter,
    'ControllerRevision.apps': controllerRevisionPrinter,
    // batch
    'Job.batch': jobPrinter,
    'CronJob.batch': cronJobPrinter,
    // autoscaling
    'HorizontalPodAutoscaler.autoscaling': horizontalPodAutoscalerPrinter,
    'Scale.autoscaling': scalePrinter,
    // networking
    'Ingress.networking.k8s.io': ingressPrinter,
    'IngressClass.networking.k8s.io': ingressClassPrinter,
    'NetworkPolicy.networking.k8s.io': networkPolicyPrinter,
    'ServiceCIDR.networking.k8s.io': serviceCIDRPrinter,
    'IPAddress.networking.k8s.io': ipAddressPrinter,
    'EndpointSlice.discovery.k8s.io': endpointSlicePrinter,
    // events.k8s.io shares the core Event storage and printer upstream.
    'Event.events.k8s.io': eventPrinter,
    // storage
    'StorageClass.storage.k8s.io': storageClassPrinter,
    'VolumeAttributesClass.storage.k8s.io': volumeAttributesClassPrinter,
    'CSIDriver.storage.k8s.io': csiDriverPrinter,
    'CSINode.storage.k8s.io': csiNodePrinter,
    'CSIStorageCapacity.storage.k8s.io': csiStorageCapacityPrinter,
    'VolumeAttachment.storage.k8s.io': volumeAttachmentPrinter,
    // policy, scheduling, node
    'PodDisruptionBudget.policy': podDisruptionBudgetPrinter,
    'PriorityClass.scheduling.k8s.io': priorityClassPrinter,
    'RuntimeClass.node.k8s.io': runtimeClassPrinter,
    // rbac
    'RoleBinding.rbac.authorization.k8s.io': roleBindingPrinter,
    'ClusterRoleBinding.rbac.authorization.k8s.io': clusterRoleBindingPrinter,
    // certificates, coordination
    'CertificateSigningRequest.certificates.k8s.io': certificateSigningRequestPrinter,
    'Lease.coordination.k8s.io': leasePrinter,
    // admissionregistration
    'MutatingWebhookConfiguration.admissionregistration.k8s.io': mutatingWebhookConfigurationPrinter,
    'ValidatingWebhookConfiguration.admissionregistration.k8s.io': validatingWebhookConfigurationPrinter,
    'ValidatingAdmissionPolicy.admissionregistration.k8s.io': validatingAdmissionPolicyPrinter,
    'ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io': validatingAdmissionPolicyBindingPrinter,
    // flowcontrol
    'FlowSchema.flowcontrol.apiserver.k8s.io': flowSchemaPrinter,
    'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io': priorityLevelConfigurationPrinter,
  };
}
