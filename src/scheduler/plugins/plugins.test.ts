import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Indexer } from '../../client/informer.js';
import type { KubeObject } from '../../api/object.js';
import { Cache } from '../cache/cache.js';
import type { Node, Pod, PodSpec } from '../framework/api-types.js';
import { CycleState } from '../framework/cycle-state.js';
import type { Handle } from '../framework/interface.js';
import { PodInfo } from '../framework/pod-info.js';
import { podRequests } from '../framework/resource.js';
import { NodeName } from './node-name.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeAffinity } from './node-affinity.js';
import { TaintToleration } from './taint-toleration.js';
import { NodePorts } from './node-ports.js';
import { InterPodAffinity } from './inter-pod-affinity.js';
import { PodTopologySpread } from './pod-topology-spread.js';
import { VolumeBinding } from './volume-binding.js';
import { BalancedAllocation } from './balanced-allocation.js';
import { numFeasibleNodesToFind } from '../num-feasible-nodes.js';

function mkNode(name: string, opts: { labels?: Record<string, string>; cpu?: string; memory?: string; pods?: string; taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean; extra?: Record<string, string> } = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110', ...opts.extra } },
  };
}

function mkPod(name: string, spec: Partial<PodSpec> = {}, labels?: Record<string, string>, ns = 'default'): PodInfo {
  const pod: Pod = { metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c' }], ...spec } };
  return new PodInfo(pod);
}

function req(cpu?: string, memory?: string): Partial<PodSpec> {
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return { containers: [{ name: 'c', resources: { requests } }] };
}

/** A cache with nodes and the pods on them. */
function cluster(nodes: Node[], pods: [string, PodInfo][] = []): Cache {
  const c = new Cache();
  for (const n of nodes) c.addNode(n);
  for (const [node, p] of pods) c.addPod(new PodInfo({ ...p.pod, spec: { ...p.pod.spec, nodeName: node } }));
  return c;
}

function handleFor(cache: Cache, objs: { pvcs?: KubeObject[]; pvs?: KubeObject[]; classes?: KubeObject[] } = {}): Handle {
  const idx = (items: KubeObject[] = []) => {
    const i = new Indexer<KubeObject>();
    for (const o of items) i.set(o);
    return i;
  };
  return {
    snapshot: cache,
    listers: { pvcs: idx(objs.pvcs), pvs: idx(objs.pvs), storageClasses: idx(objs.classes), pdbs: idx(), namespaceLabels: () => undefined },
  } as unknown as Handle;
}

test('pod requests: containers, init containers, sidecars, overhead', () => {
  const cases: { name: string; spec: Partial<PodSpec>; cpu: number; mem: number }[] = [
    { name: 'sum of containers', spec: { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }, { name: 'b', resources: { requests: { cpu: '200m', memory: '1Ki' } } }] }, cpu: 300, mem: 1024 },
    { name: 'init container larger', spec: { ...req('100m'), initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }] }, cpu: 1000, mem: 0 },
    {
      name: 'sidecar adds to containers and to later init containers',
      spec: { ...req('100m'), initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } }, { name: 'i', resources: { requests: { cpu: '250m' } } }] },
      cpu: 450,
      mem: 0,
    },
    { name: 'overhead', spec: { ...req('100m'), overhead: { cpu: '50m' } }, cpu: 150, mem: 0 },
    { name: 'limits stand in for requests', spec: { containers: [{ name: 'c', resources: { limits: { cpu: '2' } } }] }, cpu: 2000, mem: 0 },
  ];
  for (const c of cases) {
    const r = podRequests({ metadata: { name: 'p' }, spec: { containers: [], ...c.spec } } as Pod);
    assert.equal(r.milliCPU, c.cpu, c.name);
    assert.equal(r.memory, c.mem, c.name);
  }
});

