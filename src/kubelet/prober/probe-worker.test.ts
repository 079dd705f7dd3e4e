import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { ProbeWorker, type ProbeWorkerHooks } from './probe-worker.js';
import type { Probe, ProbeKind } from './probe-types.js';

const flush = () => new Promise((r) => setImmediate(r));

function harness(kind: ProbeKind, probe: Probe, results: boolean[]) {
  const clock = new FakeClock();
  const log = { runs: 0, failed: [] as string[], kills: 0, changes: 0 };
  const hooks: ProbeWorkerHooks = {
    clock,
    run: async () => {
      const ok = results[log.runs++] ?? true;
      return { ok, output: ok ? '' : 'HTTP probe failed with statuscode: 500' };
    },
    gated: () => false,
    failed: (_k, o) => log.failed.push(o),
    changed: () => log.changes++,
    kill: () => log.kills++,
  };
  const w = new ProbeWorker(kind, { name: 'c' }, probe, hooks);
  return { clock, log, w };
}

async function step(clock: FakeClock, ms: number) {
  clock.advance(ms);
  await flush();
}

test('thresholds and timing', async (t) => {
  const cases: { name: string; kind: ProbeKind; probe: Probe; results: boolean[]; steps: number; want: { verdict: boolean; kills: number; runs: number } }[] = [
    { name: 'liveness fails after failureThreshold and kills once', kind: 'liveness', probe: { periodSeconds: 1 }, results: [false, false, false, false], steps: 6, want: { verdict: false, kills: 1, runs: 3 } },
    { name: 'liveness tolerates fewer failures', kind: 'liveness', probe: { periodSeconds: 1 }, results: [false, false, true, false, false, true], steps: 6, want: { verdict: true, kills: 0, runs: 7 } },
    { name: 'readiness needs successThreshold successes', kind: 'readiness', probe: { periodSeconds: 1, successThreshold: 2 }, results: [true], steps: 0, want: { verdict: false, kills: 0, runs: 1 } },
    { name: 'readiness passes after two', kind: 'readiness', probe: { periodSeconds: 1, successThreshold: 2 }, results: [true, true], steps: 1, want: { verdict: true, kills: 0, runs: 2 } },
    { name: 'readiness failing never kills', kind: 'readiness', probe: { periodSeconds: 1, failureThreshold: 1 }, results: [true, false, false], steps: 2, want: { verdict: false, kills: 0, runs: 3 } },
    { name: 'initialDelaySeconds holds the first probe', kind: 'readiness', probe: { initialDelaySeconds: 5, periodSeconds: 1 }, results: [true], steps: 3, want: { verdict: false, kills: 0, runs: 0 } },
    { name: 'startup stops probing once passed', kind: 'startup', probe: { periodSeconds: 1 }, results: [false, true], steps: 5, want: { verdict: true, kills: 0, runs: 2 } },
  ];
  for (const c of cases) {
    await t.test(c.name, async () => {
      const { clock, log, w } = harness(c.kind, c.probe, c.results);
      w.observe({ containerId: 'a', startedAt: clock.now(), podIP: '10.0.0.2' });
      await step(clock, 0);
      for (let i = 0; i < c.steps; i++) await step(clock, 1000);
      assert.deepEqual({ verdict: w.verdict, kills: log.kills, runs: log.runs }, c.want);
      w.stop();
    });
  }
});

test('a new container instance starts over', async () => {
  const { clock, log, w } = harness('liveness', { periodSeconds: 1, failureThreshold: 1 }, [false, true]);
  w.observe({ containerId: 'a', startedAt: clock.now(), podIP: '10.0.0.2' });
  await step(clock, 0);
  assert.equal(w.verdict, false);
  assert.equal(log.kills, 1);
  assert.deepEqual(log.failed, ['HTTP probe failed with statuscode: 500']);
  await step(clock, 5000);
  assert.equal(log.runs, 1, 'held after the kill');
  w.observe({ containerId: 'b', startedAt: clock.now(), podIP: '10.0.0.2' });
  assert.equal(w.verdict, true);
  await step(clock, 0);
  assert.equal(log.runs, 2);
  assert.equal(w.verdict, true);
  w.stop();
});
