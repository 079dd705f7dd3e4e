/**
 * E2E: skiff's containerd supervisor, images and CRI client drive a full pod lifecycle
 * through a real containerd, runc and CNI bridge. Root only; skipped with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runtimeSkipReason, startRuntimeEnv } from './runtime-env.js';

const skip = runtimeSkipReason();

function inSubnet(ip: string, subnet: string): boolean {
  return ip.startsWith(subnet.split('.').slice(0, 3).join('.') + '.');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

test('CRI pod lifecycle through skiff-started containerd', { skip }, async (t) => {
  const env = await startRuntimeEnv();
  try {
    const { cri } = env;
    const version = await cri.version();
    assert.equal(version.runtime_name, 'containerd');
    assert.equal(version.runtime_api_version, 'v1');

    const networkReady = await waitFor('NetworkReady', async () => {
      const conds = (await cri.status()).status?.conditions ?? [];
      return conds.find((c) => c.type === 'NetworkReady' && c.status);
    });
    assert.ok(networkReady);

    const images = await cri.listImages();
    const tags = images.flatMap((i) => i.repo_tags);
    assert.ok(tags.includes('skiff.local/pause:1'), `pause image imported: ${tags}`);
    assert.ok(tags.includes(env.busybox), `busybox image imported: ${tags}`);
    assert.equal(await cri.imageStatus('docker.io/library/not-there:1'), null);

    const uid = randomUUID();
    const sandboxConfig = env.sandboxConfig('rt-test', uid);
    mkdirSync(join(sandboxConfig.log_directory!, 'main'), { recursive: true });

    let t0 = performance.now();
    const sandboxId = await cri.runPodSandbox(sandboxConfig);
    const runPodSandboxMs = performance.now() - t0;

    const sandbox = await cri.podSandboxStatus(sandboxId);
    assert.equal(sandbox.status?.state, 'SANDBOX_READY');
    assert.equal(sandbox.status?.metadata?.uid, uid);
    const podIP = sandbox.status?.network?.ip ?? '';
    assert.ok(inSubnet(podIP, env.subnet), `pod IP ${podIP} in ${env.subnet}`);
    assert.match(sandbox.status!.created_at, /^\d+$/, 'int64 arrives as a decimal string');

    t0 = performance.now();
    const containerId = await cri.createContainer(
      sandboxId,
      {
        metadata: { name: 'main', attempt: 0 },
        image: { image: env.busybox },
        command: ['sh', '-c', 'echo hello; sleep 30'],
        log_path: 'main/0.log',
        labels: { 'io.kubernetes.container.name': 'main' },
        linux: { security_context: { namespace_options: { network: 'POD', pid: 'CONTAINER', ipc: 'POD' } } },
      },
      sandboxConfig,
    );
    const createContainerMs = performance.now() - t0;
    t0 = performance.now();
    await cri.startContainer(containerId);
    const startContainerMs = performance.now() - t0;

    const running = await cri.containerStatus(containerId);
    assert.equal(running.status?.state, 'CONTAINER_RUNNING');
    assert.equal(running.status?.metadata?.name, 'main');
    assert.equal(running.status?.log_path, join(sandboxConfig.log_directory!, 'main/0.log'));

    const listed = await cri.listContainers({ pod_sandbox_id: sandboxId });
    assert.deepEqual(listed.map((c) => c.id), [containerId]);

    const logFile = join(sandboxConfig.log_directory!, 'main/0.log');
    const log = await waitFor('hello in the CRI log', () => {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      return text.includes('hello') ? text : undefined;
    });
    assert.match(log, /^\d{4}-\d\d-\d\dT\S+ stdout F hello$/m, 'CRI log format');

    t0 = performance.now();
    const hi = await cri.execSync(containerId, ['echo', 'hi'], 10);
    const execSyncMs = performance.now() - t0;
    assert.equal(hi.exit_code, 0);
    assert.equal(hi.stdout.toString(), 'hi\n');
    const hostname = await cri.execSync(containerId, ['hostname'], 10);
    assert.equal(hostname.stdout.toString().trim(), 'rt-test');
    const failing = await cri.execSync(containerId, ['sh', '-c', 'echo oops >&2; exit 3'], 10);
    assert.equal(failing.exit_code, 3);
    assert.equal(failing.stderr.toString(), 'oops\n');

    const stats = await cri.containerStats(containerId);
    assert.equal(stats?.attributes?.id, containerId);

    await cri.stopContainer(containerId, 1);
    const exited = await cri.containerStatus(containerId);
    assert.equal(exited.status?.state, 'CONTAINER_EXITED');
    assert.equal(exited.status?.exit_code, 137, 'sh as PID 1 ignores TERM, so it is killed after the grace period');
    await cri.removeContainer(containerId);
    assert.deepEqual(await cri.listContainers({ pod_sandbox_id: sandboxId }), []);

    t0 = performance.now();
    await cri.stopPodSandbox(sandboxId);
    const stopPodSandboxMs = performance.now() - t0;
    await cri.removePodSandbox(sandboxId);
    assert.deepEqual(await cri.listPodSandbox(), []);
    await assert.rejects(cri.podSandboxStatus(sandboxId), (err: { code?: string }) => err.code === 'NOT_FOUND');

    t.diagnostic(
      `raw CRI costs (ms): RunPodSandbox ${runPodSandboxMs.toFixed(0)}, CreateContainer ${createContainerMs.toFixed(0)}, ` +
        `StartContainer ${startContainerMs.toFixed(0)}, ExecSync ${execSyncMs.toFixed(0)}, StopPodSandbox ${stopPodSandboxMs.toFixed(0)}`,
    );
  } finally {
    await env.close();
  }
  assert.equal(existsSync(env.dir), false, 'temp dir removed');
  assert.equal(existsSync(`/sys/class/net/${env.bridge}`), false, 'bridge removed');
});

test('containerd is restarted when it dies, and pods keep running', { skip }, async () => {
  const env = await startRuntimeEnv();
  try {
    const { cri, supervisor } = env;
    const uid = randomUUID();
    const sandboxConfig = env.sandboxConfig('rt-restart', uid);
    const sandboxId = await cri.runPodSandbox(sandboxConfig);
    const firstPid = supervisor.pid!;
    process.kill(firstPid, 'SIGKILL');
    const version = await waitFor('containerd back', async () => {
      if (!supervisor.pid || supervisor.pid === firstPid) return undefined;
      return cri.version({ timeoutMs: 1000 }).catch(() => undefined);
    });
    assert.equal(version.runtime_name, 'containerd');
    const status = await waitFor('sandbox status after restart', () =>
      cri.podSandboxStatus(sandboxId).catch(() => undefined),
    );
    assert.equal(status.status?.state, 'SANDBOX_READY', 'the sandbox survived containerd dying');
    await cri.stopPodSandbox(sandboxId);
    await cri.removePodSandbox(sandboxId);
  } finally {
    await env.close();
  }
});
