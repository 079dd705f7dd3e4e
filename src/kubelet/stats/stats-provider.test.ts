import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clock } from '../../base/clock.js';
import type { Container, ContainerStats } from '../cri/types.js';
import { nanoCores } from './cpu-rate.js';
import { parseMeminfo, parseProcStat } from './node-stats.js';
import { resourceMetricsText } from './resource-metrics.js';
import { StatsProvider } from './stats-provider.js';

/** A clock whose sleep moves time forward at once. */
function steppingClock(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => void (c.t += ms),
    setTimeout: () => ({ cancel() {} }),
    setInterval: () => ({ cancel() {} }),
  };
  return c;
}

const labels = { 'io.kubernetes.pod.name': 'burner', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': 'uid-1', 'io.kubernetes.container.name': 'main' };

function stats(id: string, tsNs: bigint, usageNs: number, workingSet: number): ContainerStats {
  const v = (n: number) => ({ value: String(n) });
  return {
    attributes: { id, metadata: { name: 'main', attempt: 0 }, labels, annotations: {} },
    cpu: { timestamp: String(tsNs), usage_core_nano_seconds: v(usageNs), usage_nano_cores: null },
    memory: { timestamp: String(tsNs), working_set_bytes: v(workingSet), available_bytes: null, usage_bytes: v(workingSet), rss_bytes: null, page_faults: null, major_page_faults: null },
    writable_layer: null,
  };
}

test('nanoCores: CPU time over wall time, nothing for restarts or empty intervals', () => {
  const cases: [number, number, number, number, number | undefined][] = [
    [0, 0, 1e9, 5e8, 5e8],
    [0, 1e9, 2e9, 3e9, 1e9],
    [0, 5e9, 1e9, 1e9, undefined],
    [1e9, 0, 1e9, 5, undefined],
  ];
  for (const [t0, u0, t1, u1, want] of cases) assert.equal(nanoCores({ timeNs: t0, usageCoreNanoSeconds: u0 }, { timeNs: t1, usageCoreNanoSeconds: u1 }), want);
});

test('summary: two CRI samples of a new container give its usageNanoCores; pods sum their containers', async () => {
  const t0 = 1_800_000_000_000_000_000n;
  const samples = [stats('c1', t0, 2e9, 4096), stats('c1', t0 + 1_000_000_000n, 2.75e9, 8192)];
  let calls = 0;
  const cri = {
    listContainers: async () => [{ id: 'c1' } as Container],
    listContainerStats: async () => [samples[Math.min(calls++, samples.length - 1)], stats('gone', t0, 1, 1)],
  };
  const procs = [
    { usageCoreNanoSeconds: 10e9, workingSetBytes: 1000, usageBytes: 2000, availableBytes: 3000 },
    { usageCoreNanoSeconds: 11.5e9, workingSetBytes: 1100, usageBytes: 2100, availableBytes: 2900 },
  ];
  let n = 0;
  const clock = steppingClock(Date.UTC(2027, 0, 1));
  const p = new StatsProvider({ cri, clock, nodeName: 'n1', nodeSample: async () => procs[Math.min(n++, procs.length - 1)] });
  const s = await p.summary();
  assert.equal(calls, 2, 'a container seen for the first time is sampled twice');
  assert.equal(s.node.nodeName, 'n1');
  assert.equal(s.node.cpu?.usageNanoCores, 1.5e9);
  assert.equal(s.node.memory?.workingSetBytes, 1100);
  assert.equal(s.pods.length, 1, 'containers that are not running are left out');
  const pod = s.pods[0];
  assert.deepEqual(pod.podRef, { name: 'burner', namespace: 'default', uid: 'uid-1' });
  assert.equal(pod.containers[0].name, 'main');
  assert.equal(pod.containers[0].cpu?.usageNanoCores, 7.5e8);
  assert.equal(pod.containers[0].cpu?.usageCoreNanoSeconds, 2.75e9);
  assert.equal(pod.containers[0].memory?.workingSetBytes, 8192);
  assert.equal(pod.cpu?.usageNanoCores, 7.5e8);
  assert.equal(pod.memory?.workingSetBytes, 8192);

  // A later scrape measures against the previous sample without sampling twice.
  samples.push(stats('c1', t0 + 3_000_000_000n, 4.75e9, 8192));
  const again = await p.summary();
  assert.equal(calls, 3);
  assert.equal(again.pods[0].cpu?.usageNanoCores, 1e9);
});

test('procfs parsing: busy ticks and memory figures', () => {
  assert.equal(parseProcStat('cpu  100 5 50 1000 20 3 2 0 0 0\ncpu0 1 1 1 1 1 1 1 1\n'), 160 * 1e7);
  const m = parseMeminfo('MemTotal:       1000 kB\nMemFree:         200 kB\nMemAvailable:    600 kB\nCached: 10 kB\n');
  assert.deepEqual(m, { workingSetBytes: 400 * 1024, usageBytes: 800 * 1024, availableBytes: 600 * 1024 });
});

test('resource metrics text: upstream metric names and labels', () => {
  const time = '2027-01-01T00:00:00Z';
  const text = resourceMetricsText({
    node: { nodeName: 'n1', cpu: { time, usageCoreNanoSeconds: 2.5e9 }, memory: { time, workingSetBytes: 1024 } },
    pods: [{ podRef: { name: 'p', namespace: 'ns', uid: 'u' }, containers: [{ name: 'c', cpu: { time, usageCoreNanoSeconds: 1e9 }, memory: { time, workingSetBytes: 10 } }], cpu: { time, usageCoreNanoSeconds: 1e9 }, memory: { time, workingSetBytes: 10 } }],
  });
  const ts = Date.parse(time);
  for (const line of [
    `node_cpu_usage_seconds_total 2.5 ${ts}`,
    `node_memory_working_set_bytes 1024 ${ts}`,
    `container_cpu_usage_seconds_total{container="c",namespace="ns",pod="p"} 1 ${ts}`,
    `container_memory_working_set_bytes{container="c",namespace="ns",pod="p"} 10 ${ts}`,
    `pod_cpu_usage_seconds_total{namespace="ns",pod="p"} 1 ${ts}`,
    `pod_memory_working_set_bytes{namespace="ns",pod="p"} 10 ${ts}`,
    'scrape_error 0',
    '# TYPE container_cpu_usage_seconds_total counter',
  ]) assert.ok(text.split('\n').includes(line), `missing ${line} in\n${text}`);
  assert.ok(resourceMetricsText(undefined).includes('scrape_error 1'));
});
