/**
 * E2E: pod volumes on a real node — emptyDir shared with an init container, a ConfigMap whose
 * update reaches the running container, a Secret with defaultMode 0400, downwardAPI labels,
 * the ServiceAccount's projected token (accepted by the API), hostPath DirectoryOrCreate, a
 * pod waiting on a missing ConfigMap with FailedMount, and nothing mounted or left after
 * deletion. Root only; skipped with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBusyboxImage } from '../../src/testing/images.js';
import { AgentServer, agentSkipReason, waitFor } from './agent-env.js';

const skip = agentSkipReason();


/** The lines a container wrote, from its CRI log file (`<ts> <stream> <tag> <line>`). */
function containerLog(s: AgentServer, pod: { metadata: { name: string; namespace: string; uid: string } }, container: string): string[] {
  const file = join(s.podLogsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, container, '0.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(3).join(' '));
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m) => m && m.startsWith(dir + '/'));
}

const SCRIPT = [
  'cat /shared/greeting',
  'echo "secret-mode=$(stat -L -c %a /sec/pw) secret=$(cat /sec/pw)"',
  'echo "labels=$(cat /info/labels | tr "\\n" ",")"',
  'echo "mem=$(grep " /mem " /proc/mounts | cut -d" " -f3)"',
  'echo "token=$(cat /var/run/secrets/kubernetes.io/serviceaccount/token)"',
  'echo "ns=$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)"',
  'touch /hostdir/from-pod',
  'while true; do echo "cfg=$(cat /cfg/key)"; sleep 1; done',
].join('; ');

