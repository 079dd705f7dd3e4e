/** apps/v1 defaulting (upstream pkg/apis/apps/v1/defaults.go). */
import type { KubeObject } from '../object.js';
import { child, existing, items, setDefault, setDefaultString } from './set-default.js';
import { defaultPodTemplateSpec } from './pod.js';
import { defaultPersistentVolumeClaimSpec } from './pvc.js';

export function defaultDeployment(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  if (strategy) {
    setDefaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      if (rollingUpdate) {
        setDefault(rollingUpdate, 'maxUnavailable', '25%');
        setDefault(rollingUpdate, 'maxSurge', '25%');
      }
    }
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(existing(spec, 'template'));
}

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(existing(spec, 'template'));
}

export function defaultStatefulSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefaultString(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  if (strategy) {
    setDefaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      if (rollingUpdate) setDefault(rollingUpdate, 'partition', 0);
    }
  }
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  if (retention) {
    setDefaultString(retention, 'whenDeleted', 'Retain');
    setDefaultString(retention, 'whenScaled', 'Retain');
  }
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(existing(spec, 'template'));
  for (const claim of items(spec, 'volumeClaimTemplates')) {
    const claimSpec = child(claim, 'spec');
    if (claimSpec) defaultPersistentVolumeClaimSpec(claimSpec);
    const status = child(claim, 'status');
    if (status) setDefaultString(status, 'phase', 'Pending');
  }
}

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  const strategy = child(spec, 'updateStrategy');
  if (strategy) {
    setDefaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rollingUpdate = child(strategy, 'rollingUpdate');
      if (rollingUpdate) {
        setDefault(rollingUpdate, 'maxUnavailable', 1);
        setDefault(rollingUpdate, 'maxSurge', 0);
      }
    }
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(existing(spec, 'template'));
}