test('filters', () => {
  const full = cluster([mkNode('n1', { cpu: '1', pods: '1' })], [['n1', mkPod('x', req('900m'))]]);
  const n1 = full.get('n1')!;
  const plain = cluster([mkNode('p', { labels: { zone: 'a', gen: '5' } })]).get('p')!;
  const tainted = cluster([mkNode('t', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })]).get('t')!;
  const cordoned = cluster([mkNode('c', { unschedulable: true })]).get('c')!;
  const gpu = cluster([mkNode('g', { extra: { 'nvidia.com/gpu': '1' } })]).get('g')!;
  const ported = cluster([mkNode('h')], [['h', mkPod('web', { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] })]]).get('h')!;
  const state = new CycleState();
  const cases: { name: string; plugin: { filter(s: CycleState, p: PodInfo, n: typeof n1): { code: string; reasons: readonly string[] } }; pod: PodInfo; node: typeof n1; code: string; reasons?: string[] }[] = [
    { name: 'NodeName match', plugin: new NodeName(), pod: mkPod('a', { nodeName: 'p' }), node: plain, code: 'Success' },
    { name: 'NodeName mismatch', plugin: new NodeName(), pod: mkPod('a', { nodeName: 'q' }), node: plain, code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match the requested node name"] },
    { name: 'cordoned', plugin: new NodeUnschedulable(), pod: mkPod('a'), node: cordoned, code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] },
    {
      name: 'cordoned but tolerated',
      plugin: new NodeUnschedulable(),
      pod: mkPod('a', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
      node: cordoned,
      code: 'Success',
    },
    { name: 'too many pods and cpu', plugin: new NodeResourcesFit(), pod: mkPod('a', req('200m')), node: n1, code: 'Unschedulable', reasons: ['Too many pods', 'Insufficient cpu'] },
    { name: 'more than allocatable is unresolvable', plugin: new NodeResourcesFit(), pod: mkPod('a', req('5')), node: plain, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient cpu'] },
    { name: 'memory', plugin: new NodeResourcesFit(), pod: mkPod('a', req(undefined, '9Gi')), node: plain, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient memory'] },
    { name: 'extended resource missing', plugin: new NodeResourcesFit(), pod: mkPod('a', { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '1' } } }] }), node: plain, code: 'UnschedulableAndUnresolvable', reasons: ['Insufficient nvidia.com/gpu'] },
    { name: 'extended resource present', plugin: new NodeResourcesFit(), pod: mkPod('a', { containers: [{ name: 'c', resources: { requests: { 'nvidia.com/gpu': '1' } } }] }), node: gpu, code: 'Success' },
    { name: 'nodeSelector match', plugin: new NodeAffinity(), pod: mkPod('a', { nodeSelector: { zone: 'a' } }), node: plain, code: 'Success' },
    { name: 'nodeSelector mismatch', plugin: new NodeAffinity(), pod: mkPod('a', { nodeSelector: { zone: 'b' } }), node: plain, code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] },
    ...(
      [
        ['In', ['a', 'b'], 'Success'],
        ['NotIn', ['a'], 'UnschedulableAndUnresolvable'],
        ['Exists', undefined, 'Success'],
        ['DoesNotExist', undefined, 'UnschedulableAndUnresolvable'],
      ] as const
    ).map(([op, values, code]) => ({
      name: `affinity ${op}`,
      plugin: new NodeAffinity(),
      pod: mkPod('a', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: op, values: values ? [...values] : undefined }] }] } } } }),
      node: plain,
      code,
    })),
    ...(
      [
        ['Gt', '4', 'Success'],
        ['Gt', '5', 'UnschedulableAndUnresolvable'],
        ['Lt', '6', 'Success'],
      ] as const
    ).map(([op, v, code]) => ({
      name: `affinity ${op} ${v}`,
      plugin: new NodeAffinity(),
      pod: mkPod('a', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gen', operator: op, values: [v] }] }] } } } }),
      node: plain,
      code,
    })),
    {
      name: 'affinity matchFields metadata.name',
      plugin: new NodeAffinity(),
      pod: mkPod('a', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['q'] }] }] } } } }),
      node: plain,
      code: 'UnschedulableAndUnresolvable',
    },
    { name: 'untolerated taint', plugin: new TaintToleration(), pod: mkPod('a'), node: tainted, code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] },
    { name: 'tolerated taint', plugin: new TaintToleration(), pod: mkPod('a', { tolerations: [{ operator: 'Exists' }] }), node: tainted, code: 'Success' },
    { name: 'host port conflict', plugin: new NodePorts(), pod: mkPod('a', { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 8080 }] }] }), node: ported, code: 'Unschedulable', reasons: ["node(s) didn't have free ports for the requested pod ports"] },
    { name: 'other protocol is free', plugin: new NodePorts(), pod: mkPod('a', { containers: [{ name: 'c', ports: [{ containerPort: 1, hostPort: 8080, protocol: 'UDP' }] }] }), node: ported, code: 'Success' },
  ];
  for (const c of cases) {
    const s = c.plugin.filter(state, c.pod, c.node);
    assert.equal(s.code, c.code, c.name);
    if (c.reasons) assert.deepEqual([...s.reasons], c.reasons, c.name);
  }
});

