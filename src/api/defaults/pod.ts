/**
 * Pod defaulting (upstream pkg/apis/core/v1/defaults.go SetDefaults_Pod, SetDefaults_PodSpec,
 * SetDefaults_Container and the volume/probe defaults the generated defaulters apply).
 */
import type { KubeObject } from '../object.js';
import { child, existing, items, isUnset, setDefault, setDefaultString, type Json } from './set-default.js';
import { defaultPersistentVolumeClaimSpec } from './pvc.js';

/** Octal 0644, the mode of projected files unless told otherwise. */
const DEFAULT_FILE_MODE = 420;

/** Tag as upstream's image-name parser sees it: "latest" when neither tag nor digest is given. */
export function imageTag(image: string): string {
  if (image.includes('@')) {
    const beforeDigest = image.slice(0, image.indexOf('@'));
    const tag = tagOf(beforeDigest);
    return tag;
  }
  return tagOf(image) || 'latest';
}

function tagOf(ref: string): string {
  const lastSlash = ref.lastIndexOf('/');
  const lastColon = ref.lastIndexOf(':');
  return lastColon > lastSlash ? ref.slice(lastColon + 1) : '';
}

function defaultHTTPGet(action: Json | undefined): void {
  if (!action) return;
  setDefaultString(action, 'path', '/');
  setDefaultString(action, 'scheme', 'HTTP');
}

function defaultProbe(probe: Json | undefined): void {
  if (!probe) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  defaultHTTPGet(existing(probe, 'httpGet'));
}

function defaultLifecycle(lifecycle: Json | undefined): void {
  for (const hook of ['postStart', 'preStop']) defaultHTTPGet(existing(existing(lifecycle, hook), 'httpGet'));
}

function defaultEnv(container: Json): void {
  for (const env of items(container, 'env')) {
    const fieldRef = existing(existing(env, 'valueFrom'), 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_Container (also used for init and ephemeral containers). */
export function defaultContainer(container: Json): void {
  if (isUnset(container.imagePullPolicy) || container.imagePullPolicy === '') {
    const image = typeof container.image === 'string' ? container.image : '';
    container.imagePullPolicy = imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  setDefaultString(container, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(container, 'terminationMessagePolicy', 'File');
  for (const port of items(container, 'ports')) setDefaultString(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(existing(container, probe));
  defaultLifecycle(existing(container, 'lifecycle'));
  defaultEnv(container);
}

function defaultItemsFieldRefs(source: Json | undefined): void {
  for (const item of items(source, 'items')) {
    const fieldRef = existing(item, 'fieldRef');
    if (fieldRef) setDefaultString(fieldRef, 'apiVersion', 'v1');
  }
}

/** SetDefaults_Volume plus the per-source defaults. */
export function defaultVolume(volume: Json): void {
  const sources = Object.keys(volume).filter((k) => k !== 'name' && !isUnset(volume[k]));
  if (sources.length === 0) volume.emptyDir = {};
  for (const key of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const source = existing(volume, key);
    if (source) setDefault(source, 'defaultMode', DEFAULT_FILE_MODE);
  }
  defaultItemsFieldRefs(existing(volume, 'downwardAPI'));
  for (const projection of items(existing(volume, 'projected'), 'sources')) {
    const token = existing(projection, 'serviceAccountToken');
    if (token) setDefault(token, 'expirationSeconds', 3600);
    defaultItemsFieldRefs(existing(projection, 'downwardAPI'));
  }
  const hostPath = existing(volume, 'hostPath');
  if (hostPath) setDefault(hostPath, 'type', '');
  const template = existing(existing(volume, 'ephemeral'), 'volumeClaimTemplate');
  const templateSpec = existing(template, 'spec');
  if (templateSpec) defaultPersistentVolumeClaimSpec(templateSpec);
}

/** With host networking a container port's hostPort defaults to its containerPort. */
function defaultHostNetworkPorts(containers: Json[]): void {
  for (const container of containers) {
    for (const port of items(container, 'ports')) {
      if (isUnset(port.hostPort) || port.hostPort === 0) port.hostPort = port.containerPort;
    }
  }
}

/** SetDefaults_PodSpec and everything nested in a pod spec. */
export function defaultPodSpec(spec: Json): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  if (spec.hostNetwork === true) {
    defaultHostNetworkPorts(items(spec, 'containers'));
    defaultHostNetworkPorts(items(spec, 'initContainers'));
  }
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const container of items(spec, key)) defaultContainer(container);
  }
  for (const volume of items(spec, 'volumes')) defaultVolume(volume);
}

/** Defaults a pod template's spec (workloads); no Pod-only defaults such as enableServiceLinks. */
export function defaultPodTemplateSpec(template: Json | undefined): void {
  if (!template) return;
  const spec = existing(template, 'spec');
  if (spec) defaultPodSpec(spec);
}

/** Requests default to limits, per resource, when a container sets limits only. */
function defaultRequestsFromLimits(container: Json): void {
  const resources = existing(container, 'resources');
  const limits = existing(resources, 'limits');
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = child(resources, 'requests');
  if (!requests) return;
  for (const [name, quantity] of Object.entries(limits)) {
    if (isUnset(requests[name])) requests[name] = quantity;
  }
}

/** SetDefaults_Pod: the pod spec defaults plus the Pod-only ones. */
export function defaultPod(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  for (const key of ['containers', 'initContainers']) {
    for (const container of items(spec, key)) defaultRequestsFromLimits(container);
  }
  setDefault(spec, 'enableServiceLinks', true);
  defaultPodSpec(spec);
}
