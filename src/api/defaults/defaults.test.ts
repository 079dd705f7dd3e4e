import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { defaultPod, imageTag } from './pod.js';
import { defaultService } from './service.js';
import { defaultDaemonSet, defaultDeployment, defaultStatefulSet } from './apps.js';
import { defaultCronJob, defaultJob, generateJobSelector } from './batch.js';
import { defaultNamespace, defaultReplicationController, defaultSecret } from './core.js';
import { defaultNetworkPolicy } from './networking.js';
import { defaultRoleBinding } from './rbac.js';
import { defaultValidatingWebhookConfiguration } from './admissionregistration.js';

const obj = (o: Record<string, unknown>): KubeObject => ({ metadata: { name: 'x', namespace: 'ns' }, ...o });

test('image pull policy follows the tag', () => {
  const cases: [string, string][] = [
    ['nginx', 'latest'],
    ['nginx:latest', 'latest'],
    ['nginx:1.25', '1.25'],
    ['localhost:5000/nginx', 'latest'],
    ['localhost:5000/nginx:v2', 'v2'],
    ['nginx@sha256:abc', ''],
  ];
  for (const [image, tag] of cases) assert.equal(imageTag(image), tag, image);
});

test('pod defaults', () => {
  const pod = obj({
    spec: {
      containers: [
        {
          name: 'a', image: 'nginx', ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: '1' } },
          livenessProbe: { httpGet: { port: 80 } },
        },
        { name: 'b', image: 'busybox:1.36', env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
      ],
      volumes: [{ name: 'v' }, { name: 's', secret: { secretName: 's' } }, { name: 'c', configMap: { name: 'c' } }],
    },
  });
  defaultPod(pod);
  const spec = pod.spec as any;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  const [a, b] = spec.containers;
  assert.equal(a.imagePullPolicy, 'Always');
  assert.equal(b.imagePullPolicy, 'IfNotPresent');
  assert.equal(a.terminationMessagePath, '/dev/termination-log');
  assert.equal(a.terminationMessagePolicy, 'File');
  assert.equal(a.ports[0].protocol, 'TCP');
  assert.deepEqual(a.resources.requests, { cpu: '1' });
  assert.deepEqual(a.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' },
    timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  assert.equal(b.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(spec.volumes[0], { name: 'v', emptyDir: {} });
  assert.equal(spec.volumes[1].secret.defaultMode, 420);
  assert.equal(spec.volumes[2].configMap.defaultMode, 420);
});

test('service defaults', () => {
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [
      { ports: [{ port: 80 }] },
      {
        ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], type: 'ClusterIP', sessionAffinity: 'None',
        internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      },
    ],
    [
      { type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] },
      {
        type: 'NodePort', ports: [{ port: 80, protocol: 'TCP', targetPort: 'http' }], sessionAffinity: 'None',
        externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'],
      },
    ],
    [
      { type: 'ExternalName', externalName: 'example.com' },
      { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' },
    ],
  ];
  for (const [spec, want] of cases) {
    const svc = obj({ spec });
    defaultService(svc);
    assert.deepEqual(svc.spec, want);
  }
});

test('workload defaults', () => {
  const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
  const deploy = obj({ spec: { template: structuredClone(template) } });
  defaultDeployment(deploy);
  const d = deploy.spec as any;
  assert.equal(d.replicas, 1);
  assert.deepEqual(d.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.revisionHistoryLimit, 10);
  assert.equal(d.progressDeadlineSeconds, 600);
  assert.equal(d.template.spec.restartPolicy, 'Always');
  assert.equal(d.template.spec.enableServiceLinks, undefined);

  const sts = obj({ spec: { template: structuredClone(template), volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] } });
  defaultStatefulSet(sts);
  const s = sts.spec as any;
  assert.equal(s.podManagementPolicy, 'OrderedReady');
  assert.deepEqual(s.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  assert.deepEqual(s.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  assert.equal(s.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  assert.equal(s.volumeClaimTemplates[0].status.phase, 'Pending');

  const ds = obj({ spec: { template: structuredClone(template) } });
  defaultDaemonSet(ds);
  assert.deepEqual((ds.spec as any).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });

  const rc = obj({ spec: { template: structuredClone(template) } });
  defaultReplicationController(rc);
  assert.deepEqual((rc.spec as any).selector, { app: 'x' });
  assert.deepEqual(rc.metadata.labels, { app: 'x' });
  assert.equal((rc.spec as any).replicas, 1);
});

test('job and cronjob defaults', () => {
  const job = obj({ spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [] } } } });
  defaultJob(job);
  const j = job.spec as any;
  assert.deepEqual(
    [j.completions, j.parallelism, j.backoffLimit, j.completionMode, j.suspend, j.podReplacementPolicy],
    [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed'],
  );
  assert.deepEqual(job.metadata.labels, { a: 'b' });
  const parallel = obj({ spec: { parallelism: 3 } });
  defaultJob(parallel);
  assert.equal((parallel.spec as any).completions, undefined);

  job.metadata.uid = 'u1';
  generateJobSelector(job);
  assert.deepEqual(j.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } });
  assert.equal(j.template.metadata.labels['batch.kubernetes.io/job-name'], 'x');

  const cj = obj({ spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: {} } } } } });
  defaultCronJob(cj);
  const c = cj.spec as any;
  assert.deepEqual(
    [c.concurrencyPolicy, c.suspend, c.successfulJobsHistoryLimit, c.failedJobsHistoryLimit],
    ['Allow', false, 3, 1],
  );
  assert.equal(c.jobTemplate.spec.template.spec.restartPolicy, 'Always');
  assert.equal(c.jobTemplate.spec.backoffLimit, undefined);
});

test('namespace, secret, network policy, rbac and webhook defaults', () => {
  const ns: KubeObject = { metadata: { name: 'team' } };
  defaultNamespace(ns);
  assert.deepEqual(ns.metadata.labels, { 'kubernetes.io/metadata.name': 'team' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  const stored: KubeObject = { metadata: { name: 'team', resourceVersion: '5' }, spec: { finalizers: [] } };
  defaultNamespace(stored);
  assert.deepEqual(stored.spec, { finalizers: [] });

  const secret = obj({});
  defaultSecret(secret);
  assert.equal(secret.type, 'Opaque');

  const np = obj({ spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } });
  defaultNetworkPolicy(np);
  assert.deepEqual((np.spec as any).policyTypes, ['Ingress', 'Egress']);
  assert.equal((np.spec as any).egress[0].ports[0].protocol, 'TCP');

  const rb = obj({ roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] });
  defaultRoleBinding(rb);
  assert.equal((rb.roleRef as any).apiGroup, 'rbac.authorization.k8s.io');
  assert.deepEqual((rb.subjects as any[]).map((s) => s.apiGroup), ['rbac.authorization.k8s.io', '']);

  const vwc: KubeObject = { metadata: { name: 'w' }, webhooks: [{ name: 'a.b.c', clientConfig: { service: { name: 's', namespace: 'n' } }, rules: [{}] }] };
  defaultValidatingWebhookConfiguration(vwc);
  const w = (vwc.webhooks as any[])[0];
  assert.deepEqual(
    [w.failurePolicy, w.matchPolicy, w.namespaceSelector, w.objectSelector, w.timeoutSeconds, w.clientConfig.service.port, w.rules[0].scope, w.reinvocationPolicy],
    ['Fail', 'Equivalent', {}, {}, 10, 443, '*', undefined],
  );
});