test('inter-pod affinity and anti-affinity', () => {
  const zoneA = mkNode('a1', { labels: { zone: 'a' } });
  const zoneB = mkNode('b1', { labels: { zone: 'b' } });
  const db = mkPod('db', {}, { app: 'db' });
  const avoider = mkPod('av', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'web' } } }] } } }, { app: 'av' });
  const cache = cluster([zoneA, zoneB], [['a1', db], ['b1', avoider]]);
  const plugin = new InterPodAffinity(handleFor(cache));
  const run = (p: PodInfo, node: string) => {
    const st = new CycleState();
    const pre = plugin.preFilter(st, p);
    if (pre.status.code === 'Skip') return 'Success';
    return plugin.filter(st, p, cache.get(node)!).reasons.join() || 'Success';
  };
  const wantsDb = mkPod('w', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'db' } } }] } } });
  assert.equal(run(wantsDb, 'a1'), 'Success');
  assert.equal(run(wantsDb, 'b1'), "node(s) didn't match pod affinity rules");
  const avoidsDb = mkPod('x', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'db' } } }] } } });
  assert.equal(run(avoidsDb, 'a1'), "node(s) didn't match pod anti-affinity rules");
  assert.equal(run(avoidsDb, 'b1'), 'Success');
  const web = mkPod('web', {}, { app: 'web' });
  assert.equal(run(web, 'b1'), "node(s) didn't satisfy existing pods anti-affinity rules");
  assert.equal(run(web, 'a1'), 'Success');
  // First of a self-affine group: nothing matches yet, so any node with the key will do.
  const self = mkPod('s', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', labelSelector: { matchLabels: { app: 'new' } } }] } } }, { app: 'new' });
  assert.equal(run(self, 'b1'), 'Success');
});

test('pod topology spread maxSkew', () => {
  const nodes = [mkNode('a1', { labels: { zone: 'a' } }), mkNode('b1', { labels: { zone: 'b' } }), mkNode('nolabel')];
  const cache = cluster(nodes, [['a1', mkPod('p1', {}, { app: 'web' })], ['a1', mkPod('p2', {}, { app: 'web' })]]);
  const plugin = new PodTopologySpread(handleFor(cache));
  const incoming = mkPod('new', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] }, { app: 'web' });
  const st = new CycleState();
  plugin.preFilter(st, incoming);
  assert.equal(plugin.filter(st, incoming, cache.get('a1')!).reasons[0], "node(s) didn't match pod topology spread constraints");
  assert.equal(plugin.filter(st, incoming, cache.get('b1')!).code, 'Success');
  assert.equal(plugin.filter(st, incoming, cache.get('nolabel')!).reasons[0], "node(s) didn't match pod topology spread constraints (missing required label)");
});

