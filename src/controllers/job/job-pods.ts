/** How the Job controller builds, ranks and classifies its pods. */
import { deepCopy, type KubeObject } from '../../api/object.js';
import { isPodReady, podPhase } from '../common/pods.js';
import { newControllerRef } from '../common/controller-ref.js';
import { JOB_COMPLETION_INDEX } from './completion-index.js';
import { JOB_TRACKING_FINALIZER } from './tracking-finalizer.js';

/** Longest generateName prefix the API server keeps before adding 5 random characters. */
const MAX_GENERATE_NAME_PREFIX = 58;

interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: { hostname?: string; containers?: Container[]; initContainers?: Container[] };
}

interface Container {
  env?: { name: string }[];
}

function addIndexEnv(containers: Container[] | undefined): void {
  for (const c of containers ?? []) {
    c.env ??= [];
    if (c.env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) continue;
    c.env.push({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } },
    } as { name: string });
  }
}

/** A pod for `job` from its template; `index` is the completion index of an Indexed job. */
export function newJobPod(job: KubeObject, index: number | undefined): KubeObject {
  const template = deepCopy(((job.spec ?? {}) as { template?: PodTemplate }).template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  const annotations = { ...(template.metadata?.annotations ?? {}) };
  const finalizers = [...(template.metadata?.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  const spec = template.spec ?? {};
  const jobName = job.metadata.name!;
  let prefix = `${jobName}-`;
  if (index !== undefined) {
    annotations[JOB_COMPLETION_INDEX] = String(index);
    labels[JOB_COMPLETION_INDEX] = String(index);
    spec.hostname = `${jobName}-${index}`;
    addIndexEnv(spec.initContainers);
    addIndexEnv(spec.containers);
    const suffix = `-${index}-`;
    prefix = jobName.slice(0, MAX_GENERATE_NAME_PREFIX - suffix.length) + suffix;
  } else if (prefix.length > MAX_GENERATE_NAME_PREFIX) {
    prefix = prefix.slice(0, MAX_GENERATE_NAME_PREFIX);
  }
  const metadata: KubeObject['metadata'] = {
    generateName: prefix,
    namespace: job.metadata.namespace,
    labels,
    finalizers,
    ownerReferences: [newControllerRef(job, 'batch/v1', 'Job')],
  };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * Orders pods so the ones least far along come first (upstream controller.ActivePods):
 * unscheduled before scheduled, Pending before Running, not ready before ready, more
 * restarts first, newer before older. Deletions take from the front.
 */
export function compareForDeletion(a: KubeObject, b: KubeObject): number {
  const na = ((a.spec ?? {}) as { nodeName?: string }).nodeName ? 1 : 0;
  const nb = ((b.spec ?? {}) as { nodeName?: string }).nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  const pa = PHASE_RANK[podPhase(a)] ?? 1;
  const pb = PHASE_RANK[podPhase(b)] ?? 1;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const restarts = (p: KubeObject) =>
    (((p.status ?? {}) as { containerStatuses?: { restartCount?: number }[] }).containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const rs = restarts(b) - restarts(a);
  if (rs !== 0) return rs;
  return (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
}

/** Pods being deleted that have not reached a terminal phase (upstream CountTerminatingPods). */
export function isTerminating(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/** Sum of container restarts of running or pending pods (backoffLimit for restartPolicy OnFailure). */
export function restartsOfLivePods(pods: KubeObject[]): number {
  let n = 0;
  for (const p of pods) {
    const phase = podPhase(p);
    if (phase !== 'Running' && phase !== 'Pending') continue;
    const st = (p.status ?? {}) as { containerStatuses?: { restartCount?: number }[]; initContainerStatuses?: { restartCount?: number }[] };
    for (const c of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) n += c.restartCount ?? 0;
  }
  return n;
}
