import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../object.js';
import { podPrinter } from './pod.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const created = '2024-05-01T11:50:00Z';

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', creationTimestamp: created, ...meta }, spec, status };
}

const one = { containers: [{ name: 'app', image: 'nginx' }] };
const two = { containers: [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }] };
const running = { running: { startedAt: created } };

test('pod columns match upstream', () => {
  assert.deepEqual(
    podPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
  );
  assert.equal(podPrinter.columns[0].format, 'name');
});

test('pod rows', () => {
  const cases: { name: string; pod: KubeObject; want: unknown[] }[] = [
    {
      name: 'crash looping container with a recent restart',
      pod: pod(one, {
        phase: 'Running',
        podIP: '10.42.0.5',
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-05-01T11:58:00Z' } },
          },
        ],
      }),
      want: ['web', '0/1', 'CrashLoopBackOff', '3 (2m ago)', '10m', '10.42.0.5', '<none>', '<none>', '<none>'],
    },
    {
      name: 'running and ready on a node',
      pod: pod(
        { ...one, nodeName: 'n1', readinessGates: [{ conditionType: 'x/ok' }, { conditionType: 'x/other' }] },
        {
          phase: 'Running',
          podIPs: [{ ip: '10.42.0.6' }, { ip: 'fd00::6' }],
          nominatedNodeName: 'n2',
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'x/ok', status: 'True' },
          ],
          containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
        },
      ),
      want: ['web', '1/1', 'Running', '0', '10m', '10.42.0.6', 'n1', 'n2', '1/2'],
    },
    {
      name: 'pending without statuses',
      pod: pod(one, { phase: 'Pending' }),
      want: ['web', '0/1', 'Pending', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'scheduling gated',
      pod: pod(one, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      want: ['web', '0/1', 'SchedulingGated', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'container creating',
      pod: pod(one, { phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] }),
      want: ['web', '0/1', 'ContainerCreating', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'completed',
      pod: pod(one, {
        phase: 'Succeeded',
        containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
      }),
      want: ['web', '0/1', 'Completed', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'error exit',
      pod: pod(one, { phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2, reason: 'Error' } } }] }),
      want: ['web', '0/1', 'Error', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'terminated without reason prints the signal or exit code',
      pod: pod(two, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } },
          { name: 'b', state: { terminated: { exitCode: 3 } } },
        ],
      }),
      want: ['web', '0/2', 'Signal:9', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'one container completed while another still runs and the pod is not ready',
      pod: pod(two, {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', ready: true, state: running },
        ],
      }),
      want: ['web', '1/2', 'NotReady', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container waiting on its predecessor',
      pod: pod(
        { ...one, initContainers: [{ name: 'i1', image: 'x' }, { name: 'i2', image: 'x' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
            { name: 'i2', state: running },
          ],
          containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }],
        },
      ),
      want: ['web', '0/1', 'Init:1/2', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container crash looping',
      pod: pod(
        { ...one, initContainers: [{ name: 'i1', image: 'x' }] },
        {
          phase: 'Pending',
          initContainerStatuses: [
            {
              name: 'i1',
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T11:59:30Z' } },
            },
          ],
        },
      ),
      want: ['web', '0/1', 'Init:CrashLoopBackOff', '4 (30s ago)', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'init container failed with exit code',
      pod: pod(
        { ...one, initContainers: [{ name: 'i1', image: 'x' }] },
        { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 5 } } }] },
      ),
      want: ['web', '0/1', 'Init:ExitCode:5', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'started sidecar counts as a ready container',
      pod: pod(
        { ...one, initContainers: [{ name: 'side', image: 'x', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'side', started: true, ready: true, restartCount: 1, state: running }],
          containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
        },
      ),
      want: ['web', '2/2', 'Running', '1', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'terminating',
      pod: pod(one, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] }, {
        deletionTimestamp: '2024-05-01T11:59:00Z',
      }),
      want: ['web', '1/1', 'Terminating', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'node lost',
      pod: pod(one, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: '2024-05-01T11:59:00Z' }),
      want: ['web', '0/1', 'Unknown', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
    {
      name: 'evicted keeps the status reason',
      pod: pod(one, { phase: 'Failed', reason: 'Evicted' }),
      want: ['web', '0/1', 'Evicted', '0', '10m', '<none>', '<none>', '<none>', '<none>'],
    },
  ];
  for (const c of cases) assert.deepEqual(podPrinter.row(c.pod, now), c.want, c.name);
});
