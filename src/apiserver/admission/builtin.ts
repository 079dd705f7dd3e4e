/**
 * The built-in admission plugins in upstream's order. NodeRestriction (and other plugins
 * owned elsewhere) are inserted by the caller at their place in `ADMISSION_ORDER`.
 */
import type { Logger } from '../../base/logger.js';
import type { ServerParts } from '../handlers/context.js';
import { defaultStorageClass } from './default-storage-class.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { limitRanger } from './limit-ranger.js';
import { CachedReader } from './lookup.js';
import { namespaceLifecycle } from './namespace-lifecycle.js';
import { podSecurity } from './pod-security/plugin.js';
import { priorityPlugin } from './priority.js';
import { resourceQuotaPlugin } from './resource-quota.js';
import { serviceAccountPlugin, type ServiceAccountOptions } from './service-account.js';
import type { AdmissionPlugin } from './types.js';
import { mutatingAdmissionWebhook, validatingAdmissionWebhook } from './webhook/dispatch.js';

/** Upstream's recommended plugin order (kube-apiserver AllOrderedPlugins, the enabled subset). */
export const ADMISSION_ORDER = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'PodSecurity',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
] as const;

export interface BuiltinAdmissionOptions {
  log?: Logger;
  /** Plugin names to leave out (upstream --disable-admission-plugins). */
  disable?: string[];
  serviceAccount?: ServiceAccountOptions;
}

export function builtinAdmissionPlugins(parts: ServerParts, opts: BuiltinAdmissionOptions = {}): AdmissionPlugin[] {
  const reader = new CachedReader(parts);
  const log = opts.log ?? parts.log.child('admission');
  const all: AdmissionPlugin[] = [
    namespaceLifecycle(reader),
    limitRanger(reader),
    serviceAccountPlugin(reader, opts.serviceAccount),
    podSecurity(reader),
    priorityPlugin(reader),
    defaultTolerationSeconds(),
    defaultStorageClass(reader),
    mutatingAdmissionWebhook(reader, log),
    validatingAdmissionWebhook(reader, log),
    resourceQuotaPlugin(parts, reader),
  ];
  const disabled = new Set(opts.disable ?? []);
  return all.filter((p) => !disabled.has(p.name));
}

/** Orders plugins from several owners by upstream's order; unknown names go last, stably. */
export function orderPlugins(plugins: AdmissionPlugin[]): AdmissionPlugin[] {
  const rank = (p: AdmissionPlugin) => {
    const i = (ADMISSION_ORDER as readonly string[]).indexOf(p.name);
    return i < 0 ? ADMISSION_ORDER.length : i;
  };
  return plugins.map((p, i) => ({ p, i })).sort((x, y) => rank(x.p) - rank(y.p) || x.i - y.i).map((x) => x.p);
}
