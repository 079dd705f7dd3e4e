/** admissionregistration.k8s.io/v1 defaulting. */
import type { KubeObject } from '../object.js';
import { child, existing, items, setDefault, setDefaultString, type Json } from './set-default.js';

function defaultRules(holder: Json | undefined): void {
  for (const rule of items(holder, 'rules')) setDefaultString(rule, 'scope', '*');
}

function defaultWebhook(webhook: Json, mutating: boolean): void {
  setDefaultString(webhook, 'failurePolicy', 'Fail');
  setDefaultString(webhook, 'matchPolicy', 'Equivalent');
  setDefault(webhook, 'namespaceSelector', {});
  setDefault(webhook, 'objectSelector', {});
  setDefault(webhook, 'timeoutSeconds', 10);
  if (mutating) setDefaultString(webhook, 'reinvocationPolicy', 'Never');
  defaultRules(webhook);
  const service = existing(existing(webhook, 'clientConfig'), 'service');
  if (service) setDefault(service, 'port', 443);
}

export function defaultMutatingWebhookConfiguration(obj: KubeObject): void {
  for (const webhook of items(obj, 'webhooks')) defaultWebhook(webhook, true);
}

export function defaultValidatingWebhookConfiguration(obj: KubeObject): void {
  for (const webhook of items(obj, 'webhooks')) defaultWebhook(webhook, false);
}

export function defaultValidatingAdmissionPolicy(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  setDefaultString(spec, 'failurePolicy', 'Fail');
  const match = existing(spec, 'matchConstraints');
  if (match) {
    setDefaultString(match, 'matchPolicy', 'Equivalent');
    setDefault(match, 'namespaceSelector', {});
    setDefault(match, 'objectSelector', {});
    for (const key of ['resourceRules', 'excludeResourceRules']) {
      for (const rule of items(match, key)) setDefaultString(rule, 'scope', '*');
    }
  }
}