test('pod volumes on a real node', { skip, timeout: 15 * 60_000 }, async (t) => {
  // The agent sets volumes up only when asked (see src/kubelet/agent.ts); the server inherits this.

  const s = new AgentServer();
  try {
    await s.start();
    await waitFor('node Ready', async () => {
      const r = await s.kubectl(['get', 'node', s.nodeName, '-o', 'json']);
      if (r.code !== 0) return undefined;
      const n = JSON.parse(r.stdout);
      return n.spec?.podCIDR && n.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    });
    const archive = join(s.dataDir, 'busybox.tar');
    await buildBusyboxImage(archive);
    const imported = await s.skiff(['images', 'import', archive, '--data-dir', s.dataDir]);
    assert.equal(imported.code, 0, imported.stderr);
    await waitFor('default ServiceAccount', async () => ((await s.kubectl(['get', 'serviceaccount', 'default'])).code === 0 ? true : undefined));
    const published = await waitFor('kube-root-ca.crt', async () => ((await s.kubectl(['get', 'configmap', 'kube-root-ca.crt'])).code === 0 ? true : undefined), 50).catch(() => false);
    if (!published) {
      // Stand-in for the root CA publisher while the controller manager does not run it.
      t.diagnostic('kube-root-ca.crt not published by the controller manager; the test creates it');
      const ca = (await s.kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.certificate-authority-data}'])).stdout;
      const caFile = join(s.dataDir, 'ca.crt');
      writeFileSync(caFile, Buffer.from(ca, 'base64'));
      assert.equal((await s.kubectl(['create', 'configmap', 'kube-root-ca.crt', `--from-file=ca.crt=${caFile}`])).code, 0);
    }

    const hostDir = join(s.dataDir, 'hostdir', 'made-by-agent');
    const manifest = (name: string, cm: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'vol', tier: 'test' } },
      spec: {
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        initContainers: [{ name: 'init', image: 'busybox', imagePullPolicy: 'Never', command: ['sh', '-c', 'echo greeting-from-init > /shared/greeting'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }] }],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            imagePullPolicy: 'Never',
            command: ['sh', '-c', SCRIPT],
            volumeMounts: [
              { name: 'shared', mountPath: '/shared' },
              { name: 'cfg', mountPath: '/cfg' },
              { name: 'sec', mountPath: '/sec' },
              { name: 'info', mountPath: '/info' },
              { name: 'mem', mountPath: '/mem' },
              { name: 'host', mountPath: '/hostdir' },
            ],
          },
        ],
        volumes: [
          { name: 'shared', emptyDir: {} },
          { name: 'cfg', configMap: { name: cm } },
          { name: 'sec', secret: { secretName: 'vol-secret', defaultMode: 0o400 } },
          { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
          { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
          { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
        ],
      },
    });
    const apply = async (obj: unknown) => {
      const file = join(s.dataDir, `m-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(obj));
      const r = await s.kubectl(['apply', '-f', file]);
      assert.equal(r.code, 0, r.stderr);
    };
    assert.equal((await s.kubectl(['create', 'secret', 'generic', 'vol-secret', '--from-literal=pw=hunter2'])).code, 0);

    // A pod whose ConfigMap is missing waits in ContainerCreating with FailedMount events.
    await apply(manifest('vol', 'vol-config'));
    const failedMount = await waitFor('FailedMount event', async () => {
      const r = await s.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=vol,reason=FailedMount', '-o', 'jsonpath={.items[*].message}']);
      return r.stdout.includes('configmap "vol-config" not found') ? r.stdout : undefined;
    });
    assert.match(failedMount, /MountVolume\.SetUp failed for volume "cfg" : configmap "vol-config" not found/);
    const waiting = await s.kubectl(['get', 'pod', 'vol', '--no-headers']);
    assert.match(waiting.stdout, /\s0\/1\s+Init:0\/1\s/, waiting.stdout);
    assert.equal((await s.kubectl(['create', 'configmap', 'vol-config', '--from-literal=key=first'])).code, 0);

    const pod = await waitFor('vol pod Running', async () => {
      const r = await s.kubectl(['get', 'pod', 'vol', '-o', 'json']);
      const p = JSON.parse(r.stdout);
      return p.status?.phase === 'Running' ? p : undefined;
    });
    const lines = await waitFor('main container output', async () => {
      const l = containerLog(s, pod, 'main');
      return l.some((x) => x.startsWith('cfg=')) ? l : undefined;
    });
    t.diagnostic(lines.filter((l) => !l.startsWith('token=')).slice(0, 8).join('\n'));
    assert.ok(lines.includes('greeting-from-init'), 'emptyDir shared with the init container');
    assert.ok(lines.includes('secret-mode=400 secret=hunter2'), 'secret with defaultMode 0400');
    assert.ok(lines.includes('labels=app="vol",tier="test"'), 'downwardAPI labels');
    assert.ok(lines.includes('mem=tmpfs'), 'medium Memory is tmpfs');
    assert.ok(lines.includes('ns=default'), 'kube-api-access namespace file');
    assert.ok(lines.includes('cfg=first'));
    assert.ok(existsSync(join(hostDir, 'from-pod')), 'hostPath DirectoryOrCreate shared with the host');

    // The projected token is a JWT the API accepts as the pod's ServiceAccount.
    const token = lines.find((l) => l.startsWith('token='))!.slice('token='.length);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const server = (await s.kubectl(['config', 'view', '--raw', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout;
    const empty = join(s.dataDir, 'empty-kubeconfig');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\n');
    const who = await s.kubectl(['--kubeconfig', empty, '--server', server, '--insecure-skip-tls-verify', '--token', token, 'auth', 'whoami']);
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /system:serviceaccount:default:default/);

    // A ConfigMap update reaches the running container.
    assert.equal((await s.kubectl(['patch', 'configmap', 'vol-config', '-p', '{"data":{"key":"second"}}'])).code, 0);
    await waitFor('updated ConfigMap in the container', async () => (containerLog(s, pod, 'main').includes('cfg=second') ? true : undefined));

    const podDir = join(s.dataDir, 'agent', 'pods', pod.metadata.uid);
    assert.ok(mountsUnder(podDir).length >= 3, 'secret, downwardAPI, projected and memory emptyDir are tmpfs mounts');
    assert.equal((await s.kubectl(['delete', 'pod', 'vol', '--wait=true'])).code, 0);
    await waitFor('pod folder removed', async () => (existsSync(podDir) ? undefined : true));
    assert.deepEqual(mountsUnder(join(s.dataDir, 'agent', 'pods')), [], 'no mounts left');
    assert.ok(existsSync(join(hostDir, 'from-pod')), 'hostPath content stays');
  } catch (err) {
    t.diagnostic(`server stderr:\n${s.stderr.slice(-4000)}`);
    throw err;
  } finally {
    await s.destroy();

  }
});
