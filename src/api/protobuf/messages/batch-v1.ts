/**
 * Protobuf wire facts for k8s.io/api batch/v1: field number → field spec (grammar in ../message-table.ts).
 * Numbers follow upstream's generated.proto; pointer-ness (`?`), non-omitempty (`!`) and inlining
 * (`...`) follow the Go structs of Kubernetes 1.32. Generated once from those facts; edit by hand
 * when upstream adds fields.
 */
import type { MessageTable } from '../message-table.js';

export const batchV1: MessageTable = {
  CronJob: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec CronJobSpec', 3: 'status CronJobStatus' },
  CronJobList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []CronJob' },
  CronJobSpec: {
    1: 'schedule string!',
    2: 'startingDeadlineSeconds int64?',
    3: 'concurrencyPolicy string',
    4: 'suspend bool?',
    5: 'jobTemplate JobTemplateSpec',
    6: 'successfulJobsHistoryLimit int32?',
    7: 'failedJobsHistoryLimit int32?',
    8: 'timeZone string?',
  },
  CronJobStatus: {
    1: 'active []core.v1.ObjectReference',
    4: 'lastScheduleTime time',
    5: 'lastSuccessfulTime time',
  },
  Job: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec JobSpec', 3: 'status JobStatus' },
  JobCondition: {
    1: 'type string!',
    2: 'status string!',
    3: 'lastProbeTime time',
    4: 'lastTransitionTime time',
    5: 'reason string',
    6: 'message string',
  },
  JobList: { 1: 'metadata meta.v1.ListMeta', 2: 'items []Job' },
  JobSpec: {
    1: 'parallelism int32?',
    2: 'completions int32?',
    3: 'activeDeadlineSeconds int64?',
    4: 'selector meta.v1.LabelSelector',
    5: 'manualSelector bool?',
    6: 'template core.v1.PodTemplateSpec',
    7: 'backoffLimit int32?',
    8: 'ttlSecondsAfterFinished int32?',
    9: 'completionMode string?',
    10: 'suspend bool?',
    11: 'podFailurePolicy PodFailurePolicy',
    12: 'backoffLimitPerIndex int32?',
    13: 'maxFailedIndexes int32?',
    14: 'podReplacementPolicy string?',
    15: 'managedBy string?',
    16: 'successPolicy SuccessPolicy',
  },
  JobStatus: {
    1: 'conditions []JobCondition',
    2: 'startTime time',
    3: 'completionTime time',
    4: 'active int32',
    5: 'succeeded int32',
    6: 'failed int32',
    7: 'completedIndexes string',
    8: 'uncountedTerminatedPods UncountedTerminatedPods',
    9: 'ready int32?',
    10: 'failedIndexes string?',
    11: 'terminating int32?',
  },
  JobTemplateSpec: { 1: 'metadata meta.v1.ObjectMeta', 2: 'spec JobSpec' },
  PodFailurePolicy: { 1: 'rules []PodFailurePolicyRule' },
  PodFailurePolicyOnExitCodesRequirement: {
    1: 'containerName string?',
    2: 'operator string!',
    3: 'values []int32',
  },
  PodFailurePolicyOnPodConditionsPattern: { 1: 'type string!', 2: 'status string!' },
  PodFailurePolicyRule: {
    1: 'action string!',
    2: 'onExitCodes PodFailurePolicyOnExitCodesRequirement',
    3: 'onPodConditions []PodFailurePolicyOnPodConditionsPattern',
  },
  SuccessPolicy: { 1: 'rules []SuccessPolicyRule' },
  SuccessPolicyRule: { 1: 'succeededIndexes string?', 2: 'succeededCount int32?' },
  UncountedTerminatedPods: { 1: 'succeeded []string', 2: 'failed []string' },
};
