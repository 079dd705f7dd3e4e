import { test } from 'node:test';
import assert from 'node:assert/strict';
import { definitionNameOf } from './definition-names.js';

test('definitionNameOf maps kubernetes-models names to upstream definition names', () => {
  const cases: [string, string | undefined][] = [
    ['IoK8sApiAppsV1DeploymentSpec', 'io.k8s.api.apps.v1.DeploymentSpec'],
    ['IoK8sApiCoreV1Pod', 'io.k8s.api.core.v1.Pod'],
    ['IoK8sApiAutoscalingV2beta2MetricSpec', 'io.k8s.api.autoscaling.v2beta2.MetricSpec'],
    ['IoK8sApiAdmissionregistrationV1ValidatingWebhook', 'io.k8s.api.admissionregistration.v1.ValidatingWebhook'],
    ['IoK8sApimachineryPkgApisMetaV1ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['IoK8sApimachineryPkgUtilIntstrIntOrString', 'io.k8s.apimachinery.pkg.util.intstr.IntOrString'],
    ['IoK8sApimachineryPkgVersionInfo', 'io.k8s.apimachinery.pkg.version.Info'],
    ['IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'],
    ['IoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1JSONSchemaProps', undefined],
    ['IoK8sKubeAggregatorPkgApisApiregistrationV1APIService', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'],
    ['SomethingElse', undefined],
  ];
  for (const [input, want] of cases) assert.equal(definitionNameOf(input), want, input);
});
