/**
 * E2E: `skiff server` with its embedded agent runs real pods through containerd, driven by
 * the real kubectl. Root only; skipped with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CriClient } from '../../src/kubelet/cri/cri-client.js';
import { buildBusyboxImage } from '../../src/testing/images.js';
import { AgentServer, agentSkipReason, waitFor } from './agent-env.js';

const skip = agentSkipReason();


function inCIDR16(ip: string, cidr: string): boolean {
  return ip.startsWith(cidr.split('.').slice(0, 2).join('.') + '.');
}

test('skiff server runs pods as containers through its embedded agent', { skip, timeout: 15 * 60_000 }, async (t) => {
  const s = new AgentServer();
  try {
    await s.start();
    const node = await waitFor('node Ready', async () => {
      const r = await s.kubectl(['get', 'node', s.nodeName, '-o', 'json']);
      if (r.code !== 0) return undefined;
      const n = JSON.parse(r.stdout);
      return n.spec?.podCIDR && n.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    });
    assert.match(node.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\//);
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0+skiff');
    assert.equal(node.metadata.labels['node-role.kubernetes.io/control-plane'], 'true');
    assert.equal(node.metadata.labels['kubernetes.io/hostname'], s.nodeName);
    assert.equal(node.status.capacity.pods, '110');
    assert.ok(inCIDR16(node.spec.podCIDR, s.clusterCIDR), `${node.spec.podCIDR} in ${s.clusterCIDR}`);
    const lease = await s.kubectl(['get', 'lease', '-n', 'kube-node-lease', s.nodeName, '-o', 'jsonpath={.spec.holderIdentity}']);
    assert.equal(lease.stdout, s.nodeName);

    const archive = join(s.dataDir, 'busybox.tar');
    await buildBusyboxImage(archive);
    const imported = await s.skiff(['images', 'import', archive, '--data-dir', s.dataDir]);
    assert.equal(imported.code, 0, imported.stderr);

    // One deployment pod: creation → Running, with an IP from the node's podCIDR.
    assert.equal((await s.kubectl(['create', 'deployment', 'web', '--image=busybox', '--', 'sleep', '3600'])).code, 0);
    const pod = await waitFor('web pod Running', async () => {
      const r = await s.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
      const p = JSON.parse(r.stdout).items[0];
      return p?.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
    });
    const created = Date.parse(pod.metadata.creationTimestamp);
    const runningAt = Date.parse(pod.status.containerStatuses[0].state.running.startedAt);
    t.diagnostic(`pod startup (creationTimestamp → container startedAt, 1 s resolution): ${runningAt - created} ms`);
    assert.ok(inCIDR16(pod.status.podIP, s.clusterCIDR), `pod IP ${pod.status.podIP}`);
    const wide = await s.kubectl(['get', 'pods', '-o', 'wide']);
    assert.match(wide.stdout, new RegExp(`${pod.metadata.name}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${pod.status.podIP.replace(/\./g, '\\.')}\\s+${s.nodeName}`));
    const containerID = pod.status.containerStatuses[0].containerID as string;
    assert.match(containerID, /^containerd:\/\/[0-9a-f]{64}$/);

    // CrashLoopBackOff with growing restarts; Never + exit 0 → Completed.
    assert.equal((await s.kubectl(['run', 'crash', '--image=busybox', '--restart=Always', '--', 'sh', '-c', 'exit 1'])).code, 0);
    assert.equal((await s.kubectl(['run', 'done', '--image=busybox', '--restart=Never', '--', 'true'])).code, 0);
    await waitFor('done Completed', async () => {
      const r = await s.kubectl(['get', 'pod', 'done', '--no-headers']);
      return /\s0\/1\s+Completed\s+0\s/.test(r.stdout) ? r.stdout : undefined;
    });
    const crash = await waitFor('crash in CrashLoopBackOff', async () => {
      const r = await s.kubectl(['get', 'pod', 'crash', '--no-headers']);
      const m = /\s0\/1\s+CrashLoopBackOff\s+(\d+)/.exec(r.stdout);
      return m && Number(m[1]) >= 1 ? Number(m[1]) : undefined;
    });
    const later = await waitFor('crash restarted again', async () => {
      const r = await s.kubectl(['get', 'pod', 'crash', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
      return Number(r.stdout) > crash ? Number(r.stdout) : undefined;
    });
    assert.ok(later > crash);
    const events = await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=crash', '-o', 'jsonpath={.items[*].reason}']);
    for (const reason of ['Pulling', 'Created', 'Started', 'BackOff']) assert.ok(events.stdout.includes(reason), `event ${reason} in ${events.stdout}`);

    // Agent restart: the running container keeps running and is adopted (same ID).
    await s.stop();
    await s.start();
    await sleep(3000);
    const after = await waitFor('web pod Running after restart', async () => {
      const r = await s.kubectl(['get', 'pod', pod.metadata.name, '-o', 'json']);
      const p = JSON.parse(r.stdout);
      return p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready ? p : undefined;
    });
    assert.equal(after.status.containerStatuses[0].containerID, containerID, 'same container after the restart');
    assert.equal(after.status.containerStatuses[0].restartCount, 0);

    // Deletion: containers and sandboxes gone from the runtime.
    const cri = new CriClient({ endpoint: s.socket });
    try {
      assert.equal((await s.kubectl(['delete', 'deployment', 'web'])).code, 0);
      assert.equal((await s.kubectl(['delete', 'pod', 'crash', 'done', '--wait=true'])).code, 0);
      await waitFor('pods gone', async () => {
        const r = await s.kubectl(['get', 'pods', '--no-headers']);
        return r.stdout.trim() === '' ? true : undefined;
      });
      const left = await waitFor('runtime empty', async () => {
        const [sb, cs] = await Promise.all([cri.listPodSandbox(), cri.listContainers()]);
        return sb.length === 0 && cs.length === 0 ? true : undefined;
      });
      assert.ok(left);
    } finally {
      cri.close();
    }
  } catch (err) {
    t.diagnostic(`server stderr:\n${s.stderr.slice(-4000)}`);
    throw err;
  } finally {
    await s.destroy();
  }
  assert.equal(existsSync(`/sys/class/net/${s.bridge}`), false, 'bridge removed');
  assert.equal(existsSync(s.dataDir), false, 'data dir removed');
});
