import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage } from './fit-error.js';
import { NodeToStatus } from './interface.js';
import { Status } from './status.js';

function statuses(entries: [string, Status][]): NodeToStatus {
  const m = new NodeToStatus();
  for (const [n, s] of entries) m.statuses.set(n, s);
  return m;
}

const taint = "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";

test('FailedScheduling wording', () => {
  const cases: { name: string; all: number; map: NodeToStatus; pre?: string; post?: string; want: string }[] = [
    {
      name: 'counts, sorted as strings',
      all: 3,
      map: statuses([
        ['n1', Status.unresolvable(taint)],
        ['n2', Status.unschedulable('Insufficient cpu')],
        ['n3', Status.unschedulable('Insufficient cpu')],
      ]),
      post: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
      want: `0/3 nodes are available: 1 ${taint}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..`,
    },
    {
      name: 'several reasons on one node count separately; "10 x" sorts before "2 y"',
      all: 12,
      map: statuses([
        ...Array.from({ length: 10 }, (_, i) => [`a${i}`, Status.unschedulable('Insufficient memory')] as [string, Status]),
        ['b1', Status.unschedulable('Insufficient cpu', 'Insufficient memory')],
        ['b2', Status.unschedulable('Insufficient cpu')],
      ]),
      want: '0/12 nodes are available: 11 Insufficient memory, 2 Insufficient cpu.',
    },
    {
      name: 'PreFilter rejection: its message, no per-node counts',
      all: 2,
      map: (() => {
        const m = new NodeToStatus();
        m.absent = Status.unresolvable('pod has unbound immediate PersistentVolumeClaims');
        return m;
      })(),
      pre: 'pod has unbound immediate PersistentVolumeClaims',
      want: '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    },
  ];
  for (const c of cases) {
    assert.equal(fitErrorMessage(c.all, { nodeToStatus: c.map, unschedulablePlugins: new Set(), preFilterMsg: c.pre, postFilterMsg: c.post }), c.want, c.name);
  }
});
