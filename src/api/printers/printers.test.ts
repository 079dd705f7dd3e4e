import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { builtinPrinters, defaultPrinter } from './index.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:50:00Z';
const printers = builtinPrinters();

function obj(name: string, fields: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name, creationTimestamp: created, ...meta }, ...fields };
}

const template = { spec: { containers: [{ name: 'app', image: 'nginx:1' }, { name: 'log', image: 'busybox' }] } };

interface Case {
  name: string;
  key: string;
  obj: KubeObject;
  want: unknown[];
}

const cases: Case[] = [
  {
    name: 'deployment READY ready/desired with wide cells',
    key: 'Deployment.apps',
    obj: obj('web', {
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    want: ['web', '2/3', 3, 2, '10m', 'app,log', 'nginx:1,busybox', 'app=web'],
  },
  {
    name: 'deployment without status',
    key: 'Deployment.apps',
    obj: obj('web', { spec: { replicas: 1, selector: {}, template } }),
    want: ['web', '0/1', 0, 0, '10m', 'app,log', 'nginx:1,busybox', ''],
  },
  {
    name: 'replicaset',
    key: 'ReplicaSet.apps',
    obj: obj('web-7d4b9', {
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d4b9' } }, template },
      status: { replicas: 2, readyReplicas: 1 },
    }),
    want: ['web-7d4b9', 2, 2, 1, '10m', 'app,log', 'nginx:1,busybox', 'app=web,pod-template-hash=7d4b9'],
  },
  {
    name: 'replicationcontroller uses a plain label map selector',
    key: 'ReplicationController',
    obj: obj('rc', { spec: { replicas: 1, selector: { app: 'rc' }, template }, status: { replicas: 1, readyReplicas: 1 } }),
    want: ['rc', 1, 1, 1, '10m', 'app,log', 'nginx:1,busybox', 'app=rc'],
  },
  {
    name: 'statefulset',
    key: 'StatefulSet.apps',
    obj: obj('db', { spec: { replicas: 3, template }, status: { readyReplicas: 3 } }),
    want: ['db', '3/3', '10m', 'app,log', 'nginx:1,busybox'],
  },
  {
    name: 'daemonset',
    key: 'DaemonSet.apps',
    obj: obj('agent', {
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } },
      },
      status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
    }),
    want: ['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '10m', 'app,log', 'nginx:1,busybox', 'app=agent'],
  },
  {
    name: 'job complete',
    key: 'Job.batch',
    obj: obj('pi', {
      spec: { completions: 1, parallelism: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template },
      status: {
        succeeded: 1,
        startTime: '2024-05-01T11:50:00Z',
        completionTime: '2024-05-01T11:50:42Z',
        conditions: [{ type: 'Complete', status: 'True' }],
      },
    }),
    want: ['pi', 'Complete', '1/1', '42s', '10m', 'app,log', 'nginx:1,busybox', 'batch.kubernetes.io/controller-uid=u1'],
  },
  {
    name: 'job running with parallelism and no completions',
    key: 'Job.batch',
    obj: obj('work', { spec: { parallelism: 3, template }, status: { succeeded: 1, startTime: '2024-05-01T11:55:00Z' } }),
    want: ['work', 'Running', '1/1 of 3', '5m', '10m', 'app,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'job not started, suspended',
    key: 'Job.batch',
    obj: obj('later', { spec: { completions: 2, template }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } }),
    want: ['later', 'Suspended', '0/2', '', '10m', 'app,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'cronjob',
    key: 'CronJob.batch',
    obj: obj('nightly', {
      spec: { schedule: '0 3 * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: 'nightly-1' }], lastScheduleTime: '2024-05-01T11:57:00Z' },
    }),
    want: ['nightly', '0 3 * * *', 'Etc/UTC', 'False', 1, '3m', '10m', 'app,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'cronjob never scheduled',
    key: 'CronJob.batch',
    obj: obj('c', { spec: { schedule: '@hourly', jobTemplate: { spec: { template } } }, status: {} }),
    want: ['c', '@hourly', '<none>', '<unset>', 0, '<none>', '10m', 'app,log', 'nginx:1,busybox', '<none>'],
  },
  {
    name: 'nodeport service',
    key: 'Service',
    obj: obj('web', {
      spec: {
        type: 'NodePort',
        clusterIP: '10.43.0.10',
        clusterIPs: ['10.43.0.10'],
        selector: { app: 'web' },
        ports: [
          { port: 80, nodePort: 30080, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      },
    }),
    want: ['web', 'NodePort', '10.43.0.10', '<none>', '80:30080/TCP,53/UDP', '10m', 'app=web'],
  },
  {
    name: 'pending load balancer',
    key: 'Service',
    obj: obj('lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.43.0.11'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } }),
    want: ['lb', 'LoadBalancer', '10.43.0.11', '<pending>', '443:31443/TCP', '10m', '<none>'],
  },
  {
    name: 'load balancer with ingress and external IPs',
    key: 'Service',
    obj: obj('lb', {
      spec: { type: 'LoadBalancer', clusterIPs: ['10.43.0.11'], externalIPs: ['1.2.3.4'], ports: [] },
      status: { loadBalancer: { ingress: [{ ip: '192.168.1.9' }, { hostname: 'lb.example.com' }] } },
    }),
    want: ['lb', 'LoadBalancer', '10.43.0.11', '192.168.1.9,lb.example.com,1.2.3.4', '<none>', '10m', '<none>'],
  },
  {
    name: 'headless and external name services',
    key: 'Service',
    obj: obj('db', { spec: { type: 'ExternalName', externalName: 'db.example.com' } }),
    want: ['db', 'ExternalName', '<none>', 'db.example.com', '<none>', '10m', '<none>'],
  },
  {
    name: 'endpoints cut after three',
    key: 'Endpoints',
    obj: obj('web', {
      subsets: [
        { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] },
        { addresses: [{ ip: 'fd00::1' }] },
      ],
    }),
    want: ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...', '10m'],
  },
  {
    name: 'endpoints with v6 and none',
    key: 'Endpoints',
    obj: obj('six', { subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }),
    want: ['six', '[fd00::1]:80', '10m'],
  },
  {
    name: 'endpoints without subsets',
    key: 'Endpoints',
    obj: obj('none', {}),
    want: ['none', '<none>', '10m'],
  },
  {
    name: 'endpointslice',
    key: 'EndpointSlice.discovery.k8s.io',
    obj: obj('web-abc', {
      addressType: 'IPv4',
      ports: [{ port: 80, name: 'http' }, { name: 'metrics' }, {}],
      endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }],
    }),
    want: ['web-abc', 'IPv4', '80,metrics,*', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '10m'],
  },
  {
    name: 'empty endpointslice',
    key: 'EndpointSlice.discovery.k8s.io',
    obj: obj('e', { addressType: 'IPv4' }),
    want: ['e', 'IPv4', '<unset>', '<unset>', '10m'],
  },
  {
    name: 'ingress',
    key: 'Ingress.networking.k8s.io',
    obj: obj('web', {
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['a.example.com'] }],
        rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.168.1.10' }] } },
    }),
    want: ['web', 'nginx', 'a.example.com,b.example.com,c.example.com + 2 more...', '192.168.1.10', '80, 443', '10m'],
  },
  {
    name: 'ingress with no hosts',
    key: 'Ingress.networking.k8s.io',
    obj: obj('all', { spec: { defaultBackend: {} } }),
    want: ['all', '<none>', '*', '', '80', '10m'],
  },
  {
    name: 'ingressclass',
    key: 'IngressClass.networking.k8s.io',
    obj: obj('nginx', { spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'Params', name: 'p' } } }),
    want: ['nginx', 'k8s.io/ingress-nginx', 'Params.k8s.example.com/p', '10m'],
  },
  {
    name: 'networkpolicy selecting all pods',
    key: 'NetworkPolicy.networking.k8s.io',
    obj: obj('deny', { spec: { podSelector: {} } }),
    want: ['deny', '<none>', '10m'],
  },
  {
    name: 'node ready but cordoned with roles',
    key: 'Node',
    obj: obj(
      'n1',
      {
        spec: { unschedulable: true },
        status: {
          conditions: [
            { type: 'MemoryPressure', status: 'False' },
            { type: 'Ready', status: 'True' },
          ],
          addresses: [
            { type: 'Hostname', address: 'n1' },
            { type: 'InternalIP', address: '192.168.1.2' },
          ],
          nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7' },
        },
      },
      { labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': 'true', 'kubernetes.io/role': 'edge' } },
    ),
    want: ['n1', 'Ready,SchedulingDisabled', 'control-plane,edge,master', '10m', 'v1.32.0', '192.168.1.2', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.7'],
  },
  {
    name: 'new node without status',
    key: 'Node',
    obj: obj('n2', {}),
    want: ['n2', 'Unknown', '<none>', '10m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'not ready node',
    key: 'Node',
    obj: obj('n3', { status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }),
    want: ['n3', 'NotReady', '<none>', '10m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  {
    name: 'namespace',
    key: 'Namespace',
    obj: obj('default', { status: { phase: 'Active' } }),
    want: ['default', 'Active', '10m'],
  },
  {
    name: 'configmap counts data and binaryData',
    key: 'ConfigMap',
    obj: obj('cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }),
    want: ['cfg', 3, '10m'],
  },
  {
    name: 'secret',
    key: 'Secret',
    obj: obj('tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }),
    want: ['tls', 'kubernetes.io/tls', 2, '10m'],
  },
  {
    name: 'serviceaccount',
    key: 'ServiceAccount',
    obj: obj('default', {}),
    want: ['default', 0, '10m'],
  },
  {
    name: 'core event',
    key: 'Event',
    obj: obj('web.17c', {
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      type: 'Warning',
      message: 'Back-off restarting failed container\n',
      source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: '2024-05-01T11:40:00Z',
      lastTimestamp: '2024-05-01T11:59:00Z',
      count: 7,
    }),
    want: ['60s', 'Warning', 'BackOff', 'pod/web', 'spec.containers{app}', 'kubelet, n1', 'Back-off restarting failed container', '20m', 7, 'web.17c'],
  },
  {
    name: 'core event written through the new API (eventTime only, no count; MicroTime truncates to whole seconds)',
    key: 'Event',
    obj: obj('sched.1', {
      involvedObject: { kind: 'Pod', name: 'web' },
      reason: 'Scheduled',
      type: 'Normal',
      message: 'Successfully assigned default/web to n1',
      eventTime: '2024-05-01T11:58:00.123456Z',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-n1',
      source: {},
    }),
    want: ['119s', 'Normal', 'Scheduled', 'pod/web', '', 'default-scheduler, default-scheduler-n1', 'Successfully assigned default/web to n1', '119s', 1, 'sched.1'],
  },
  {
    name: 'events.k8s.io event with a series',
    key: 'Event.events.k8s.io',
    obj: {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'n.1', creationTimestamp: created },
      regarding: { kind: 'Node', name: 'n1' },
      reason: 'Rebooted',
      type: 'Warning',
      note: 'Node rebooted',
      eventTime: '2024-05-01T11:30:00.000000Z',
      series: { count: 4, lastObservedTime: '2024-05-01T11:59:30.000000Z' },
      reportingController: 'kubelet',
    },
    want: ['30s', 'Warning', 'Rebooted', 'node/n1', '', 'kubelet', 'Node rebooted', '30m', 4, 'n.1'],
  },
  {
    name: 'persistentvolume bound',
    key: 'PersistentVolume',
    obj: obj('pv1', {
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace: 'default', name: 'data' },
        storageClassName: 'local',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    }),
    want: ['pv1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'local', '<unset>', '', '10m', 'Filesystem'],
  },
  {
    name: 'persistentvolumeclaim pending then bound',
    key: 'PersistentVolumeClaim',
    obj: obj('data', {
      spec: { storageClassName: 'local', volumeName: 'pv1', resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
      status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] },
    }),
    want: ['data', 'Bound', 'pv1', '10Gi', 'RWO', 'local', '<unset>', '10m', 'Filesystem'],
  },
  {
    name: 'persistentvolumeclaim unbound and terminating',
    key: 'PersistentVolumeClaim',
    obj: obj('data', { spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } }, { deletionTimestamp: created }),
    want: ['data', 'Terminating', '', '', '', '', '<unset>', '10m', '<unset>'],
  },
  {
    name: 'default storageclass',
    key: 'StorageClass.storage.k8s.io',
    obj: obj('local-path', { provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }, {
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    }),
    want: ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '10m'],
  },
  {
    name: 'csidriver defaults',
    key: 'CSIDriver.storage.k8s.io',
    obj: obj('csi.example.com', { spec: {} }),
    want: ['csi.example.com', true, false, false, '<unset>', false, '<none>', '10m'],
  },
  {
    name: 'csinode',
    key: 'CSINode.storage.k8s.io',
    obj: obj('n1', { spec: { drivers: [{ name: 'a' }] } }),
    want: ['n1', 1, '10m'],
  },
  {
    name: 'volumeattachment',
    key: 'VolumeAttachment.storage.k8s.io',
    obj: obj('csi-123', { spec: { attacher: 'csi.example.com', nodeName: 'n1', source: { persistentVolumeName: 'pv1' } }, status: { attached: true } }),
    want: ['csi-123', 'csi.example.com', 'pv1', 'n1', true, '10m'],
  },
  {
    name: 'lease',
    key: 'Lease.coordination.k8s.io',
    obj: obj('kube-scheduler', { spec: { holderIdentity: 'n1_abc' } }),
    want: ['kube-scheduler', 'n1_abc', '10m'],
  },
  {
    name: 'controllerrevision',
    key: 'ControllerRevision.apps',
    obj: obj('agent-5f6', { revision: 2 }, {
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }],
    }),
    want: ['agent-5f6', 'daemonset.apps/agent', 2, '10m'],
  },
  {
    name: 'hpa v2 with utilization and value targets',
    key: 'HorizontalPodAutoscaler.autoscaling',
    obj: obj('web', {
      apiVersion: 'autoscaling/v2',
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '100m' } } }],
      },
    }),
    want: ['web', 'Deployment/web', 'cpu: 50%/80%, memory: <unknown>/500Mi + 1 more...', '1', 10, 2, '10m'],
  },
  {
    name: 'hpa without metrics reported yet',
    key: 'HorizontalPodAutoscaler.autoscaling',
    obj: obj('api', {
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'api' },
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
    }),
    want: ['api', 'Deployment/api', 'cpu: <unknown>/80%', '<unset>', 5, 0, '10m'],
  },
  {
    name: 'hpa read as autoscaling/v1',
    key: 'HorizontalPodAutoscaler.autoscaling',
    obj: obj('old', {
      apiVersion: 'autoscaling/v1',
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'old' }, minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 60 },
      status: { currentReplicas: 2, currentCPUUtilizationPercentage: 30 },
    }),
    want: ['old', 'Deployment/old', 'cpu: 30%/60%', '2', 4, 2, '10m'],
  },
  {
    name: 'poddisruptionbudget',
    key: 'PodDisruptionBudget.policy',
    obj: obj('web', { spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }),
    want: ['web', '50%', 'N/A', 1, '10m'],
  },
  {
    name: 'priorityclass',
    key: 'PriorityClass.scheduling.k8s.io',
    obj: obj('system-node-critical', { value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }),
    want: ['system-node-critical', 2000001000, false, '10m', 'PreemptLowerPriority'],
  },
  {
    name: 'runtimeclass',
    key: 'RuntimeClass.node.k8s.io',
    obj: obj('gvisor', { handler: 'runsc' }),
    want: ['gvisor', 'runsc', '10m'],
  },
  {
    name: 'rolebinding',
    key: 'RoleBinding.rbac.authorization.k8s.io',
    obj: obj('view', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [
        { kind: 'User', name: 'alice' },
        { kind: 'User', name: 'bob' },
        { kind: 'Group', name: 'devs' },
        { kind: 'ServiceAccount', namespace: 'ci', name: 'runner' },
      ],
    }),
    want: ['view', 'ClusterRole/view', '10m', 'alice, bob', 'devs', 'ci/runner'],
  },
  {
    name: 'clusterrolebinding without subjects',
    key: 'ClusterRoleBinding.rbac.authorization.k8s.io',
    obj: obj('empty', { roleRef: { kind: 'ClusterRole', name: 'edit' } }),
    want: ['empty', 'ClusterRole/edit', '10m', '', '', ''],
  },
  {
    name: 'csr approved and issued',
    key: 'CertificateSigningRequest.certificates.k8s.io',
    obj: obj('csr-1', {
      spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'system:admin', expirationSeconds: 86400 },
      status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
    }),
    want: ['csr-1', '10m', 'kubernetes.io/kube-apiserver-client', 'system:admin', '24h', 'Approved,Issued'],
  },
  {
    name: 'webhook configuration',
    key: 'ValidatingWebhookConfiguration.admissionregistration.k8s.io',
    obj: obj('policy', { webhooks: [{ name: 'a' }, { name: 'b' }] }),
    want: ['policy', 2, '10m'],
  },
  {
    name: 'resourcequota',
    key: 'ResourceQuota',
    obj: obj('quota', {
      status: {
        hard: { 'requests.cpu': '2', pods: '10', 'limits.memory': '4Gi', 'limits.cpu': '4' },
        used: { 'requests.cpu': '500m', pods: '3', 'limits.cpu': '1' },
      },
    }),
    want: ['quota', 'pods: 3/10, requests.cpu: 500m/2', 'limits.cpu: 1/4, limits.memory: 0/4Gi', '10m'],
  },
  {
    name: 'podtemplate',
    key: 'PodTemplate',
    obj: obj('tpl', { template: { metadata: { labels: { app: 'x' } }, ...template } }),
    want: ['tpl', 'app,log', 'nginx:1,busybox', 'app=x'],
  },
];

