/**
 * E2E: probes, Service environment variables and static pods on `skiff server` with its
 * embedded agent, driven by the real kubectl. Root only; skipped with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildBusyboxImage } from '../../src/testing/images.js';
import { AgentServer, agentSkipReason, waitFor } from './agent-env.js';

const skip = agentSkipReason();


const pod = (name: string, labels: Record<string, string>, container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Never', ...container }], ...extra },
});

/** A free TCP port for the agent's HTTPS server, so runs in parallel do not meet on 10250. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

test('probes, service links and static pods on a real node', { skip, timeout: 15 * 60_000 }, async (t) => {
  process.env.SKIFF_AGENT_KUBELET_PORT ??= String(await freePort());
  const s = new AgentServer();
  const apply = async (name: string, obj: unknown) => {
    const file = join(s.dataDir, `${name}.json`);
    writeFileSync(file, JSON.stringify(obj));
    const r = await s.kubectl(['apply', '-f', file]);
    assert.equal(r.code, 0, r.stderr);
  };
  const getJSON = async (args: string[]) => {
    const r = await s.kubectl([...args, '-o', 'json']);
    return r.code === 0 ? JSON.parse(r.stdout) : undefined;
  };
  const events = async (podName: string) => (await getJSON(['get', 'events', '--field-selector', `involvedObject.name=${podName}`]))?.items as { reason: string; message: string }[];
  try {
    await s.start();
    await waitFor('node Ready', async () => {
      const n = await getJSON(['get', 'node', s.nodeName]);
      return n?.spec?.podCIDR && n.status?.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    });
    const archive = join(s.dataDir, 'busybox.tar');
    await buildBusyboxImage(archive);
    const imported = await s.skiff(['images', 'import', archive, '--data-dir', s.dataDir]);
    assert.equal(imported.code, 0, imported.stderr);
    // Pods need a ServiceAccount in their namespace before the API admits them.
    await waitFor('default ServiceAccount', async () => ((await s.kubectl(['get', 'serviceaccount', 'default'])).code === 0 ? true : undefined));

    await t.test('Service environment variables', async () => {
      assert.equal((await s.kubectl(['create', 'service', 'clusterip', 'vault-ui', '--tcp=8200:8200'])).code, 0);
      const ip = (await s.kubectl(['get', 'service', 'vault-ui', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
      const kubernetesIP = (await s.kubectl(['get', 'service', 'kubernetes', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
      // The agent's Service informer sees the new Service within moments.
      await sleep(1000);
      await apply('envpod', pod('envpod', {}, { command: ['sh', '-c', 'env; sleep 3600'], env: [{ name: 'VAULT_UI_SERVICE_PORT', value: 'mine' }] }));
      const p = await waitFor('envpod Running', async () => {
        const x = await getJSON(['get', 'pod', 'envpod']);
        return x?.status?.phase === 'Running' ? x : undefined;
      });
      const dir = join(s.podLogsDir, `default_envpod_${p.metadata.uid}`, 'c');
      const text = await waitFor('env in the container log', async () => {
        const files = existsSync(dir) ? readdirSync(dir) : [];
        const t = files.length ? readFileSync(join(dir, files[0]), 'utf8') : '';
        return t.includes('HOSTNAME=') ? t : undefined;
      });
      const env = new Map(
        text
          .split('\n')
          .map((l) => l.split(' ').slice(3).join(' '))
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      assert.equal(env.get('VAULT_UI_SERVICE_HOST'), ip);
      assert.equal(env.get('VAULT_UI_SERVICE_PORT'), 'mine', 'the container env wins');
      assert.equal(env.get('VAULT_UI_SERVICE_PORT_8200_8200'), '8200');
      assert.equal(env.get('VAULT_UI_PORT'), `tcp://${ip}:8200`);
      assert.equal(env.get('VAULT_UI_PORT_8200_TCP_ADDR'), ip);
      assert.equal(env.get('KUBERNETES_SERVICE_HOST'), kubernetesIP);
      assert.equal(env.get('KUBERNETES_SERVICE_PORT'), '443');
    });

    await t.test('a failing liveness probe restarts the container', async () => {
      await apply(
        'live',
        pod('live', {}, {
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 5; rm /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
        }),
      );
      const restarts = await waitFor('live restarted', async () => {
        const r = await s.kubectl(['get', 'pod', 'live', '--no-headers']);
        const m = /\s\d\/1\s+\S+\s+(\d+)/.exec(r.stdout);
        return m && Number(m[1]) >= 1 ? Number(m[1]) : undefined;
      });
      assert.ok(restarts >= 1);
      const evs = await events('live');
      assert.ok(evs.some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Liveness probe failed')), JSON.stringify(evs.map((e) => [e.reason, e.message])));
      assert.ok(evs.some((e) => e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted'));
    });

    await t.test('a failing readiness probe takes the pod out of the endpoints', async () => {
      assert.equal((await s.kubectl(['create', 'service', 'clusterip', 'rd', '--tcp=80:80'])).code, 0);
      await apply(
        'rd',
        pod('rd', { app: 'rd' }, {
          command: ['sh', '-c', 'touch /tmp/ready; sleep 12; rm /tmp/ready; sleep 3600'],
          readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        }),
      );
      const ip = await waitFor('rd ready in endpoints', async () => {
        const ep = await getJSON(['get', 'endpoints', 'rd']);
        return ep?.subsets?.[0]?.addresses?.[0]?.ip as string | undefined;
      });
      const p = await getJSON(['get', 'pod', 'rd']);
      assert.equal(ip, p.status.podIP);
      await waitFor('rd not ready', async () => {
        const ep = await getJSON(['get', 'endpoints', 'rd']);
        const subset = ep?.subsets?.[0];
        return !subset?.addresses?.length && subset?.notReadyAddresses?.[0]?.ip === ip ? true : undefined;
      });
      const row = (await s.kubectl(['get', 'pod', 'rd', '--no-headers'])).stdout;
      assert.match(row, /\s0\/1\s+Running\s/);
      assert.ok((await events('rd')).some((e) => e.reason === 'Unhealthy' && e.message.startsWith('Readiness probe failed')));
    });

    await t.test('sidecar init containers and a startup probe', async () => {
      await apply('side', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'side' },
        spec: {
          terminationGracePeriodSeconds: 1,
          initContainers: [
            {
              name: 'proxy',
              image: 'busybox',
              imagePullPolicy: 'Never',
              restartPolicy: 'Always',
              command: ['sh', '-c', 'sleep 2; touch /tmp/started; sleep 3600'],
              startupProbe: { exec: { command: ['test', '-f', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 30 },
            },
            { name: 'setup', image: 'busybox', imagePullPolicy: 'Never', command: ['true'] },
          ],
          containers: [{ name: 'main', image: 'busybox', imagePullPolicy: 'Never', command: ['sleep', '3600'] }],
        },
      });
      const p = await waitFor('side Running and ready', async () => {
        const x = await getJSON(['get', 'pod', 'side']);
        return x?.status?.phase === 'Running' && x.status.conditions?.find((c: { type: string; status: string }) => c.type === 'Ready')?.status === 'True' ? x : undefined;
      });
      const [proxy, setup] = p.status.initContainerStatuses;
      assert.ok(proxy.state.running, 'the sidecar keeps running');
      assert.equal(proxy.ready, true);
      assert.equal(setup.state.terminated.reason, 'Completed');
      // The regular init container ran only after the sidecar's startup probe passed.
      assert.ok(Date.parse(setup.state.terminated.startedAt) >= Date.parse(proxy.state.running.startedAt) + 1000, JSON.stringify(p.status.initContainerStatuses));
      assert.equal(p.status.conditions.find((c: { type: string }) => c.type === 'Initialized').status, 'True');
      const row = (await s.kubectl(['get', 'pod', 'side', '--no-headers'])).stdout;
      assert.match(row, /\s2\/2\s+Running\s+0\s/);
      assert.equal((await s.kubectl(['delete', 'pod', 'side', '--wait=true'])).code, 0);
    });

    await t.test('static pods run from the manifest folder with mirror pods', async () => {
      const dir = join(s.dataDir, 'agent', 'pod-manifests');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'static-web.yaml');
      writeFileSync(file, `apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  terminationGracePeriodSeconds: 1\n  containers:\n  - name: web\n    image: busybox\n    imagePullPolicy: Never\n    command: [sleep, '3600']\n`);
      const name = `static-web-${s.nodeName}`;
      const mirror = await waitFor('mirror pod Running', async () => {
        const m = await getJSON(['get', 'pod', name]);
        return m?.status?.phase === 'Running' && m.status.containerStatuses?.[0]?.ready ? m : undefined;
      });
      assert.equal(mirror.metadata.annotations['kubernetes.io/config.source'], 'file');
      assert.equal(mirror.metadata.annotations['kubernetes.io/config.mirror'], mirror.metadata.annotations['kubernetes.io/config.hash']);
      assert.deepEqual(mirror.metadata.ownerReferences.map((o: { kind: string; name: string }) => `${o.kind}/${o.name}`), [`Node/${s.nodeName}`]);
      assert.equal(mirror.spec.nodeName, s.nodeName);

      // A user deleting the mirror pod gets it back; the static pod keeps running.
      assert.equal((await s.kubectl(['delete', 'pod', name, '--wait=false'])).code, 0);
      const again = await waitFor('mirror pod recreated', async () => {
        const m = await getJSON(['get', 'pod', name]);
        return m && m.metadata.uid !== mirror.metadata.uid && !m.metadata.deletionTimestamp && m.status?.phase === 'Running' ? m : undefined;
      });
      assert.equal(again.status.containerStatuses[0].containerID, mirror.status.containerStatuses[0].containerID, 'same container');

      rmSync(file);
      await waitFor('mirror pod gone', async () => ((await s.kubectl(['get', 'pod', name])).code !== 0 ? true : undefined));
    });
  } catch (err) {
    t.diagnostic(`server stderr:\n${s.stderr.slice(-4000)}`);
    throw err;
  } finally {
    await s.destroy();
  }
});
