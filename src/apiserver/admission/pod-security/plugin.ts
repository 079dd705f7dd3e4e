/**
 * PodSecurity admission (upstream staging/src/k8s.io/pod-security-admission/admission): the
 * namespace's `pod-security.kubernetes.io/<mode>` labels pick a level per mode. `enforce`
 * refuses violating pods; `warn` answers with Warning headers; `audit` has no audit log to
 * write to here. Workload templates (Deployment, Job, …) are never refused, only warned about,
 * so users learn at apply time why their pods will not appear.
 */
import type { KubeObject } from '../../../api/object.js';
import { admissionForbidden } from '../errors.js';
import { CachedReader, NAMESPACES } from '../lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';
import { evaluatePod, type Level, type PodMeta, type PodSpec, type Violation } from './checks.js';

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

export interface LevelVersion {
  level: Level;
  version: string;
}

const LEVELS = new Set<Level>(['privileged', 'baseline', 'restricted']);

/** A mode's level and version from namespace labels; invalid values fall back to the strictest. */
export function policyFor(labels: Record<string, string> | undefined, mode: 'enforce' | 'warn' | 'audit'): LevelVersion {
  const raw = labels?.[`${LABEL_PREFIX}${mode}`];
  const level: Level = raw === undefined ? 'privileged' : LEVELS.has(raw as Level) ? (raw as Level) : 'restricted';
  const v = labels?.[`${LABEL_PREFIX}${mode}-version`];
  const version = v && /^v1\.\d+$/.test(v) ? v : 'latest';
  return { level, version };
}

export function describe(lv: LevelVersion): string {
  return `${lv.level}:${lv.version}`;
}

export function violationText(vs: Violation[]): string {
  return vs.map((v) => `${v.reason} (${v.detail})`).join(', ');
}

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  '/replicationcontrollers': ['spec', 'template'],
  '/podtemplates': ['template'],
  'apps/deployments': ['spec', 'template'],
  'apps/replicasets': ['spec', 'template'],
  'apps/statefulsets': ['spec', 'template'],
  'apps/daemonsets': ['spec', 'template'],
  'batch/jobs': ['spec', 'template'],
  'batch/cronjobs': ['spec', 'jobTemplate', 'spec', 'template'],
};

function templateOf(obj: KubeObject, path: string[]): { metadata?: PodMeta; spec?: PodSpec } | undefined {
  let cur: unknown = obj;
  for (const p of path) cur = (cur as Record<string, unknown> | undefined)?.[p];
  return cur as { metadata?: PodMeta; spec?: PodSpec } | undefined;
}

/** Pod updates matter only if something other than container images changed. */
function significantPodUpdate(a: AdmissionAttributes): boolean {
  if (a.operation === 'CREATE') return true;
  if (!a.oldObject || !a.object) return false;
  const strip = (o: KubeObject) => {
    const spec = JSON.parse(JSON.stringify(o.spec ?? {})) as PodSpec & Record<string, unknown>;
    for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers]) for (const c of list ?? []) delete (c as Record<string, unknown>).image;
    delete spec.activeDeadlineSeconds;
    delete spec.tolerations;
    return JSON.stringify([spec, o.metadata.annotations ?? {}]);
  };
  return strip(a.object) !== strip(a.oldObject);
}

export function podSecurity(reader: CachedReader): AdmissionPlugin {
  return {
    name: 'PodSecurity',
    async validate(a: AdmissionAttributes) {
      if (!a.namespace || !a.object || (a.operation !== 'CREATE' && a.operation !== 'UPDATE')) return;
      const key = `${a.rt.group}/${a.rt.plural}`;
      const isPod = key === '/pods' && (!a.subresource || a.subresource === 'ephemeralcontainers');
      const templatePath = a.subresource ? undefined : TEMPLATE_PATHS[key];
      if (!isPod && !templatePath) return;
      if (isPod && !significantPodUpdate(a)) return;
      const ns = await reader.get(NAMESPACES, undefined, a.namespace, { fresh: true });
      const labels = ns?.metadata.labels;
      if (!Object.keys(labels ?? {}).some((k) => k.startsWith(LABEL_PREFIX))) return;
      const target = isPod ? { metadata: a.object.metadata, spec: a.object.spec as PodSpec } : templateOf(a.object, templatePath!);
      if (!target) return;
      const meta = target.metadata ?? {};
      const spec = target.spec ?? {};
      const enforce = policyFor(labels, 'enforce');
      const warn = policyFor(labels, 'warn');
      const enforced = evaluatePod(enforce.level, meta, spec);
      if (isPod && enforced.length) {
        throw admissionForbidden(a, `violates PodSecurity ${JSON.stringify(describe(enforce))}: ${violationText(enforced)}`);
      }
      // A template is not a pod: enforce-level violations only warn, like upstream.
      if (!isPod && enforced.length) a.warn?.(`would violate PodSecurity ${JSON.stringify(describe(enforce))}: ${violationText(enforced)}`);
      if (warn.level === enforce.level && warn.version === enforce.version) return;
      const warned = evaluatePod(warn.level, meta, spec);
      if (warned.length) a.warn?.(`would violate PodSecurity ${JSON.stringify(describe(warn))}: ${violationText(warned)}`);
    },
  };
}
