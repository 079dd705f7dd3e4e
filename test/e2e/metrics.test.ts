/**
 * E2E: resource metrics end to end — the agent's kubelet `/stats/summary`, the apiserver's
 * metrics.k8s.io, and the real `kubectl top`. Root only; skipped with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBusyboxImage } from '../../src/testing/images.js';
import { AgentServer, agentSkipReason } from './agent-env.js';

const skip = agentSkipReason();

/** Re-runs `probe` a bounded number of times until it yields a value. */
async function retry<T>(what: string, probe: () => Promise<T | undefined>, tries: number, pauseMs: number): Promise<T> {
  let last = '';
  for (let i = 0; i < tries; i++) {
    const v = await probe().catch((err) => void (last = String(err)));
    if (v !== undefined) return v;
    await sleep(pauseMs);
  }
  throw new Error(`gave up waiting for ${what}: ${last}`);
}

/** `123m` → 0.123 cores, `5` → 5. */
function cores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q);
}

test('kubectl top nodes and pods show real usage', { skip, timeout: 10 * 60_000 }, async () => {
  const s = new AgentServer();
  try {
    await s.start();
    await retry('node Ready', async () => {
      const r = await s.kubectl(['get', 'node', s.nodeName, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      return r.stdout === 'True' ? true : undefined;
    }, 300, 500);
    const archive = join(s.dataDir, 'busybox.tar');
    await buildBusyboxImage(archive);
    const imported = await s.skiff(['images', 'import', archive, '--data-dir', s.dataDir]);
    assert.equal(imported.code, 0, imported.stderr);

    const api = await s.kubectl(['api-resources', '--api-group=metrics.k8s.io', '--no-headers']);
    assert.equal(api.code, 0, api.stderr);
    assert.match(api.stdout, /^nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics$/m);
    assert.match(api.stdout, /^pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics$/m);

    const run = await s.kubectl(['run', 'burner', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'while :; do :; done']);
    assert.equal(run.code, 0, run.stderr);
    await retry('pod Running', async () => {
      const r = await s.kubectl(['get', 'pod', 'burner', '-o', 'jsonpath={.status.phase}']);
      return r.stdout === 'Running' ? true : undefined;
    }, 300, 500);

    // kubectl top itself, re-run a bounded number of times (the metrics window is 15 s).
    const row = await retry('kubectl top pods to show burner using CPU', async () => {
      const r = await s.kubectl(['top', 'pods']);
      if (r.code !== 0) return undefined;
      const m = /^burner\s+(\S+)\s+(\S+)\s*$/m.exec(r.stdout);
      if (!m || !(cores(m[1]) > 0)) return undefined;
      return { header: r.stdout.split('\n')[0], cpu: m[1], memory: m[2] };
    }, 30, 2000);
    assert.match(row.header, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/);
    // A busy loop uses close to a core; allow for a loaded machine.
    assert.ok(cores(row.cpu) >= 0.1, `burner CPU ${row.cpu}`);
    assert.match(row.memory, /^\d+Mi$/);

    const nodes = await s.kubectl(['top', 'nodes']);
    assert.equal(nodes.code, 0, nodes.stderr);
    assert.match(nodes.stdout.split('\n')[0], /^NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)\s+MEMORY\(?%\)?\s*$/);
    const n = new RegExp(`^${s.nodeName}\\s+(\\d+m)\\s+(\\d+)%\\s+(\\d+Mi)\\s+(\\d+)%\\s*$`, 'm').exec(nodes.stdout);
    assert.ok(n, `node row in:\n${nodes.stdout}`);
    assert.ok(cores(n[1]) > 0, `node CPU ${n[1]}`);
  } finally {
    await s.destroy();
  }
});