test('volume binding basics', () => {
  const cache = cluster([mkNode('n1')]);
  const pvc = (name: string, spec: Record<string, unknown>): KubeObject => ({ metadata: { name, namespace: 'default' }, spec });
  const handle = handleFor(cache, {
    pvcs: [pvc('bound', { volumeName: 'pv1' }), pvc('imm', { storageClassName: 'standard' }), pvc('wait', { storageClassName: 'local', resources: { requests: { storage: '1Gi' } } })],
    pvs: [{ metadata: { name: 'pv1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['other'] }] }] } } } }],
    classes: [
      { metadata: { name: 'standard' }, provisioner: 'x', volumeBindingMode: 'Immediate' },
      { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
    ],
  });
  const plugin = new VolumeBinding(handle);
  const withClaim = (claim: string) => mkPod('p', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] });
  assert.equal(plugin.preFilter(new CycleState(), withClaim('missing')).status.reasons[0], 'persistentvolumeclaim "missing" not found');
  assert.equal(plugin.preFilter(new CycleState(), withClaim('imm')).status.reasons[0], 'pod has unbound immediate PersistentVolumeClaims');
  const st = new CycleState();
  assert.equal(plugin.preFilter(st, withClaim('bound')).status.code, 'Success');
  assert.equal(plugin.filter(st, withClaim('bound'), cache.get('n1')!).reasons[0], 'node(s) had volume node affinity conflict');
  const st2 = new CycleState();
  assert.equal(plugin.preFilter(st2, withClaim('wait')).status.code, 'Success');
  assert.equal(plugin.filter(st2, withClaim('wait'), cache.get('n1')!).reasons[0], "node(s) didn't find available persistent volumes to bind");
});

test('scores', () => {
  const cache = cluster([mkNode('empty', { cpu: '4', memory: '4Gi' }), mkNode('busy', { cpu: '4', memory: '4Gi' })], [['busy', mkPod('x', req('2', '1Gi'))]]);
  const st = new CycleState();
  const p = mkPod('p', req('1', '1Gi'));
  const fit = new NodeResourcesFit();
  // LeastAllocated: empty = ((4-1)/4*100 + (4-1)/4*100)/2 = 75; busy = (25 + 50)/2 = 37.
  assert.equal(fit.score(st, p, cache.get('empty')!), 75);
  assert.equal(fit.score(st, p, cache.get('busy')!), 37);
  const bal = new BalancedAllocation();
  // Fractions empty: 0.25/0.25 → 100; busy: 0.75/0.5 → (1 − 0.125) × 100 = 87.
  assert.equal(bal.score(st, p, cache.get('empty')!), 100);
  assert.equal(bal.score(st, p, cache.get('busy')!), 87);

  const tt = new TaintToleration();
  const soft = cluster([mkNode('soft', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), mkNode('clean')]);
  const scores = ['soft', 'clean'].map((n) => ({ node: soft.get(n)!, score: tt.score(st, mkPod('a'), soft.get(n)!) }));
  tt.normalizeScore(st, mkPod('a'), scores);
  assert.deepEqual(scores.map((s) => s.score), [0, 100]);

  const na = new NodeAffinity();
  const zones = cluster([mkNode('a', { labels: { zone: 'a' } }), mkNode('b', { labels: { zone: 'b' } })]);
  const pref = mkPod('x', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } }] } } });
  const ns = ['a', 'b'].map((n) => ({ node: zones.get(n)!, score: na.score(st, pref, zones.get(n)!) }));
  na.normalizeScore(st, pref, ns);
  assert.deepEqual(ns.map((s) => s.score), [0, 100]);
});

test('percentageOfNodesToScore (adaptive)', () => {
  const cases: [number, number, number][] = [
    [50, 0, 50],
    [100, 0, 100],
    [1000, 0, 420],
    [5000, 0, 500],
    [6000, 0, 300],
    [10000, 0, 500],
    [1000, 50, 500],
    [150, 10, 100],
  ];
  for (const [nodes, pct, want] of cases) assert.equal(numFeasibleNodesToFind(nodes, pct), want, `${nodes} nodes at ${pct}%`);
});
