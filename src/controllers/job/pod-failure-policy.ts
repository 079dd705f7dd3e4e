/**
 * spec.podFailurePolicy (upstream pkg/controller/job/pod_failure_policy.go): the first rule that
 * matches a failed pod decides whether the pod fails the whole Job (FailJob), is not counted
 * against backoffLimit (Ignore), or is counted as usual (Count). FailIndex needs
 * backoffLimitPerIndex, which skiff does not implement; it counts like Count.
 */
import type { KubeObject } from '../../api/object.js';

interface ExitCodesRequirement {
  containerName?: string;
  operator: 'In' | 'NotIn';
  values: number[];
}

interface PodConditionPattern {
  type: string;
  status?: string;
}

interface PodFailurePolicyRule {
  action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';
  onExitCodes?: ExitCodesRequirement;
  onPodConditions?: PodConditionPattern[];
}

export interface PodFailurePolicy {
  rules?: PodFailurePolicyRule[];
}

export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job fails with this message. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit. */
  countFailed: boolean;
  action?: string;
}

interface ContainerStatus {
  name: string;
  state?: { terminated?: { exitCode?: number } };
}

function terminatedExitCodes(pod: KubeObject): { name: string; exitCode: number }[] {
  const st = (pod.status ?? {}) as { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] };
  const out: { name: string; exitCode: number }[] = [];
  for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
    const code = cs.state?.terminated?.exitCode;
    // Exit code 0 is a success and never matches a requirement.
    if (code !== undefined && code !== 0) out.push({ name: cs.name, exitCode: code });
  }
  return out;
}

function matchExitCodes(pod: KubeObject, req: ExitCodesRequirement): { name: string; exitCode: number } | undefined {
  for (const c of terminatedExitCodes(pod)) {
    if (req.containerName && req.containerName !== c.name) continue;
    const inValues = req.values.includes(c.exitCode);
    if ((req.operator === 'In' && inValues) || (req.operator === 'NotIn' && !inValues)) return c;
  }
  return undefined;
}

function matchConditions(pod: KubeObject, patterns: PodConditionPattern[]): string | undefined {
  const conds = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  for (const p of patterns) {
    const c = conds.find((x) => x.type === p.type);
    if (c && c.status === (p.status ?? 'True')) return p.type;
  }
  return undefined;
}

export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: KubeObject): PolicyMatch {
  const { namespace, name } = pod.metadata;
  for (const [index, rule] of (policy?.rules ?? []).entries()) {
    let describe: string | undefined;
    if (rule.onExitCodes) {
      const c = matchExitCodes(pod, rule.onExitCodes);
      if (c) describe = `Container ${c.name} for pod ${namespace}/${name} failed with exit code ${c.exitCode} matching ${rule.action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const type = matchConditions(pod, rule.onPodConditions);
      if (type) describe = `Pod ${namespace}/${name} has condition ${type} matching ${rule.action} rule at index ${index}`;
    }
    if (describe === undefined) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: rule.action };
      case 'FailJob':
        return { failJobMessage: describe, countFailed: true, action: rule.action };
      default:
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}
