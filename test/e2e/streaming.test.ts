/**
 * E2E: logs, exec, cp and port-forward with the real kubectl (1.32 and 1.33) through the
 * apiserver to the embedded agent's kubelet server and on to containerd. Root only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBusyboxImage } from '../../src/testing/images.js';
import { AgentServer, agentSkipReason, waitFor, type Result } from './agent-env.js';

const KUBECTL_133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const skip = agentSkipReason();


function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** A long-running command whose output the test reads; killed by PID. */
class Background {
  out = '';
  err = '';
  readonly child: ChildProcess;
  constructor(s: AgentServer, bin: string, args: string[]) {
    this.child = spawn(bin, args, { env: { ...process.env, KUBECONFIG: s.kubeconfig, HOME: s.dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d) => (this.out += d));
    this.child.stderr!.on('data', (d) => (this.err += d));
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    process.kill(this.child.pid!, 'SIGTERM');
    await exited;
  }
}

function runWithInput(s: AgentServer, bin: string, args: string[], input: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { env: { ...process.env, KUBECONFIG: s.kubeconfig, HOME: s.dataDir }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}

// NOTE: no service-account token volume: the pods must not depend on kube-root-ca.crt publishing.
const PODS = `
apiVersion: v1
kind: Pod
metadata: { name: logger }
spec:
  automountServiceAccountToken: false
  containers:
  - name: a
    image: busybox
    command: [sh, -c, 'for i in 1 2 3 4 5; do echo line$i; done; i=0; while true; do i=$((i+1)); echo tick$i; sleep 1; done']
  - name: b
    image: busybox
    command: [sh, -c, 'echo from-b >&2; exec sleep 3600']
---
apiVersion: v1
kind: Pod
metadata: { name: restarter }
spec:
  automountServiceAccountToken: false
  containers:
  - name: main
    image: busybox
    command: [sh, -c, 'echo attempt-output; sleep 1; exit 1']
---
apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  automountServiceAccountToken: false
  containers:
  - name: httpd
    image: busybox
    command: [sh, -c, 'mkdir -p /www && echo hello-pf > /www/index.html && exec httpd -f -p 8080 -h /www']
`;

test('kubectl logs, exec, cp and port-forward through the kubelet server', { skip, timeout: 15 * 60_000 }, async (t) => {
  const s = new AgentServer();
  const kubeletPort = await freePort();
  process.env.SKIFF_AGENT_KUBELET_PORT = String(kubeletPort);
  const background: Background[] = [];
  try {
    await s.start();
    const node = await waitFor('node Ready', async () => {
      const r = await s.kubectl(['get', 'node', s.nodeName, '-o', 'json']);
      if (r.code !== 0) return undefined;
      const n = JSON.parse(r.stdout);
      return n.spec?.podCIDR && n.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    });
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, kubeletPort);

    const archive = join(s.dataDir, 'busybox.tar');
    await buildBusyboxImage(archive);
    assert.equal((await s.skiff(['images', 'import', archive, '--data-dir', s.dataDir])).code, 0);
    const manifest = join(s.dataDir, 'pods.yaml');
    writeFileSync(manifest, PODS);
    const applied = await s.kubectl(['apply', '-f', manifest]);
    assert.equal(applied.code, 0, applied.stderr);
    for (const name of ['logger', 'web']) {
      await waitFor(`${name} Running`, async () => {
        const r = await s.kubectl(['get', 'pod', name, '-o', 'json']);
        const p = JSON.parse(r.stdout);
        return p.status?.phase === 'Running' && p.status.containerStatuses?.every((c: { ready: boolean }) => c.ready) ? p : undefined;
      });
    }

    // Logs: container choice, tail, timestamps, follow, previous.
    const raw = await s.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/logger/log']);
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /a container name must be specified for pod logger, choose one of: \[a b\]/);
    const all = await waitFor('logger output', async () => {
      const r = await s.kubectl(['logs', 'logger', '-c', 'a']);
      return r.code === 0 && r.stdout.includes('tick1\n') ? r.stdout : undefined;
    });
    assert.ok(all.startsWith('line1\nline2\nline3\nline4\nline5\n'), all);
    const defaulted = await s.kubectl(['logs', 'logger']);
    assert.ok(defaulted.stdout.startsWith('line1\n'), defaulted.stdout);
    const tail = await s.kubectl(['logs', 'logger', '-c', 'a', '--tail=2']);
    assert.equal(tail.stdout.trim().split('\n').length, 2, tail.stdout);
    const stamped = await s.kubectl(['logs', 'logger', '-c', 'a', '--timestamps']);
    assert.match(stamped.stdout.split('\n')[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line1$/);
    const b = await s.kubectl(['logs', 'logger', '-c', 'b']);
    assert.equal(b.stdout, 'from-b\n');
    const limited = await s.kubectl(['logs', 'logger', '-c', 'a', '--limit-bytes=8']);
    assert.equal(limited.stdout, 'line1\nli');

    const follow = new Background(s, 'kubectl', ['logs', '-f', 'logger', '-c', 'a']);
    background.push(follow);
    const seen = Number(/tick(\d+)\n$/.exec((await s.kubectl(['logs', 'logger', '-c', 'a', '--tail=1'])).stdout)?.[1] ?? 0);
    await waitFor('followed lines', async () => (follow.out.includes(`tick${seen + 2}\n`) ? true : undefined));
    assert.ok(follow.out.startsWith('line1\n'));
    await follow.stop();

    await waitFor('restarter restarted', async () => {
      const r = await s.kubectl(['get', 'pod', 'restarter', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
      return Number(r.stdout) >= 1 ? true : undefined;
    });
    const prev = await s.kubectl(['logs', 'restarter', '--previous']);
    assert.equal(prev.code, 0, prev.stderr);
    assert.equal(prev.stdout, 'attempt-output\n');
    const noPrev = await s.kubectl(['logs', 'web', '--previous']);
    assert.notEqual(noPrev.code, 0);
    assert.match(noPrev.stderr, /previous terminated container "httpd" in pod "web" not found/);

    // exec, exit codes, stdin and cp with both kubectl versions.
    const kubectls = ['kubectl', ...(existsSync(KUBECTL_133) ? [KUBECTL_133] : [])];
    for (const bin of kubectls) {
      const hi = await s.run(bin, ['exec', 'web', '--', 'echo', 'hi']);
      assert.equal(hi.code, 0, `${bin}: ${hi.stderr}`);
      assert.equal(hi.stdout, 'hi\n');
      const three = await s.run(bin, ['exec', 'web', '--', 'sh', '-c', 'exit 3']);
      assert.equal(three.code, 3, three.stderr);
      assert.match(three.stderr, /command terminated with exit code 3/);
      const cat = await runWithInput(s, bin, ['exec', '-i', 'web', '--', 'sh', '-c', 'tr a-z A-Z'], 'from stdin\n');
      assert.equal(cat.stdout, 'FROM STDIN\n', cat.stderr);
      const pfPort = await freePort();
      const pf = new Background(s, bin, ['port-forward', 'pod/web', `${pfPort}:8080`]);
      background.push(pf);
      await waitFor(`${bin} port-forward ready`, async () => (pf.out.includes('Forwarding from') ? true : undefined));
      assert.equal(await httpGet(pfPort, '/index.html'), 'hello-pf\n');
      assert.equal(await httpGet(pfPort, '/index.html'), 'hello-pf\n');
      await pf.stop();
    }
    // pods/proxy to the pod's port, nodes/proxy to the kubelet.
    const podProxy = await s.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/web:8080/proxy/index.html']);
    assert.equal(podProxy.stdout, 'hello-pf\n', podProxy.stderr);
    const nodeProxy = await s.kubectl(['get', '--raw', `/api/v1/nodes/${s.nodeName}/proxy/healthz`]);
    assert.equal(nodeProxy.stdout, 'ok', nodeProxy.stderr);
    const local = join(s.dataDir, 'cp-in.txt');
    writeFileSync(local, 'copied both ways\n');
    const cpIn = await s.kubectl(['cp', local, 'web:/tmp/cp.txt']);
    assert.equal(cpIn.code, 0, cpIn.stderr);
    assert.equal((await s.kubectl(['exec', 'web', '--', 'cat', '/tmp/cp.txt'])).stdout, 'copied both ways\n');
    const back = join(s.dataDir, 'cp-out.txt');
    const cpOut = await s.kubectl(['cp', 'web:/tmp/cp.txt', back]);
    assert.equal(cpOut.code, 0, cpOut.stderr);
    assert.equal(readFileSync(back, 'utf8'), 'copied both ways\n');

    // Which transport each kubectl ended up using (diagnostics for the report).
    for (const bin of kubectls) {
      const v = await s.run(bin, ['exec', '-v=7', 'web', '--', 'true']);
      t.diagnostic(`${bin} exec: ${v.stderr.split('\n').filter((l) => /fallback|Switching/i.test(l)).slice(0, 4).join(' | ')}`);
      const pfPort = await freePort();
      const pf = new Background(s, bin, ['port-forward', '-v=7', 'pod/web', `${pfPort}:8080`]);
      background.push(pf);
      await waitFor(`${bin} port-forward ready`, async () => (pf.out.includes('Forwarding from') ? true : undefined));
      await pf.stop();
      t.diagnostic(`${bin} port-forward: ${pf.err.split('\n').filter((l) => /fallback|Switching|tunnel/i.test(l)).slice(0, 4).join(' | ')}`);
    }
  } catch (err) {
    t.diagnostic(`server stderr:\n${s.stderr.slice(-4000)}`);
    throw err;
  } finally {
    for (const b of background) await b.stop();
    delete process.env.SKIFF_AGENT_KUBELET_PORT;
    await s.destroy();
  }
  assert.equal(existsSync(s.dataDir), false, 'data dir removed');
});
