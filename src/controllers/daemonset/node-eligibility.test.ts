import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { daemonPodSpec, newDaemonPod, targetNodeName } from './daemon-pod.js';
import { nodeShouldRunDaemonPod, type Taint } from './node-eligibility.js';

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): KubeObject => ({ metadata: { name, labels }, spec: { taints } });

test('placement table', () => {
  const cases: { name: string; node: KubeObject; template: Record<string, unknown>; run: boolean; stay: boolean }[] = [
    { name: 'plain node', node: node('n1'), template: {}, run: true, stay: true },
    { name: 'nodeSelector matches', node: node('n1', { disk: 'ssd' }), template: { nodeSelector: { disk: 'ssd' } }, run: true, stay: true },
    { name: 'nodeSelector misses', node: node('n1', { disk: 'hdd' }), template: { nodeSelector: { disk: 'ssd' } }, run: false, stay: false },
    {
      name: 'required affinity In',
      node: node('n1', { zone: 'a' }),
      template: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } },
      run: true,
      stay: true,
    },
    {
      name: 'required affinity matchFields other node',
      node: node('n1'),
      template: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } } },
      run: false,
      stay: false,
    },
    { name: 'NoSchedule taint untolerated: no new pod, existing stays', node: node('n1', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), template: {}, run: false, stay: true },
    { name: 'NoExecute taint untolerated: evicted', node: node('n1', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]), template: {}, run: false, stay: false },
    {
      name: 'tolerated taint',
      node: node('n1', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]),
      template: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] },
      run: true,
      stay: true,
    },
    { name: 'PreferNoSchedule ignored', node: node('n1', {}, [{ key: 'x', effect: 'PreferNoSchedule' }]), template: {}, run: true, stay: true },
    { name: 'cordoned node tolerated by default', node: node('n1', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), template: {}, run: true, stay: true },
    { name: 'not-ready node tolerated by default', node: node('n1', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), template: {}, run: true, stay: true },
    { name: 'network-unavailable not tolerated without hostNetwork', node: node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), template: {}, run: false, stay: true },
    { name: 'network-unavailable tolerated with hostNetwork', node: node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), template: { hostNetwork: true }, run: true, stay: true },
  ];
  for (const c of cases) {
    const spec = daemonPodSpec({ spec: c.template });
    assert.deepEqual(nodeShouldRunDaemonPod(c.node, spec, false), { shouldRun: c.run, shouldContinueRunning: c.stay }, c.name);
  }
  assert.deepEqual(nodeShouldRunDaemonPod(node('n1'), daemonPodSpec({}), true), { shouldRun: false, shouldContinueRunning: false });
});

test('daemon pod is pinned by matchFields on metadata.name and labelled with the hash', () => {
  const ds: KubeObject = {
    metadata: { name: 'agent', namespace: 'kube-system', uid: 'u' },
    spec: {
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          containers: [{ name: 'c', image: 'i' }],
          affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] } } },
        },
      },
    },
  };
  const pod = newDaemonPod(ds, 'n7', 'abc');
  assert.equal(pod.metadata.generateName, 'agent-');
  assert.deepEqual(pod.metadata.labels, { app: 'agent', 'controller-revision-hash': 'abc' });
  const spec = pod.spec as { affinity: unknown; tolerations: { key: string }[] };
  assert.deepEqual(spec.affinity, {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] } },
  });
  assert.deepEqual(spec.tolerations.map((t) => t.key), [
    'node.kubernetes.io/not-ready',
    'node.kubernetes.io/unreachable',
    'node.kubernetes.io/disk-pressure',
    'node.kubernetes.io/memory-pressure',
    'node.kubernetes.io/pid-pressure',
    'node.kubernetes.io/unschedulable',
  ]);
  assert.equal(targetNodeName(pod), 'n7');
  assert.equal(targetNodeName({ metadata: {}, spec: { nodeName: 'n9' } }), 'n9');
});