test('printer rows match upstream cells', () => {
  for (const c of cases) {
    const printer = printers[c.key];
    assert.ok(printer, `printer for ${c.key}`);
    assert.deepEqual(printer.row(c.obj, now), c.want, c.name);
  }
});

test('every printer fills one cell per column, even for a bare object', () => {
  const bare: KubeObject = { metadata: { name: 'x' } };
  for (const [key, printer] of Object.entries(printers)) {
    assert.equal(printer.row(bare, now).length, printer.columns.length, key);
    for (const c of printer.columns) {
      assert.ok(c.priority === 0 || c.priority === 1, `${key} ${c.name} priority`);
      assert.equal(typeof c.description, 'string', `${key} ${c.name} description`);
    }
  }
  for (const c of cases) assert.equal(c.want.length, printers[c.key].columns.length, `${c.name} cell count`);
});

test('wide-only columns are the ones upstream hides without -o wide', () => {
  const wide = (key: string) => printers[key].columns.filter((c) => c.priority === 1).map((c) => c.name);
  assert.deepEqual(wide('Pod'), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  assert.deepEqual(wide('Deployment.apps'), ['Containers', 'Images', 'Selector']);
  assert.deepEqual(wide('Node'), ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  assert.deepEqual(wide('Event'), ['Subobject', 'Source', 'First Seen', 'Count', 'Name']);
  assert.deepEqual(wide('PersistentVolumeClaim'), ['VolumeMode']);
  assert.deepEqual(
    printers['Job.batch'].columns.map((c) => c.name),
    ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector'],
  );
  assert.deepEqual(
    printers['CronJob.batch'].columns.map((c) => c.name),
    ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector'],
  );
});

test('default printer prints NAME and an RFC 3339 CREATED AT', () => {
  assert.deepEqual(
    defaultPrinter.columns.map((c) => [c.name, c.type, c.format]),
    [
      ['Name', 'string', 'name'],
      ['Created At', 'date', undefined],
    ],
  );
  assert.deepEqual(defaultPrinter.row(obj('admin', {}, { creationTimestamp: '2024-05-01T11:50:00.5Z' }), now), ['admin', '2024-05-01T11:50:00Z']);
  assert.deepEqual(defaultPrinter.row({ metadata: { name: 'x' } }, now), ['x', '0001-01-01T00:00:00Z']);
});
